"""Test-only URLconf: the real site plus views that fail the way Telnyx calls (and the database) fail."""

import contextlib

import psycopg
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

from audit.context import AuditContext
from shortcodes.services import short_code_tags_update
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx.profiles import list_profiles
from writes.errors import OutcomeUnknown, WriteBusy, WriteNotRecorded
from writes.path import NotApplied

FAILURES = {
    "connection": errors.ConnectionFailed("connect refused", request_sent=False),
    "broken": errors.ConnectionFailed("connection reset"),
    "timeout": errors.RequestTimeout("read timed out"),
    "server-error": errors.ApiUnavailable("bad gateway", status=502),
    "rate-limited": errors.RateLimited("slow down", status=429, retry_after=7.2),
    "auth": errors.AuthFailed("bad key", status=401),
    "forbidden": errors.Forbidden("no", status=403),
    "unexpected": errors.UnexpectedStatus("moved", status=302),
    "teapot": errors.UnexpectedStatus("teapot", status=418),
    "validation": errors.ValidationFailed("bad input", status=422),
    "not-found": errors.NotFound("gone", status=404),
    "stale": errors.StaleObject("The short code 123 was changed by someone else."),
    "unknown": OutcomeUnknown(entry_id=1, cause=errors.RequestTimeout("read timed out")),
    "not-applied": NotApplied(errors.ApiUnavailable("bad gateway", status=502)),
    "busy": WriteBusy(),
    "not-recorded": WriteNotRecorded(),
}


def fail(request, kind):
    raise FAILURES[kind]


def database_lost(request):
    """End this request's own PostgreSQL connection from outside, as a failover would, then use it."""
    backend = connection.cursor().connection.info.backend_pid
    settings = connection.settings_dict
    url = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("unreachable")


def database_bug(request):
    """A query the database refuses on a working connection (a parameter missing): a bug, not an
    outage. Both SQLite and PostgreSQL call this a ProgrammingError."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [])
    return HttpResponse("unreachable")


def write_then_fail(request, short_code_id):
    """A save that sends a tags change through the write path, keeps quiet about how it went (applied,
    refused, undecided), then fails on a Telnyx read that nothing catches."""
    with contextlib.suppress(errors.ValidationFailed, OutcomeUnknown):
        short_code_tags_update(
            actor=request.user,
            audit=AuditContext.of(request),
            short_code_id=short_code_id,
            tags=[request.POST["tag"]],
        )
    raise errors.ConnectionFailed("connection reset")


def list_from_telnyx(request):
    page = list_profiles(page_size=5)
    return HttpResponse(f"{len(page.object_list)} profiles")


# The site's own error handler, as the real URLconf declares it.
handler500 = "telnyx_admin.views.server_error"

urlpatterns = [
    path("_test/database-lost/", database_lost),
    path("_test/database-bug/", database_bug),
    path("_test/fail/<str:kind>/", fail),
    path("_test/list/", list_from_telnyx),
    path("_test/write-then-fail/<str:short_code_id>/", write_then_fail),
    path("", include("telnyx_admin.urls")),
]
