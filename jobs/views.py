"""Job pages: the list (and starting a job), a job's progress and row outcomes, cancel, results CSV.

A job is visible to its actor, superusers, and users with its kind's permission; anyone else gets
a 403 (also for the CSV and cancel). The job page polls its `progress` fragment every second while
the job runs; the fragment stops asking once the job has finished, and then tells the rows table
(`job-finished` event) to reload itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event
from django_stubs_ext import StrOrPromise

from jobs import kinds, services
from jobs import messages as stored_messages
from jobs.kinds import JobKind
from jobs.models import Job, JobRow
from jobs.recovery import recover_stale_jobs
from telnyx_admin import paging
from telnyx_admin.csv_stream import csv_chunks
from telnyx_admin.htmx import htmx_of, wants_fragment
from telnyx_admin.telnyx.errors import TelnyxError

DETAIL = "jobs/job_detail.html"
# A job that waited for the request budget this recently is "being slowed by it".
BUDGET_RECENT_SECONDS = 15


def _job_for(request: HttpRequest, job_id: int) -> Job:
    try:
        job = Job.objects.get(pk=job_id, account=settings.TELNYX_ACCOUNT)
    except Job.DoesNotExist:
        raise Http404("No such job.") from None
    if not services.job_visible_to(request.user, job):
        raise PermissionDenied
    return job


def _fragment(request: HttpRequest, target: str) -> bool:
    htmx = htmx_of(request)
    return wants_fragment(request) and htmx is not None and htmx.target == target


# --- the list, and starting a job -------------------------------------------------------------------


class StartJobForm(forms.Form):
    kind = forms.CharField(max_length=64)


def _startable_for(user: Any) -> list[JobKind]:
    return [
        kind for kind in kinds.startable() if kind.start_permission and user.has_perm(kind.start_permission)
    ]


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def job_list(request: HttpRequest) -> HttpResponse:
    startable = _startable_for(request.user)
    error = ""
    if request.method == "POST":
        form = StartJobForm(request.POST)
        kind = kinds.get(form.data.get("kind", "")) if form.is_valid() else None
        if kind is None or kind not in startable:
            error = gettext("Choose a kind of job you may start.")
        else:
            assert kind.plan is not None
            try:
                rows = kind.plan()
            except TelnyxError as exc:
                error = gettext("The job could not be planned: %(error)s") % {"error": exc.message}
            else:
                job = services.job_create(kind=kind.name, actor=request.user, rows=rows)
                started = ngettext(
                    "Started: %(label)s (%(count)d row).", "Started: %(label)s (%(count)d rows).", job.total
                )
                messages.success(request, started % {"label": kind.label, "count": job.total})
                return redirect("jobs:detail", job_id=job.pk)
    jobs = services.jobs_visible_to(request.user)
    page_size = paging.page_size_from(request.GET.get("page_size"))
    page = Paginator(jobs, page_size).get_page(paging.page_number_from(request.GET.get("page")))
    listed = [(listed_job, kinds.get(listed_job.kind)) for listed_job in page.object_list]
    context = {"page": page, "rows": listed, "startable": startable, "error": error}
    template = "jobs/job_list.html#table" if _fragment(request, "jobs-table") else "jobs/job_list.html"
    return render(request, template, context, status=400 if error else 200)


# --- one job ---------------------------------------------------------------------------------------


def _progress_context(job: Job) -> dict[str, Any]:
    kind = kinds.get(job.kind)
    now = timezone.now()
    slowed = (
        job.status == Job.Status.RUNNING
        and job.budget_waited_at is not None
        and (now - job.budget_waited_at).total_seconds() < BUDGET_RECENT_SECONDS
    )
    return {
        "job": job,
        "kind": kind,
        "label": kind.label if kind else job.kind,
        "outcomes": [
            (status, kind.outcome_label(status) if kind else status.replace("_", " "), getattr(job, status))
            for status in JobRow.OUTCOMES
        ],
        "slowed": slowed,
        "job_rate": float(settings.TELNYX_RATE_LIMIT) * float(settings.TELNYX_JOB_SHARE),
        "job_share": round(float(settings.TELNYX_JOB_SHARE) * 100),
        "waiting_for_worker": job.status == Job.Status.QUEUED,
    }


def _rows_context(request: HttpRequest, job: Job) -> dict[str, Any]:
    kind = kinds.get(job.kind)
    page_size = paging.page_size_from(request.GET.get("page_size"))
    requested = paging.page_number_from(request.GET.get("page"))
    paginator = Paginator(JobRow.objects.filter(job=job).order_by("position"), page_size)
    page = paginator.get_page(requested)
    columns = kind.columns if kind else ()
    table = []
    for row in page.object_list:
        cells = [(title, _value(row.before, key), _value(row.after, key)) for title, key in columns]
        table.append((row, kind.outcome_label(row.status) if kind else row.status, cells))
    return {
        "job": job,
        "rows_page": page,
        "rows": table,
        "columns": [title for title, _ in columns],
        "show_before": kind.show_before if kind else True,
        "rows_url": reverse("jobs:detail", kwargs={"job_id": job.pk}),
    }


def _value(data: Any, key: str) -> str:
    if not isinstance(data, dict) or key not in data or data[key] is None:
        return ""
    value = data[key]
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


@require_GET
@vary_on_headers("HX-Request")
def job_detail(request: HttpRequest, job_id: int) -> HttpResponseBase:
    job = _job_for(request, job_id)
    if request.GET.get("format") == "csv":
        return _results_csv(job)
    if _fragment(request, "job-progress"):
        if not job.is_finished and job.lease_expires_at and job.lease_expires_at < timezone.now():
            # Its worker stopped renewing the lease: whoever looks first queues it again.
            recover_stale_jobs()
            job.refresh_from_db()
        response = render(request, DETAIL + "#progress", _progress_context(job))
        return trigger_client_event(response, "job-finished") if job.is_finished else response
    if _fragment(request, "job-rows"):
        return render(request, DETAIL + "#rows", _rows_context(request, job))
    return render(request, DETAIL, {**_progress_context(job), **_rows_context(request, job)})


@require_http_methods(["GET", "POST"])
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    """GET asks "are you sure?"; POST cancels (rows not yet sent are not sent)."""
    job = _job_for(request, job_id)
    if request.method == "POST":
        if job.is_finished:
            messages.info(request, gettext("The job had already finished."))
        else:
            services.job_cancel(job=job)
            messages.success(
                request, gettext("Cancelling: the row in progress finishes, the rest will not be sent.")
            )
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "jobs/job_cancel.html", _progress_context(job))


# --- results CSV --------------------------------------------------------------------------------------


def _results_csv(job: Job) -> StreamingHttpResponse:
    kind = kinds.get(job.kind)
    columns = kind.columns if kind else ()
    rows = JobRow.objects.filter(job=job).order_by("position")
    response = StreamingHttpResponse(_csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-{job.pk}-results.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _csv_lines(rows: QuerySet[JobRow], columns: tuple[tuple[StrOrPromise, str], ...]) -> Iterator[str]:
    header = ["position", "object_id", "label", "outcome", "message", "reconciled", "finished_at"]
    for _, key in columns:
        header += [f"before_{key}", f"after_{key}"]
    # Labels and messages come from Telnyx and from people: csv_chunks keeps spreadsheets from running them.
    return csv_chunks(header, (_cells(row, columns) for row in rows.iterator(chunk_size=2000)))


def _cells(row: JobRow, columns: tuple[tuple[StrOrPromise, str], ...]) -> list[Any]:
    cells: list[Any] = [
        row.position,
        row.object_id,
        row.label,
        row.status,
        # Source text, as the other columns keep raw values: a spreadsheet's filter works in any language.
        stored_messages.english(row.message, row.message_params),
        "yes" if row.reconciled else "no",
        row.finished_at.isoformat() if row.finished_at else "",
    ]
    for _, key in columns:
        cells += [_value(row.before, key), _value(row.after, key)]
    return cells
