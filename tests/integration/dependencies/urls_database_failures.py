"""Test-only URLconf: the real site and its error handler, plus views whose database query fails or
runs as long as asked."""

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, OperationalError, connection
from django.http import HttpResponse
from django.urls import include, path


@login_not_required
def unreachable(request):
    raise OperationalError("connection failed: timeout expired")


@login_not_required
def bug(request):
    raise IntegrityError("duplicate key value violates unique constraint")


@login_not_required
def sleep(request):
    """A statement that runs `?seconds=` on the server (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET["seconds"])])
    return HttpResponse("slept")


urlpatterns = [
    path("_test/db/unreachable/", unreachable),
    path("_test/db/sleep/", sleep),
    path("_test/db/bug/", bug),
    path("", include("telnyx_admin.urls")),
]
handler500 = "telnyx_admin.views.server_error"
