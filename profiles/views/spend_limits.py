"""`/spend-limits/`: every profile's daily spend limit in one table, for account managers and everyone
who may view profiles. Account managers also edit a row inline (spend_inline.py) and change many
profiles at once or import a CSV (spend_changes.py).

One view serves the page and, for htmx, the `overview` fragment (totals, chart, table, pager) that
filters, sorting and paging swap. The data is the profile catalog: no Telnyx call while it is
cached, ceil(profiles / 250) calls fetched together when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from profiles import catalog, selectors, spend_overview
from profiles.catalog import ProfileSummary
from profiles.forms.spend_bulk import BulkSpendLimitForm
from profiles.spend_overview import OverviewQuery
from telnyx_admin import formatting, paging
from telnyx_admin.htmx import wants_fragment
from telnyx_admin.telnyx.records import parse_time

TEMPLATE = "profiles/spend_limit_overview.html"
_PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
COLUMNS = (
    ("name", gettext_lazy("Name")),
    ("limit", gettext_lazy("Daily spend limit (USD)")),
    ("enforced", gettext_lazy("Enforced")),
    ("updated", gettext_lazy("Updated (UTC)")),
)
AMOUNT_ERROR = gettext_lazy("Enter an amount in USD, such as 100 or 25.50.")
AMOUNT_ERRORS = {
    "invalid": AMOUNT_ERROR,
    "max_decimal_places": AMOUNT_ERROR,
    "max_digits": AMOUNT_ERROR,
    "min_value": gettext_lazy("Enter an amount of 0 or more."),
}


class SpendOverviewForm(forms.Form):
    """The overview's filters, from the URL. A bad amount is reported beside its field and that
    filter is left out; an unknown sort or choice falls back to the default (URLs are edited)."""

    q = forms.CharField(
        required=False, max_length=selectors.MAX_QUERY_LENGTH, label=gettext_lazy("Name contains")
    )
    enforcement = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Enforcement"),
        choices=[
            ("", gettext_lazy("Any")),
            ("enforced", gettext_lazy("Enforced")),
            ("not_enforced", gettext_lazy("Not enforced")),
        ],
    )
    limit = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Limit"),
        choices=[
            ("", gettext_lazy("Any")),
            ("set", gettext_lazy("Has a limit")),
            ("none", gettext_lazy("No limit")),
        ],
    )
    above = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2,
        label=gettext_lazy("Limit at least (USD)"),
        error_messages=AMOUNT_ERRORS,
    )  # fmt: skip
    below = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2,
        label=gettext_lazy("Limit at most (USD)"),
        error_messages=AMOUNT_ERRORS,
    )  # fmt: skip

    def query(self) -> OverviewQuery:
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = getattr(self, "cleaned_data", {})
        raw_sort = str(self.data.get("sort", "") or "name")
        descending = raw_sort.startswith("-")
        sort = raw_sort.lstrip("-")
        if sort not in spend_overview.SORTS:
            sort, descending = "name", False
        return OverviewQuery(
            q=(data.get("q") or "").strip(),
            enforcement=data.get("enforcement") or "",
            limit=data.get("limit") or "",
            above=data.get("above"),
            below=data.get("below"),
            sort=sort,
            descending=descending,
        )


@dataclass(frozen=True, slots=True)
class OverviewRow:
    id: str
    url: str
    edit_url: str
    name: str
    select_label: str
    limit: str
    enforced: str
    updated: str
    updated_at: str
    is_enforced: bool = False


@dataclass(frozen=True, slots=True)
class _RowParts:
    """What every row of one rendering shares, worked out once for the page rather than per row."""

    detail_pattern: str
    overview_url: str
    no_name: str
    yes: str
    no: str

    @classmethod
    def now(cls) -> _RowParts:
        return cls(
            detail_pattern=reverse("profiles:detail", kwargs={"profile_id": _PLACEHOLDER_ID}),
            overview_url=reverse("spend_limits:overview"),
            no_name=gettext("(no name)"),
            yes=gettext("Yes"),
            no=gettext("No"),
        )


def row_labels() -> dict[str, str]:
    """Each cell's phone-width label (data-label), translated once per rendering, not once per row."""
    return {
        "limit": gettext("Daily spend limit"),
        "no_limit": gettext("no limit"),
        "enforced": gettext("Enforced"),
        "updated": gettext("Updated"),
        "edit": gettext("Edit"),
    }


def overview_row(profile: ProfileSummary, *, parts: _RowParts | None = None) -> OverviewRow:
    """A profile as one row of the table (also the row an inline edit swaps back in)."""
    parts = parts or _RowParts.now()
    limit = spend_overview.limit_of(profile)
    updated = parse_time(profile.updated_at)
    name = profile.name or parts.no_name
    return OverviewRow(
        id=profile.id,
        url=parts.detail_pattern.replace(_PLACEHOLDER_ID, profile.id.lower()),
        edit_url=f"{parts.overview_url}{profile.id}/edit/",
        name=name,
        select_label=gettext("Select %(name)s") % {"name": name},
        limit=formatting.money(limit) if limit is not None else "",
        enforced=parts.yes if profile.daily_spend_limit_enabled else parts.no,
        is_enforced=profile.daily_spend_limit_enabled,
        updated=formatting.when(updated) if updated else "",
        updated_at=profile.updated_at,
    )


def _rows(profiles: list[ProfileSummary]) -> list[OverviewRow]:
    parts = _RowParts.now()
    return [overview_row(profile, parts=parts) for profile in profiles]


def _params(query: OverviewQuery, request: HttpRequest, *, page_size: int) -> QueryDict:
    """The canonical query of what is shown (defaults left out), for pager and sort links."""
    params = QueryDict(mutable=True)
    for name in ("q", "enforcement", "limit", "above", "below"):
        value = request.GET.get(name, "")
        if value:
            params[name] = value
    sort = ("-" if query.descending else "") + query.sort
    if sort != "name":
        params["sort"] = sort
    if page_size != paging.DEFAULT_PAGE_SIZE:
        params["page_size"] = str(page_size)
    return params


def _sort_links(query: OverviewQuery, params: QueryDict) -> list[dict[str, Any]]:
    links = []
    for key, title in COLUMNS:
        current = query.sort == key
        # A click on the sorted column turns its direction; another column starts ascending.
        target = f"-{key}" if current and not query.descending else key
        link = params.copy()
        link.pop("page", None)
        link["sort"] = target
        if target == "name":
            del link["sort"]
        direction = ("descending" if query.descending else "ascending") if current else "none"
        links.append({"key": key, "title": title, "query": link.urlencode(), "aria_sort": direction})
    return links


# The account's totals and chart change only with the catalog: computed once per catalog a process
# reads (the catalog object is kept per process, see catalog._memo), not on every view.
_per_catalog: dict[str, tuple[catalog.ProfileCatalog, Any]] = {}


def _once_per_catalog(name: str, snapshot: catalog.ProfileCatalog, compute: Any) -> Any:
    known = _per_catalog.get(name)
    if known is not None and known[0] is snapshot:
        return known[1]
    value = compute(snapshot.profiles)
    _per_catalog[name] = (snapshot, value)
    return value


def _account_totals(snapshot: catalog.ProfileCatalog) -> spend_overview.Totals:
    return _once_per_catalog("totals", snapshot, spend_overview.totals)


def _account_chart(snapshot: catalog.ProfileCatalog) -> spend_overview.Chart:
    return _once_per_catalog("chart", snapshot, spend_overview.distribution)


@permission_required("profiles.view_messagingprofile", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def spend_limit_overview(request: HttpRequest) -> HttpResponse:
    form = SpendOverviewForm(request.GET)
    query = form.query()
    snapshot = catalog.profile_catalog()
    found = spend_overview.select(snapshot.by_name, query)
    listed = paging.list_page(request.GET, found, rows=_rows)
    params = _params(query, request, page_size=listed["page"].paginator.per_page)
    account = _account_totals(snapshot)
    unfiltered = len(found) == len(snapshot)
    built = timezone.localtime(datetime.fromtimestamp(snapshot.built_at, tz=UTC))
    context = {
        **listed,
        "form": form,
        "query": query,
        "params": params,
        "sort_links": _sort_links(query, params),
        "account": account,
        "matching": account if unfiltered else spend_overview.totals(found),
        "filtered": not unfiltered,
        "chart": _account_chart(snapshot) if unfiltered else spend_overview.distribution(found),
        "built": built,
        "stale": snapshot.age() >= float(settings.PROFILE_CATALOG_FRESH_SECONDS),
        # Field-level permission: without it the page has no edit buttons, no selection and no bulk
        # form, and the views behind them refuse (profiles/views/spend_inline.py, spend_changes.py).
        "can_edit": request.user.has_perm("profiles.change_spend_limit"),
        "labels": row_labels(),
        "bulk_form": BulkSpendLimitForm(initial={"filter": params.urlencode()}),
    }
    if not wants_fragment(request):
        return render(request, TEMPLATE, context)
    response = render(request, TEMPLATE + "#overview", context)
    # The address bar gets the tidy URL of what is shown, not the form's every empty field.
    return push_url(response, paging.shown_url(request.path, params, requested_page=listed["requested_page"]))
