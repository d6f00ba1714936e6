"""Pages of Telnyx list results, and walking all of them (one by one, or concurrently in order).

`Page` speaks both languages: the API's (`page_number`, `total_pages`, ...) and Django's `Page`
(`number`, `paginator.num_pages`, `has_next()`, ...), so the shared pager template renders a
Telnyx page and a `django.core.paginator.Page` (e.g. the audit log) alike; its `paginator` is
Django's own.

Reference: https://developers.telnyx.com/docs/api/v2/overview#pagination
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextvars
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator

from telnyx_admin.telnyx.errors import UnexpectedStatus


@dataclass(frozen=True)
class Page[T]:
    """One page of a Telnyx list: its items and the list's `meta`."""

    items: tuple[T, ...]
    page_number: int
    page_size: int
    total_pages: int
    total_results: int

    @classmethod
    def from_api(cls, payload: Mapping[str, Any], parse: Callable[[Mapping[str, Any]], T]) -> Page[T]:
        if not isinstance(payload, Mapping) or not isinstance(payload.get("data"), list):
            raise UnexpectedStatus("Telnyx answered a list call without a data array.")
        meta: Mapping[str, Any] = payload["meta"] if isinstance(payload.get("meta"), Mapping) else {}
        items = tuple(parse(item) for item in payload["data"] if isinstance(item, Mapping))
        return cls.of(items, meta)

    @classmethod
    def of(cls, items: tuple[T, ...], meta: Mapping[str, Any]) -> Page[T]:
        """Items already parsed, with the list's `meta` (missing numbers taken from the items)."""
        return cls(
            items=items,
            page_number=int(meta.get("page_number", 1)),
            page_size=int(meta.get("page_size", len(items))),
            total_pages=int(meta.get("total_pages", 1)),
            total_results=int(meta.get("total_results", len(items))),
        )

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    # --- django.core.paginator.Page names ---------------------------------------------------------
    @property
    def number(self) -> int:
        return self.page_number

    @property
    def object_list(self) -> tuple[T, ...]:
        return self.items

    @property
    def paginator(self) -> Paginator[int]:
        """Django's own Paginator over a stand-in for the whole list (we only ever hold one page):
        the count, the number of pages, the page size and `get_elided_page_range` come from it."""
        return Paginator(range(self.total_results), max(1, self.page_size))

    def has_next(self) -> bool:
        return self.page_number < self.total_pages

    def has_previous(self) -> bool:
        return self.page_number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        if not self.has_next():
            raise EmptyPage("That page contains no results")
        return self.page_number + 1

    def previous_page_number(self) -> int:
        if not self.has_previous():
            raise EmptyPage("That page number is less than 1")
        return self.page_number - 1

    def start_index(self) -> int:
        """1-based position of the first item in the whole result set (0 when the page is empty)."""
        if not self.items:
            return 0
        return self.page_size * (self.page_number - 1) + 1

    def end_index(self) -> int:
        if not self.items:
            return 0
        return self.start_index() + len(self.items) - 1


def iterate_items[T](fetch: Callable[[int], Page[T]]) -> Iterator[T]:
    """Every item of every page, one request at a time (`fetch(page_number)` returns a Page)."""
    number = 1
    while True:
        page = fetch(number)
        yield from page.items
        if number >= page.total_pages or not page.items:
            return
        number += 1


def fetch_all_ordered[T](fetch: Callable[[int], Page[T]], *, concurrency: int | None = None) -> Iterator[T]:
    """Every item of every page, fetching up to `concurrency` pages at once, yielded in page order.

    Page 1 says how many pages there are. So as not to spend a whole round trip learning that, the
    first wave asks for pages 1..concurrency together; pages past the end come back empty and are
    dropped, errors included (a profile with one page costs one wave of requests, not one request).
    Later pages are submitted as earlier ones arrive (before their items are yielded), and each
    worker takes the next page the moment it is free: a sliding window, not waves that wait for
    their slowest page. Pages that finish early wait (at most 2 x concurrency pages are held) until
    the ones before them are yielded, so the caller sees exactly the sequential order. Rate limits
    are handled by the retrying GET underneath: a 429 makes that worker wait out Retry-After and
    try again. Each worker runs in a copy of the
    caller's context, so its calls count in the caller's request tally.

    Raises:
        The first TelnyxError of any needed page, in page order; pages not yet started are cancelled.
    """
    workers = max(1, int(concurrency or settings.TELNYX_EXPORT_CONCURRENCY))
    if workers == 1:
        yield from iterate_items(fetch)
        return
    pending: collections.deque[tuple[int, concurrent.futures.Future[Page[T]]]] = collections.deque()
    window = workers * 2
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=workers, thread_name_prefix="telnyx-export"
    ) as pool:

        def submit(number: int) -> None:
            # A fresh copy per task: one Context cannot be entered by two threads at once.
            context = contextvars.copy_context()
            pending.append((number, pool.submit(context.run, fetch, number)))

        try:
            for number in range(1, workers + 1):
                submit(number)
            next_number = workers + 1
            last: int | None = None
            while pending:
                number, future = pending.popleft()
                if last is not None and number > last:
                    future.cancel()  # speculative and past the end: not needed, whatever it says
                    continue
                page = future.result()
                if last is None:
                    last = max(1, page.total_pages)
                # Refill before handing items out: the caller may take a while over them (the CSV
                # export formats 250 rows), and the workers should be waiting on Telnyx meanwhile.
                while next_number <= last and len(pending) < window:
                    submit(next_number)
                    next_number += 1
                yield from page.items
        finally:
            # The caller stopped early or a page failed: don't start pages nobody will read.
            for _, future in pending:
                future.cancel()
