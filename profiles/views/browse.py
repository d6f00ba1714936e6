"""Browsing messaging profiles: the searchable list, the detail page, its phone-numbers tab, the CSV export.

Each view makes one Telnyx call per response (the detail page opened at a phone-numbers URL makes
two: the profile and the page of numbers). The same view serves the full page and, for htmx, only
the fragment that changes (`template.html#partial`). Rate limits, timeouts and outages propagate to
`TelnyxErrorMiddleware`, which turns them into the error banner; a missing profile is a 404.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from audit.services import OBJECT_TYPE_PROFILE
from profiles import selectors
from profiles.csv_export import phone_number_csv_chunks
from telnyx_admin import formatting, paging
from telnyx_admin.htmx import redirect_to, template_for, wants_fragment
from telnyx_admin.lookups import found_or_404
from telnyx_admin.paging import PagingForm, paging_params
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx import profiles as telnyx_profiles
from telnyx_admin.telnyx.number_listing import NumberListing
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.profiles import MessagingProfile, PhoneNumber
from writes.reconcile import reconcile_on_view

logger = logging.getLogger(__name__)

LIST_TEMPLATE = "profiles/profile_list.html"
DETAIL_TEMPLATE = "profiles/profile_detail.html"


def _past_end(page: Page[Any] | None, requested: int) -> bool:
    if page is None:
        return False
    return paging.past_the_end(total=page.total_results, pages=page.total_pages, requested=requested)


# --- List ------------------------------------------------------------------------------------------

_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True, slots=True)
class ProfileColumns:
    """The list's column names, translated once per table: the header and every row's phone-width
    label (`data-label`) share them."""

    name: str
    enabled: str
    destinations: str
    spend_limit: str
    webhook_url: str
    updated: str

    @classmethod
    def translated(cls) -> ProfileColumns:
        return cls(
            name=gettext("Name"),
            enabled=gettext("Enabled"),
            destinations=gettext("Destinations"),
            spend_limit=gettext("Daily spend limit"),
            webhook_url=gettext("Webhook URL"),
            updated=gettext("Updated"),
        )


# The rows are HTML built here, as Django admin's changelist builds its cells (`items_for_result`):
# the table is most of the page and of every search-as-you-type answer, and a template loop pays a
# variable lookup, a localisation check and an escape for each of a row's dozen values. Each value
# goes through `html.escape`, which is what Django's `escape` does, without its lazy-string checks
# (format_html took 30 us a row, this 8). Measured by `make bench`'s profile_list_app_vs_admin.
# site.css styles the columns of .profile-rows by position.
_ROW = (
    '<tr><td class="cell-name"><a href="{}">{}</a></td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}">{} <small class="muted">{}</small></td><td data-label="{}">{}</td>'
    '<td data-label="{}">{}</td></tr>\n'
)
_UPDATED = '<time datetime="{}">{}</time>'


def _rows(page: Page[MessagingProfile] | None, columns: ProfileColumns) -> SafeString:
    """The table's rows, every value escaped; the URL is reversed once per table."""
    if page is None:
        return SafeString()
    url_pattern = reverse("profiles:detail", kwargs={"profile_id": _PLACEHOLDER_ID})
    yes, no = escape(gettext("Yes")), escape(gettext("No"))
    enforced, not_enforced = escape(gettext("enforced")), escape(gettext("not enforced"))
    labels = [escape(label) for label in (columns.enabled, columns.destinations, columns.spend_limit)]
    labels += [escape(columns.webhook_url), escape(columns.updated)]
    rows = []
    for profile in page:
        updated = profile.updated
        when = formatting.EMPTY
        if updated:
            when = _UPDATED.format(escape(profile.updated_at), escape(formatting.when(updated)))
        rows.append(
            _ROW.format(
                escape(url_pattern.replace(_PLACEHOLDER_ID, profile.id.lower())),
                escape(profile.name or gettext("(no name)")),
                labels[0],
                yes if profile.enabled else no,
                labels[1],
                escape(formatting.code_list(profile.whitelisted_destinations)),
                labels[2],
                escape(formatting.money(profile.daily_spend_limit) or formatting.EMPTY),
                enforced if profile.daily_spend_limit_enabled else not_enforced,
                labels[3],
                formatting.url_breaks(profile.webhook_url) if profile.webhook_url else formatting.EMPTY,
                labels[4],
                when,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above went through escape


@permission_required("profiles.view_messagingprofile", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def profile_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page_number, page_size = PagingForm(request.GET).paging()
    rejected = ""
    try:
        search = selectors.profile_search(q=q, page_number=page_number, page_size=page_size)
    except errors.ValidationFailed as exc:
        # Telnyx refused the query itself (a filter it does not accept): say so where the table was.
        search = selectors.ProfileSearch(q=selectors.search_text(q))
        rejected = "; ".join(error.message for error in exc.errors) or exc.message
    if search.open_profile_id:
        url = reverse("profiles:detail", kwargs={"profile_id": search.open_profile_id})
        return redirect_to(request, url)
    params = paging_params(page_number=page_number, page_size=page_size, q=search.q)
    page = search.page
    columns = ProfileColumns.translated()
    context = {
        "q": search.q,
        "page": page,
        "columns": columns,
        "rows": _rows(page, columns),
        "page_size": page_size,
        "requested_page": page_number,
        "params": params,
        "past_end": _past_end(page, page_number),
        "rejected": rejected,
    }
    return render(request, template_for(request, LIST_TEMPLATE, "table"), context)


# --- Detail and its phone-numbers tab -----------------------------------------------------------------


def _numbers_context(
    *, profile_id: str, page: Page[PhoneNumber], page_number: int, page_size: int
) -> dict[str, Any]:
    return {
        "profile_id": profile_id,
        "numbers": page,
        "numbers_loaded": True,
        "numbers_url": reverse("profiles:phone_numbers", kwargs={"profile_id": profile_id}),
        "numbers_params": paging_params(page_number=page_number, page_size=page_size),
        "numbers_past_end": _past_end(page, page_number),
    }


@dataclass(frozen=True, slots=True)
class DetailTab:
    """One tab of the detail page: its key in `?tab=`, its name, where htmx loads its panel from and
    the address pushed when it is opened."""

    key: str
    label: str
    url: str
    page_url: str


def _detail_tabs(request: HttpRequest, profile_id: str) -> list[DetailTab]:
    """The tabs this user may open, in order."""
    page_url = reverse("profiles:detail", kwargs={"profile_id": profile_id})
    tabs = [
        ("phone-numbers", _("Phone numbers"), reverse("profiles:phone_numbers", args=[profile_id]), None),
        ("short-codes", _("Short codes"), reverse("profiles:short_codes", args=[profile_id]), None),
        (
            "history",
            _("History"),
            reverse("audit:history", args=[OBJECT_TYPE_PROFILE, profile_id]),
            "audit.view_history",
        ),
    ]
    return [
        DetailTab(key=key, label=str(label), url=url, page_url=f"{page_url}?tab={key}")
        for key, label, url, permission in tabs
        if permission is None or request.user.has_perm(permission)
    ]


def _render_detail(
    request: HttpRequest, profile: MessagingProfile, numbers_context: dict[str, Any] | None = None
) -> HttpResponse:
    # Writes to this profile whose answer was lost are judged against what was just fetched (no call).
    open_writes = reconcile_on_view(object_type=OBJECT_TYPE_PROFILE, object_id=profile.id, current=profile)
    tabs = _detail_tabs(request, profile.id)
    # The open tab is in the address (`?tab=history`), so a reload or a shared link opens it again.
    wanted = "phone-numbers" if numbers_context else request.GET.get("tab", "")
    open_tab = next((tab for tab in tabs if tab.key == wanted), tabs[0])
    context: dict[str, Any] = {
        "open_writes": open_writes,
        "profile": profile,
        "profile_id": profile.id,
        "tabs": tabs,
        "open_tab": open_tab,
        "numbers_url": reverse("profiles:phone_numbers", kwargs={"profile_id": profile.id}),
        **(numbers_context or {}),
    }
    return render(request, DETAIL_TEMPLATE, context)


@permission_required("profiles.view_messagingprofile", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def profile_detail(request: HttpRequest, profile_id: str) -> HttpResponse:
    # The tabs load themselves by htmx, so the page costs exactly one call: the profile.
    return _render_detail(request, selectors.profile_or_404(profile_id=profile_id))


@permission_required("profiles.view_messagingprofile", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def profile_phone_numbers(request: HttpRequest, profile_id: str) -> HttpResponseBase:
    """The phone-numbers tab: the fragment for htmx, the detail page with this tab open otherwise
    (a reload of a pushed pager URL, or a link opened in a new tab), or `?format=csv`: all of them."""
    if request.GET.get("format") == "csv":
        return _csv_export(profile_id)
    page_number, page_size = PagingForm(request.GET).paging()
    fragment = wants_fragment(request)
    profile = None if fragment else selectors.profile_or_404(profile_id=profile_id)
    try:
        page = telnyx_profiles.list_profile_phone_numbers(
            profile_id=profile_id, page_number=page_number, page_size=page_size
        )
    except errors.NotFound:
        if not fragment:
            raise  # deleted since the profile was read: the middleware's 404
        # htmx 2 does not swap a 404's body: answer 200 so the tab says why it is empty.
        return render(request, DETAIL_TEMPLATE + "#profile_gone", {"profile_id": profile_id})
    numbers = _numbers_context(profile_id=profile_id, page=page, page_number=page_number, page_size=page_size)
    if fragment:
        return render(request, DETAIL_TEMPLATE + "#phone_numbers", numbers)
    assert profile is not None
    return _render_detail(request, profile, numbers)


# --- CSV export --------------------------------------------------------------------------------------


def _csv_export(profile_id: str) -> StreamingHttpResponse:
    """Stream every number of the profile; the first page is fetched before answering.

    Fetching it first means a missing profile is a 404 and an outage or rate limit is the error
    banner, not a 200 with an empty file. A failure after streaming has begun cannot change the
    status any more: the transfer is aborted instead, so the browser reports a failed download
    rather than saving a file that silently lacks rows.
    """
    numbers = telnyx_profiles.export_profile_phone_numbers(profile_id=profile_id)
    first = found_or_404(lambda: next(numbers, None), what="messaging profile")
    response = StreamingHttpResponse(
        phone_number_csv_chunks(_resumed(first, numbers, profile_id=profile_id)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="profile-{profile_id}-phone-numbers.csv"'
    # Every export reflects Telnyx now; never let a proxy or the browser hand back an old one.
    response["Cache-Control"] = "no-store"
    return response


def _resumed(
    first: NumberListing | None, rest: Iterator[NumberListing], *, profile_id: str
) -> Iterator[NumberListing]:
    if first is None:
        return
    yield first
    try:
        yield from rest
    except errors.TelnyxError as exc:
        logger.warning(
            "CSV export of profile %s aborted mid-stream: %s (status %s)",
            profile_id,
            type(exc).__name__,
            exc.status,
        )
        raise
