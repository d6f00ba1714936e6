"""telnyx_admin.paging: paging values from URLs are corrected, never refused, the same way on every list."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from telnyx_admin.paging import (
    MAX_PAGE_NUMBER,
    PagingForm,
    list_page,
    page_number_from,
    page_of,
    page_size_from,
    past_the_end,
    shown_url,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("0", 1),
        ("-3", 1),
        ("2", 2),
        (" 7 ", 7),
        ("1.5", 1),
        ("9" * 30, MAX_PAGE_NUMBER),
    ],
)
def test_page_number(raw, expected):
    assert page_number_from(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 20),
        ("", 20),
        ("x", 20),
        ("0", 20),
        ("-50", 20),
        ("1", 20),
        ("20", 20),
        ("21", 50),
        ("50", 50),
        ("100", 100),
        ("101", 250),
        ("250", 250),
        ("251", 250),
        ("9" * 30, 250),
    ],
)
def test_page_size_snaps_up_to_an_offered_size(raw, expected):
    assert page_size_from(raw) == expected


def test_a_list_with_another_default_keeps_the_same_snapping():
    assert page_size_from("", default=10) == 10
    assert page_size_from("30", default=10) == 50


def test_the_form_is_never_invalid_and_reads_both_values():
    form = PagingForm({"page": "x", "page_size": "30"})
    assert form.paging() == (1, 50)
    assert form.is_valid()
    assert PagingForm({}, default_page_size=10).paging() == (1, 10)
    assert PagingForm().paging() == (1, 20)


@pytest.mark.parametrize(
    ("items", "requested", "shown", "past_end"),
    [
        (45, 3, 3, False),  # the last page, partly filled
        (45, 4, 3, True),  # one past it: the last page is what the link offers
        (45, 999, 3, True),
        (0, 1, 1, False),  # an empty list is its empty state on any page, never "past the end"
        (0, 7, 1, False),
    ],
)
def test_every_list_clamps_a_page_past_the_end_the_same_way(items, requested, shown, past_end):
    page, beyond = page_of(list(range(items)), page_size=20, requested=requested)
    assert (page.number, beyond) == (shown, past_end)
    assert past_the_end(total=items, pages=page.paginator.num_pages, requested=requested) is past_end


def test_a_list_page_reads_its_paging_from_the_query_and_makes_rows_of_its_page_only():
    made = []
    listed = list_page(
        QueryDict("page=2&page_size=30"), list(range(120)), rows=lambda items: made.append(items) or items
    )
    assert listed["page"].paginator.per_page == 50 and listed["requested_page"] == 2
    assert listed["rows"] == list(range(50, 100)) and made == [list(range(50, 100))]
    beyond = list_page(QueryDict("page=9"), list(range(30)), rows=lambda items: items)
    assert beyond["past_end"] and beyond["rows"] == [] and beyond["page"].number == 2


@pytest.mark.parametrize(
    ("params", "requested", "expected"),
    [
        ("", 1, "/numbers/"),
        ("q=%2B1415", 1, "/numbers/?q=%2B1415"),
        ("q=a&page_size=50", 3, "/numbers/?q=a&page_size=50&page=3"),
        ("", 999, "/numbers/?page=999"),  # past the end stays in the address: a reload says so again
    ],
)
def test_the_shown_url_is_the_canonical_query_with_the_page_asked_for(params, requested, expected):
    assert shown_url("/numbers/", QueryDict(params), requested_page=requested) == expected
