"""The audit log page (with CSV export) and the per-object history fragment."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from audit import services
from audit.csv_export import entry_csv_lines
from audit.forms import AuditFilterForm, PagingForm

HISTORY_PAGE_SIZE = 10


@permission_required("audit.view_auditentry", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def audit_log(request) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    entries = services.entry_search(**form.filters())
    if request.GET.get("format") == "csv":
        return _csv_response(entries)
    number, size = form.paging()
    page = Paginator(entries, size).get_page(number)
    name = "audit/audit_log.html"
    htmx: HtmxDetails = request.htmx
    if htmx and not htmx.boosted:
        name += "#table"
    return render(request, name, {"form": form, "page": page})


@permission_required("audit.view_history", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def object_history(request, object_type: str, object_id: str) -> HttpResponse:
    form = PagingForm(request.GET)
    number, size = form.paging(default_size=HISTORY_PAGE_SIZE)
    entries = services.entry_history(object_type=object_type, object_id=object_id)
    page = Paginator(entries, size).get_page(number)
    name = "audit/history.html"
    if request.htmx:
        name += "#history"
    return render(
        request,
        name,
        {"page": page, "object_type": object_type, "object_id": object_id},
    )


def _csv_response(entries) -> StreamingHttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(entry_csv_lines(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
