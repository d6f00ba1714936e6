"""Page speaks Django's Page language, so the shared pager template cannot tell the two apart."""

import pytest
from django.core.paginator import EmptyPage, Paginator

from telnyx_admin.telnyx.errors import UnexpectedStatus
from telnyx_admin.telnyx.pages import Page, fetch_all_ordered, iterate_items


def _page(number: int, *, size: int = 10, total: int = 95) -> Page[int]:
    start = (number - 1) * size
    items = tuple(range(start, min(start + size, total)))
    pages = -(-total // size)
    return Page(items=items, page_number=number, page_size=size, total_pages=pages, total_results=total)


@pytest.mark.parametrize("number", [1, 2, 5, 9, 10])
def test_it_matches_django_page(number):
    ours = _page(number)
    theirs = Paginator(range(95), 10).page(number)
    assert ours.number == theirs.number
    assert list(ours.object_list) == list(theirs.object_list)
    assert ours.has_next() == theirs.has_next()
    assert ours.has_previous() == theirs.has_previous()
    assert ours.has_other_pages() == theirs.has_other_pages()
    assert ours.start_index() == theirs.start_index()
    assert ours.end_index() == theirs.end_index()
    assert ours.paginator.num_pages == theirs.paginator.num_pages
    assert ours.paginator.count == theirs.paginator.count
    assert ours.paginator.per_page == theirs.paginator.per_page
    assert list(ours.paginator.page_range) == list(theirs.paginator.page_range)
    if theirs.has_next():
        assert ours.next_page_number() == theirs.next_page_number()
    if theirs.has_previous():
        assert ours.previous_page_number() == theirs.previous_page_number()


@pytest.mark.parametrize("count", [5, 95, 200, 1000])
@pytest.mark.parametrize("number", [1, 2, 4, 5, 6, 10, 20, 50, 99, 100])
def test_elided_range_matches_django(count, number):
    theirs = Paginator(range(count), 10)
    if number > theirs.num_pages:
        number = theirs.num_pages
    ours = Page(items=(), page_number=number, page_size=10, total_pages=theirs.num_pages, total_results=count)
    assert list(ours.paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)) == list(
        theirs.get_elided_page_range(number, on_each_side=2, on_ends=1)
    )
    assert ours.paginator.ELLIPSIS == Paginator.ELLIPSIS


def test_it_raises_empty_page_past_the_ends():
    only = _page(1, total=5)
    with pytest.raises(EmptyPage):
        only.next_page_number()
    with pytest.raises(EmptyPage):
        only.previous_page_number()


def test_an_empty_page_indexes_like_django():
    empty = Page(items=(), page_number=1, page_size=20, total_pages=0, total_results=0)
    assert (empty.start_index(), empty.end_index()) == (0, 0)
    assert not empty.has_other_pages()
    assert len(empty) == 0 and list(empty) == []


def test_from_api_reads_meta_and_parses_items():
    payload = {
        "data": [{"n": 1}, {"n": 2}],
        "meta": {"page_number": 3, "page_size": 2, "total_pages": 7, "total_results": 13},
    }
    page = Page.from_api(payload, lambda item: item["n"])
    assert page.items == (1, 2)
    assert (page.page_number, page.page_size, page.total_pages, page.total_results) == (3, 2, 7, 13)


def test_from_api_rejects_an_answer_without_data():
    with pytest.raises(UnexpectedStatus):
        Page.from_api({"errors": []}, lambda item: item)


def test_iterate_items_walks_every_page_once():
    requested = []

    def fetch(number):
        requested.append(number)
        return _page(number)

    assert list(iterate_items(fetch)) == list(range(95))
    assert requested == list(range(1, 11))


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_fetch_all_ordered_keeps_order_whatever_finishes_first(concurrency):
    import random
    import time

    def fetch(number):
        time.sleep(random.uniform(0, 0.01))  # pages finish out of order
        return _page(number, size=7, total=200)

    assert list(fetch_all_ordered(fetch, concurrency=concurrency)) == list(range(200))


def test_fetch_all_ordered_raises_the_failing_page_and_stops():
    started = []

    def fetch(number):
        started.append(number)
        if number == 3:
            raise UnexpectedStatus("boom")
        return _page(number, size=1, total=100)

    items = fetch_all_ordered(fetch, concurrency=2)
    with pytest.raises(UnexpectedStatus):
        list(items)
    # Page 1, a window of 2 x 2 pages, one refill after page 2: nothing past page 6 is ever asked for.
    assert max(started) <= 6


def test_the_first_wave_is_speculative_and_failures_past_the_end_are_ignored():
    import threading

    asked = []
    page_two_asked = threading.Event()

    def fetch(number):
        asked.append(number)
        if number == 1:
            # Answers only once page 2 was asked for: proves both went out together.
            assert page_two_asked.wait(timeout=5)
            return _page(1, size=10, total=7)
        if number == 2:
            page_two_asked.set()
        raise UnexpectedStatus("past the end")

    assert list(fetch_all_ordered(fetch, concurrency=4)) == list(range(7))
    # Pages 3-4 were queued with page 1; any not yet started once page 1 answered are cancelled.
    assert {1, 2} <= set(asked) <= {1, 2, 3, 4}


def test_a_single_worker_fetches_one_page_at_a_time():
    asked = []

    def fetch(number):
        asked.append(number)
        return _page(number, size=10, total=35)

    assert list(fetch_all_ordered(fetch, concurrency=1)) == list(range(35))
    assert asked == [1, 2, 3, 4]
