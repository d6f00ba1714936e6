"""`/numbers/`: find any number of the account in the number index, filter, export; ask for a refresh.

One view serves the page and, for htmx, its `results` fragment (filters and paging swap it) or its
`freshness` fragment (polled while a refresh runs). Lookups read our database only: no Telnyx call.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from phone_numbers import csv_export, index, selectors, summary
from phone_numbers.forms import FILTERS, NumberSearchForm
from phone_numbers.models import IndexedNumber
from telnyx_admin import paging
from telnyx_admin.htmx import htmx_of, redirect_to, wants_fragment

VIEW = "profiles.view_messagingprofile"
TEMPLATE = "phone_numbers/number_list.html"
_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True, slots=True)
class NumberRow:
    phone_number: str
    profile_id: str
    profile_name: str
    profile_url: str
    type: str
    country_code: str
    message_count: int | None
    delivered: str
    spam: str
    tags: list[str]


def _percent(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio * 100:.0f}%"


def _rows(numbers: list[IndexedNumber]) -> list[NumberRow]:
    names = selectors.profile_names(number.profile_id for number in numbers)
    pattern = reverse("profiles:detail", kwargs={"profile_id": _PLACEHOLDER_ID})
    return [
        NumberRow(
            phone_number=number.phone_number,
            profile_id=number.profile_id,
            profile_name=names.get(number.profile_id, ""),
            profile_url=pattern.replace(_PLACEHOLDER_ID, number.profile_id),
            type=number.type,
            country_code=number.country_code,
            message_count=number.message_count,
            delivered=_percent(number.success_ratio),
            spam=_percent(number.spam_ratio),
            tags=number.tag_list,
        )
        for number in numbers
    ]


def _params(request: HttpRequest, *, page_size: int) -> QueryDict:
    """The canonical query of what is shown (defaults left out), for pager links and the URL bar."""
    params = QueryDict(mutable=True)
    for name in FILTERS:
        value = request.GET.get(name, "").strip()
        if value:
            params[name] = value
    if page_size != paging.DEFAULT_PAGE_SIZE:
        params["page_size"] = str(page_size)
    return params


def _export_url(path: str, params: QueryDict) -> str:
    """The CSV of the numbers the filters select (paging left out: the CSV holds every page)."""
    wanted = params.copy()
    wanted.pop("page_size", None)
    wanted["format"] = "csv"
    return f"{path}?{wanted.urlencode()}"


@permission_required(VIEW, raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def number_list(request: HttpRequest) -> HttpResponseBase:
    form = NumberSearchForm(request.GET)
    query = form.query()
    numbers = selectors.number_search(query)
    if request.GET.get("format") == "csv":
        return _numbers_csv(numbers)
    details = htmx_of(request)
    freshness = index.freshness()
    if details is not None and details.target == "index-freshness":
        return render(request, TEMPLATE + "#freshness", {"freshness": freshness})
    listed = paging.list_page(request.GET, numbers, rows=_rows)
    params = _params(request, page_size=listed["page"].paginator.per_page)
    context = {
        **listed,
        "form": form,
        "query": query,
        "params": params,
        "freshness": freshness,
        "choices": selectors.filter_choices(),
        "return_query": params.urlencode(),
        "export_url": _export_url(request.path, params),
    }
    if not wants_fragment(request):
        return render(request, TEMPLATE, context)
    response = render(request, TEMPLATE + "#results", context)
    return push_url(response, paging.shown_url(request.path, params, requested_page=listed["requested_page"]))


def _streamed(lines: Any, filename: str) -> StreamingHttpResponse:
    # The first chunk is made before answering: if the database or Telnyx fails now, the error page
    # says so, instead of the server breaking off an answer it began.
    first = next(lines, "")
    response = StreamingHttpResponse(itertools.chain([first], lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _numbers_csv(numbers: Any) -> StreamingHttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    names = selectors.every_profile_name()
    return _streamed(csv_export.number_csv_chunks(numbers, names), f"phone-numbers-{stamp}.csv")


@permission_required(VIEW, raise_exception=True)
@require_GET
def profile_summary_csv(request: HttpRequest) -> StreamingHttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    lines = csv_export.summary_csv_chunks(summary.profile_summary_rows())
    return _streamed(lines, f"profiles-summary-{stamp}.csv")


@permission_required(VIEW, raise_exception=True)
@require_POST
def number_index_refresh(request: HttpRequest) -> HttpResponse:
    """Anyone who may look numbers up may ask for a refresh: it reads, never writes, runs at the jobs'
    share of the request budget, and a second request while one runs joins the running one."""
    running = index.running_job(index.state())
    job = running or index.number_index_refresh(actor=request.user)
    if running is not None:
        messages.info(request, _("The number index is already being refreshed."))
    elif job is None:
        messages.success(request, _("The number index is up to date: no profile changed since it was read."))
    else:
        messages.success(
            request,
            ngettext(
                "Refreshing the number index: %(count)d profile to read.",
                "Refreshing the number index: %(count)d profiles to read.",
                job.total,
            )
            % {"count": job.total},
        )
    back = reverse("numbers:list")
    query = str(request.POST.get("return_query", ""))
    return redirect_to(request, back + (f"?{query}" if query and "\n" not in query else ""))
