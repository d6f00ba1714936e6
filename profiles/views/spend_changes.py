"""Changing many spend limits at once (account managers): a bulk change from the overview, a CSV import,
and the confirmation that starts either as a background job.

Both end in a preview: every profile the change touches, before and after (for an import, every row
of the file: change, no change, or invalid with why). Nothing is sent until the preview is
confirmed; the confirmed plan is then a job (`profiles.set_spend_limits`) whose page shows progress,
per-row outcomes, cancel and the results CSV. A second click on Confirm shows the same job.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.context import AuditContext
from profiles import catalog, spend_overview, spend_plans
from profiles.catalog import ProfileSummary
from profiles.forms.spend_bulk import (
    IMPORT_MAX_BYTES,
    SCOPE_MATCHING,
    BulkSpendLimitForm,
    SpendLimitImportForm,
)
from profiles.services import PERMISSION_SPEND_LIMIT
from profiles.spend_import import ImportRefused, decode, plan_import, read_rows
from profiles.spend_plans import Counts, PlanRow
from profiles.views.spend_limits import SpendOverviewForm

PREVIEW_TEMPLATE = "profiles/spend_limit_bulk.html"
IMPORT_TEMPLATE = "profiles/spend_limit_import.html"


def _chosen(form: BulkSpendLimitForm, snapshot: catalog.ProfileCatalog) -> list[ProfileSummary]:
    """The profiles the change is for: those ticked, or every one the overview's filter lets through."""
    if form.cleaned_data["scope"] == SCOPE_MATCHING:
        query = SpendOverviewForm(QueryDict(form.cleaned_data.get("filter") or "")).query()
        return spend_overview.select(snapshot.by_name, query)
    ticked = set(form.cleaned_data["profile"])
    return [profile for profile in snapshot.by_name if profile.id in ticked]


def _plan_context(rows: list[PlanRow], token: str) -> dict[str, Any]:
    return {"plan_rows": rows, "counts": Counts.of(rows), "token": token}


@require_http_methods(["GET", "POST"])
@permission_required(PERMISSION_SPEND_LIMIT, raise_exception=True)
def spend_limit_bulk(request: HttpRequest) -> HttpResponse:
    """POST from the overview (or from this page, to preview again): the preview of a bulk change."""
    if request.method == "GET":
        return redirect("spend_limits:overview")
    snapshot = catalog.profile_catalog()
    form = BulkSpendLimitForm(request.POST, known_ids=set(snapshot.names))
    context: dict[str, Any] = {"form": form, "overview_query": request.POST.get("filter", "")}
    if not form.is_valid():
        return render(request, PREVIEW_TEMPLATE, context)
    rows = spend_plans.plan_change(_chosen(form, snapshot), limit=form.limit(), enabled=form.enabled())
    token = spend_plans.plan_store(request.session, rows=rows, fields=form.fields_set(), source="bulk")
    return render(request, PREVIEW_TEMPLATE, {**context, **_plan_context(rows, token)})


@require_http_methods(["GET", "POST"])
@permission_required(PERMISSION_SPEND_LIMIT, raise_exception=True)
def spend_limit_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: the dry run of the uploaded file, row by row."""
    if request.method == "GET":
        return render(request, IMPORT_TEMPLATE, {"form": SpendLimitImportForm()})
    form = SpendLimitImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, IMPORT_TEMPLATE, {"form": form})
    upload = form.cleaned_data["file"]
    try:
        rows = read_rows(decode(upload.read(IMPORT_MAX_BYTES + 1)))
    except ImportRefused as exc:
        form.add_error("file", exc.message)
        return render(request, IMPORT_TEMPLATE, {"form": form})
    snapshot = catalog.profile_catalog()
    by_id = {profile.id: profile for profile in snapshot.profiles}
    plan = plan_import(rows, by_id)
    token = spend_plans.plan_store(request.session, rows=plan, fields=spend_plans.FIELDS, source="import")
    context = {"form": SpendLimitImportForm(), "file_name": upload.name, **_plan_context(plan, token)}
    return render(request, IMPORT_TEMPLATE, context)


@require_http_methods(["GET", "POST"])
@permission_required(PERMISSION_SPEND_LIMIT, raise_exception=True)
def spend_limit_confirm(request: HttpRequest) -> HttpResponse:
    """POST: start the previewed plan as a job, once; then show the job."""
    if request.method == "GET":
        return redirect("spend_limits:overview")
    token = request.POST.get("plan", "")
    started = spend_plans.job_of_plan(token) if token else None
    if started is not None:
        messages.info(request, _("This change was already started: here is its job."))
        return redirect("jobs:detail", job_id=started.pk)
    plan = spend_plans.plan_take(request.session, token) if token else None
    if plan is None:
        messages.warning(
            request, _("This preview is no longer available (it was replaced by a newer one). Preview again.")
        )
        return redirect("spend_limits:overview")
    if not plan["rows"]:
        messages.info(request, _("Nothing to change: every profile already has these values."))
        return redirect("spend_limits:overview")
    job = spend_plans.start_plan(actor=request.user, audit=AuditContext.of(request), token=token, plan=plan)
    messages.success(
        request,
        _("Started: the spend limits of %(count)d profiles are being changed.") % {"count": job.total},
    )
    return redirect("jobs:detail", job_id=job.pk)
