"""Test-only URLconf: the real site and its error handler, plus views whose database query fails."""

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, OperationalError
from django.urls import include, path


@login_not_required
def unreachable(request):
    raise OperationalError("connection failed: timeout expired")


@login_not_required
def bug(request):
    raise IntegrityError("duplicate key value violates unique constraint")


urlpatterns = [
    path("_test/db/unreachable/", unreachable),
    path("_test/db/bug/", bug),
    path("", include("telnyx_admin.urls")),
]
handler500 = "telnyx_admin.views.server_error"
