"""Paging of every list in the dashboard: the sizes the pager offers, and how `page`/`page_size` are read.

Paging values come from URLs that people edit, bookmark and paste, so they are corrected, never
refused, and every list reads them the same way:

- `page`: a whole number from 1; anything else (missing, text, 0, negative) is page 1, and numbers
  beyond MAX_PAGE_NUMBER are cut to it.
- `page_size`: snapped to the smallest offered size that holds it (`30` shows 50, `9999` shows 250);
  anything that is not a positive whole number is the list's default size.

Both stay within what the Telnyx API accepts (`page[number]` >= 1, `page[size]` 1..250).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict

PAGE_SIZES = (20, 50, 100, 250)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
# Far beyond any real list (250 x 1,000,000 objects); keeps a pasted 40-digit number a page number.
MAX_PAGE_NUMBER = 1_000_000


def _whole_number(raw: object) -> int | None:
    try:
        return int(str(raw).strip())
    except ValueError:
        return None


def page_number_from(raw: object) -> int:
    """A page number from a URL: anything unparseable or below 1 is page 1."""
    number = _whole_number(raw) if raw is not None else None
    if number is None:
        return 1
    return min(max(number, 1), MAX_PAGE_NUMBER)


def page_size_from(raw: object, *, default: int = DEFAULT_PAGE_SIZE) -> int:
    """A page size from a URL, snapped up to the nearest offered size (at most the largest)."""
    size = _whole_number(raw) if raw is not None and raw != "" else None
    if size is None or size < 1:
        return default
    return next((offered for offered in PAGE_SIZES if offered >= size), PAGE_SIZES[-1])


def past_the_end(*, total: int, pages: int, requested: int) -> bool:
    """Whether `requested` lies beyond a list that has something to show. The page then says so and
    links to the last page; an empty list shows its empty state instead, whatever the page."""
    return total > 0 and requested > pages


def page_of[T](
    items: Sequence[T] | QuerySet[Any, T], *, page_size: int, requested: int
) -> tuple[Page[T], bool]:
    """The page of `items` to show for `requested` (the last one when it is past the end), and
    whether it was past the end. For lists we hold (the catalog, a query of the number index)."""
    paginator = Paginator(items, page_size)
    past_end = past_the_end(total=paginator.count, pages=paginator.num_pages, requested=requested)
    return paginator.page(min(requested, paginator.num_pages)), past_end


def list_page[T](
    query: Mapping[str, Any], items: Sequence[T] | QuerySet[Any, T], *, rows: Callable[[list[T]], list[Any]]
) -> dict[str, Any]:
    """The paging half of a list page's context, read from `query` (request.GET) by the rules above:
    `page`, its `rows` as `rows()` makes them (none past the end), `past_end`, `requested_page`."""
    requested = page_number_from(query.get("page"))
    page, past_end = page_of(items, page_size=page_size_from(query.get("page_size")), requested=requested)
    return {
        "page": page,
        "rows": [] if past_end else rows(list(page.object_list)),
        "past_end": past_end,
        "requested_page": requested,
    }


def shown_url(path: str, params: QueryDict, *, requested_page: int) -> str:
    """The tidy address of what a list shows, for htmx to push: its canonical `params` (no empty
    fields) and the page asked for, even past the end (a reload shows the same notice)."""
    shown = params.copy()
    if requested_page != 1:
        shown["page"] = str(requested_page)
    return path + (f"?{shown.urlencode()}" if shown else "")


def paging_params(*, page_number: int, page_size: int, **others: str) -> QueryDict:
    """The canonical query of a list page (defaults left out) for pager links to build on."""
    params = QueryDict(mutable=True)
    for name, value in others.items():
        if value:
            params[name] = value
    if page_size != DEFAULT_PAGE_SIZE:
        params["page_size"] = str(page_size)
    if page_number != 1:
        params["page"] = str(page_number)
    return params


class PagingForm(forms.Form):
    """`page` and `page_size` of a list, read by the rules above; never invalid.

    Forms of lists with filters subclass it, so a filter's errors never disturb the paging.
    """

    default_page_size = DEFAULT_PAGE_SIZE

    page = forms.CharField(required=False)
    page_size = forms.CharField(required=False)

    def __init__(self, *args: Any, default_page_size: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if default_page_size is not None:
            self.default_page_size = default_page_size

    def clean_page(self) -> int:
        return page_number_from(self.cleaned_data.get("page"))

    def clean_page_size(self) -> int:
        return page_size_from(self.cleaned_data.get("page_size"), default=self.default_page_size)

    def paging(self) -> tuple[int, int]:
        """(page number, page size) as the list shows them."""
        if not self.is_bound:
            return 1, self.default_page_size
        self.is_valid()  # fills cleaned_data; the paging fields themselves never fail
        data = self.cleaned_data
        return data.get("page", 1), data.get("page_size", self.default_page_size)
