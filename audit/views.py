"""The audit log page (with CSV export) and the per-object history fragment."""

from __future__ import annotations

import itertools

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from audit import readable, services
from audit.csv_export import entry_csv_lines
from audit.forms import AuditFilterForm
from audit.models import AuditEntry
from telnyx_admin.htmx import template_for
from telnyx_admin.paging import PagingForm

# The history tab has no page-size selector: ten entries fit beside an object's details.
HISTORY_PAGE_SIZE = 10


@permission_required("audit.view_auditentry", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def audit_log(request: HttpRequest) -> HttpResponseBase:
    form = AuditFilterForm(request.GET)
    entries = services.entry_search(**form.filters())
    if request.GET.get("format") == "csv":
        return _csv_response(entries)
    number, size = form.paging()
    page = Paginator(entries, size).get_page(number)
    context = {"form": form, "page": page, "entries": readable.describe_entries(page)}
    return render(request, template_for(request, "audit/audit_log.html", "table"), context)


@permission_required("audit.view_history", raise_exception=True)
@require_GET
@vary_on_headers("HX-Request")
def object_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    number, size = PagingForm(request.GET, default_page_size=HISTORY_PAGE_SIZE).paging()
    entries = services.entry_history(object_type=object_type, object_id=object_id)
    page = Paginator(entries, size).get_page(number)
    return render(
        request,
        template_for(request, "audit/history.html", "history"),
        {
            "page": page,
            "entries": readable.describe_entries(page),
            "object_type": object_type,
            "object_type_label": readable.object_type_label(object_type),
            "object_id": object_id,
        },
    )


def _csv_response(entries: QuerySet[AuditEntry]) -> StreamingHttpResponse:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    lines = entry_csv_lines(entries)
    # The first chunk (the header and the first rows) is made before answering: if the database
    # fails now, the error page says so, instead of the server breaking off an answer it began.
    first = next(lines, "")
    response = StreamingHttpResponse(itertools.chain([first], lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
