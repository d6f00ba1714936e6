"""Site-wide views: the start page and the health checks."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# The start page sends each role to the first section it may use.
_SECTIONS = (
    ("profiles:list", "profiles.view_messagingprofile"),
    ("shortcodes:list", "shortcodes.view_shortcode"),
    ("audit:log", "audit.view_auditentry"),
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    for url_name, permission in _SECTIONS:
        if request.user.has_perm(permission):
            try:
                return redirect(reverse(url_name))
            except NoReverseMatch:
                continue  # that section is not built (yet)
    return render(request, "home.html")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches neither the database nor Telnyx."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers a query and Telnyx is reachable. 503 lists what failed."""
    checks = {"database": _database_ok(), "telnyx": _telnyx_ok()}
    failed = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "fail" if failed else "ok",
        "checks": {name: "ok" if ok else "fail" for name, ok in checks.items()},
        "failed": failed,
    }
    return JsonResponse(body, status=503 if failed else 200)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready", never a 500
        logger.warning("readyz: database check failed", exc_info=True)
        return False
    return True


def _telnyx_ok() -> bool:
    try:
        from telnyx_admin.telnyx.health import check_reachable

        check_reachable(timeout=2.0)
    except Exception as exc:  # a failed probe is an answer, not an error page
        # Only the exception's class: its text could echo request details.
        logger.warning("readyz: Telnyx check failed: %s", type(exc).__name__)
        return False
    return True
