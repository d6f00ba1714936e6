"""Site-wide views: the start page, the health checks, and the page for an unreachable database."""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from telnyx_admin.telnyx import health

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
            return redirect(reverse(url_name))
    return render(request, "home.html")


# Connection refused, timed out or lost, or a statement cancelled by its timeout. Errors in what was
# asked (IntegrityError, ProgrammingError) are bugs and stay 500s.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database that cannot be reached gets a 503 saying so; anything else the 500 page.

    Django calls this while the exception is being handled, from wherever it was raised (a view, or a
    middleware loading the session or the user), so `sys.exception()` is what went wrong.
    """
    exc = sys.exception()
    if isinstance(exc, DATABASE_UNREACHABLE) or (isinstance(exc, DatabaseError) and _connection_gone()):
        # One line naming the failure (an htmx answer is a 200, which Django would not log).
        logger.warning("Database unreachable (%s) on %s %s", type(exc).__name__, request.method, request.path)
        return database_unavailable(request)
    return defaults.server_error(request)


def _connection_gone() -> bool:
    """The request's connection was ended under it: whatever error class the driver chose for the
    query that found out, the database is what failed, not the query."""
    return connection.connection is not None and not connection.is_usable()


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page, rendered without touching the database (no user, no session, no messages)."""
    # A save may have reached Telnyx before the database went: say where to check, not "nothing saved".
    context = {"write": request.method not in ("GET", "HEAD")}
    if request.headers.get("HX-Request") == "true":
        # htmx ignores the body of an error status: answer 200 and put the alert in the message area.
        body = render_to_string("database_unavailable.html#alert", context)
        response = HttpResponse(body)
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        response["HX-Push-Url"] = "false"  # the address bar must not claim what did not happen
    else:
        response = HttpResponse(render_to_string("database_unavailable.html", context), status=503)
    response["Retry-After"] = "10"
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process serves requests. Touches neither the database, Redis nor Telnyx."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: this instance can serve users, which takes the database (503 without it).

    Redis and Telnyx trouble is reported as `degraded` with a 200: the site still works without Redis,
    and no instance can fix Telnyx, so a load balancer must not pull every instance over it. The
    Telnyx state comes from the background check (telnyx_admin.telnyx.health), never from a call made
    for this request.
    """
    health.ensure_monitor()
    telnyx = health.latest()
    checks = {"database": _database_state(), "cache": _cache_state(), "telnyx": telnyx.state}
    failed = [name for name in ("database",) if checks[name] != "ok"]
    degraded = [name for name, state in checks.items() if state in _DEGRADED_STATES and name not in failed]
    age = telnyx.age()
    body = {
        "status": "fail" if failed else "degraded" if degraded else "ok",
        "checks": checks,
        "failed": failed,
        "degraded": degraded,
        "telnyx_checked_seconds_ago": None if age is None else round(age, 1),
    }
    return JsonResponse(body, status=503 if failed else 200)


# States that mean "working, but not fully": Redis skipped, Telnyx down or refusing. ("local": a cache
# per process, as configured; "unknown": Telnyx not checked yet.)
_DEGRADED_STATES = frozenset(
    {"unavailable", health.RATE_LIMITED, health.CREDENTIALS_REJECTED, health.UNEXPECTED}
)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready", never a 500
        logger.warning("readyz: database check failed: %s", type(exc).__name__)
        return "unavailable"
    return "ok"


def _cache_state() -> str:
    """Redis: "ok" or "unavailable" (a short ping, not even sent while Redis is being skipped).

    "local" for a cache per process (CACHE_URL unset), "unchecked" for any other backend.
    """
    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        return "local"
    if not isinstance(cache, RedisCache):
        return "unchecked"
    try:
        cache.client.get_client(write=True).ping()
    except RedisError as exc:
        logger.warning("readyz: Redis check failed: %s", type(exc).__name__)
        return "unavailable"
    return "ok"
