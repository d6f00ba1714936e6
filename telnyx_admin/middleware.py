"""Site-wide middleware: the role gate, and Telnyx failures turned into a banner.

Order in settings.MIDDLEWARE: `RoleRequiredMiddleware` after `LoginRequiredMiddleware`, and
`TelnyxErrorMiddleware` anywhere (it only implements `process_exception`). Request ids are
telnyx_admin.request_context's.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin
from django_htmx.http import reswap, retarget

from telnyx_admin.roles import group_names
from telnyx_admin.telnyx import errors

logger = logging.getLogger(__name__)

# Views a signed-in user without a role may still reach: signing out, and the public pages.
_ROLELESS_VIEW_NAMES = frozenset({"logout"})


class RoleRequiredMiddleware(MiddlewareMixin):
    """A signed-in user in no group (and not a superuser) gets a polite 403 everywhere but sign-out."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        # Public views (login, health checks) are marked by @login_not_required.
        if not getattr(view_func, "login_required", True):
            return None
        view_class = getattr(view_func, "view_class", None)
        if view_class is not None and issubclass(view_class, LogoutView):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _ROLELESS_VIEW_NAMES:
            return None
        user = request.user
        if not user.is_authenticated or user.is_superuser:
            return None
        if group_names(user):
            return None
        return render(request, "403.html", {"no_role": True}, status=403)


@dataclass(frozen=True)
class Banner:
    """What the error banner says; `includes/telnyx_banner.html` renders it."""

    kind: str  # "unavailable" | "rate_limited" | "auth" | "unexpected"
    title: str
    message: str
    retry_after: int | None = None
    retry_url: str | None = None


def banner_for(exc: errors.TelnyxError, *, retry_url: str | None = None, write: bool = False) -> Banner:
    """Describe a Telnyx failure for people; never includes the request or the API key.

    `write`: the failed request was a POST, so Telnyx may have applied it even without answering.
    """
    if isinstance(exc, errors.RateLimited):
        seconds = max(1, math.ceil(exc.retry_after)) if exc.retry_after else None
        return Banner(
            kind="rate_limited",
            title="Telnyx is rate-limiting us",
            message="Too many requests reached Telnyx in a short time; this one was not carried out.",
            retry_after=seconds,
            retry_url=retry_url,
        )
    if isinstance(exc, errors.ApiUnavailable):
        if isinstance(exc, errors.ConnectionFailed):
            message = "We could not connect to Telnyx, so nothing was sent."
        else:
            if isinstance(exc, errors.RequestTimeout):
                message = "Telnyx did not answer in time."
            else:
                message = "Telnyx answered with a server error."
            if write:
                # A timed-out or failed write may still have been applied at Telnyx.
                message += " If you were saving a change, reload the page to see whether it was applied."
        return Banner(kind="unavailable", title="Telnyx is unavailable", message=message, retry_url=retry_url)
    if isinstance(exc, errors.AuthFailed | errors.Forbidden):
        return Banner(
            kind="auth",
            title="Telnyx refused our credentials",
            message=(
                "The dashboard's Telnyx API key was rejected or may not do this. "
                "An administrator needs to check the TELNYX_API_KEY setting."
            ),
            retry_url=retry_url,
        )
    return Banner(
        kind="unexpected",
        title="Telnyx answered unexpectedly",
        message=f"Telnyx answered with status {exc.status or 'unknown'}.",
        retry_url=retry_url,
    )


class TelnyxErrorMiddleware(MiddlewareMixin):
    """Turn uncaught Telnyx failures into the error banner instead of a 500.

    htmx requests get a 200 whose body is the banner, retargeted into `#messages` (htmx 2 ignores
    4xx/5xx bodies by default). Other requests get the full 503 page, or 429 with `Retry-After`.
    `ValidationFailed`, `NotFound` and `StaleObject` are the views' business (form errors, 404,
    conflict message) and pass through untouched.
    """

    PASS_THROUGH = (errors.ValidationFailed, errors.NotFound, errors.StaleObject)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, errors.TelnyxError) or isinstance(exception, self.PASS_THROUGH):
            return None
        htmx = getattr(request, "htmx", None)
        if htmx:
            retry_url = htmx.current_url_abs_path or None
        else:
            retry_url = request.get_full_path() if request.method == "GET" else request.path
        banner = banner_for(exception, retry_url=retry_url, write=request.method == "POST")
        logger.warning(
            "Telnyx failure %s (status %s) on %s %s, request %s",
            type(exception).__name__,
            exception.status,
            request.method,
            request.path,
            getattr(request, "id", "-"),
        )
        if htmx:
            response = render(request, "includes/telnyx_banner.html", {"banner": banner})
            return reswap(retarget(response, "#messages"), "innerHTML")
        status = 429 if banner.kind == "rate_limited" else 503
        response = render(request, "503.html", {"banner": banner}, status=status)
        if banner.retry_after:
            response["Retry-After"] = str(banner.retry_after)
        return response
