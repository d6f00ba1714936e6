"""Site-wide middleware: the role gate, and Telnyx failures turned into a banner.

Order in settings.MIDDLEWARE: `RoleRequiredMiddleware` after `LoginRequiredMiddleware`, and
`TelnyxErrorMiddleware` anywhere (it only implements `process_exception`). Request ids are
telnyx_admin.request_context's.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django_htmx.http import push_url, reswap, retarget
from django_stubs_ext import StrOrPromise

from audit.models import AuditEntry
from telnyx_admin.roles import group_names
from telnyx_admin.telnyx import errors
from writes import this_request
from writes.errors import OutcomeUnknown, WriteError

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

    kind: str  # "unavailable" | "rate_limited" | "auth" | "rejected" | "unexpected" | "write" | "unknown"
    title: StrOrPromise
    message: str
    retry_after: int | None = None
    retry_url: str | None = None
    status: int | None = None  # of a full page showing it; None: decided by `kind`


def banner_for(exc: Exception, *, retry_url: str | None = None, write: bool = False) -> Banner:
    """Describe a failure for people; never includes the request or the API key.

    `write`: the request was a save. Writes go through the write path (writes.path), which turns every
    "may have been applied" into NotApplied or OutcomeUnknown; a plain Telnyx error that reaches here
    from a save was therefore a refusal or a failed read before sending: nothing was changed.
    """
    if isinstance(exc, WriteError):
        kind = "unknown" if isinstance(exc, OutcomeUnknown) else "write"
        return Banner(kind=kind, title=exc.title, message=exc.message, retry_url=None, status=exc.status)
    unchanged = " " + gettext("Nothing was changed.") if write else ""
    if isinstance(exc, errors.RateLimited):
        seconds = max(1, math.ceil(exc.retry_after)) if exc.retry_after else None
        return Banner(
            kind="rate_limited",
            title=gettext("Telnyx is rate-limiting us"),
            message=gettext(
                "Too many requests reached Telnyx in a short time; this one was not carried out."
            ),
            retry_after=seconds,
            retry_url=retry_url,
        )
    if isinstance(exc, errors.ApiUnavailable):
        if not exc.request_sent:
            message = gettext("We could not connect to Telnyx, so nothing was sent.")
        elif isinstance(exc, errors.RequestTimeout):
            message = gettext("Telnyx did not answer in time.") + unchanged
        elif isinstance(exc, errors.ConnectionFailed):
            message = gettext("The connection to Telnyx broke before it answered.") + unchanged
        else:
            message = gettext("Telnyx answered with a server error.") + unchanged
        return Banner(
            kind="unavailable", title=gettext("Telnyx is unavailable"), message=message, retry_url=retry_url
        )
    if isinstance(exc, errors.AuthFailed | errors.Forbidden):
        return Banner(
            kind="auth",
            title=gettext("Telnyx refused our credentials"),
            message=gettext(
                "The dashboard's Telnyx API key was rejected or may not do this. "
                "An administrator needs to check the TELNYX_API_KEY setting."
            ),
            retry_url=retry_url,
        )
    if isinstance(exc, errors.ValidationFailed):
        reasons = "; ".join(item.message for item in exc.errors) or exc.message
        return Banner(
            kind="rejected",
            title=gettext("Telnyx refused the request"),
            message=gettext("Telnyx answered: %(reasons)s") % {"reasons": reasons} + unchanged,
            retry_url=retry_url,
        )
    if isinstance(exc, errors.StaleObject):
        return Banner(
            kind="rejected",
            title=gettext("It changed meanwhile"),
            message=gettext("%(message)s Nothing was saved; reload to see the current state.")
            % {"message": exc.message},
            retry_url=retry_url,
        )
    status = getattr(exc, "status", None)
    if status is not None and 400 <= status < 500:
        return Banner(
            kind="rejected",
            title=gettext("Telnyx refused the request"),
            message=gettext("Telnyx answered with status %(status)s.") % {"status": status} + unchanged,
            retry_url=retry_url,
        )
    return Banner(
        kind="unexpected",
        title=gettext("Telnyx answered unexpectedly"),
        message=gettext("Telnyx answered with status %(status)s.") % {"status": status or gettext("unknown")}
        + unchanged,
        retry_url=retry_url,
    )


class TelnyxErrorMiddleware(MiddlewareMixin):
    """Turn uncaught Telnyx failures and write-path outcomes into the error banner, never a 500.

    htmx requests get a 200 whose body is the banner, retargeted into `#messages` (htmx 2 ignores
    4xx/5xx bodies by default). Other requests get the full 503 page, or 429 with `Retry-After`
    (a refused or undecided write: 409). A `NotFound` nobody caught is the 404 page.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, errors.NotFound):
            raise Http404("Telnyx has no such object.") from exception
        if not isinstance(exception, errors.TelnyxError | WriteError):
            return None
        htmx = getattr(request, "htmx", None)
        if htmx:
            retry_url = htmx.current_url_abs_path or None
        elif request.method == "GET":
            retry_url = request.get_full_path()
        else:
            # A save's own address may not answer GET (a 405): "Try again" leads back to the page the
            # form was on, when the browser says which page of this site that was.
            retry_url = _page_of_this_site(request.headers.get("Referer", ""), request)
        banner = _banner_for_request(request, exception, retry_url=retry_url)
        logger.warning(
            "Telnyx failure %s (status %s) on %s %s, request %s",
            type(exception).__name__,
            getattr(exception, "status", None),
            request.method,
            request.path,
            getattr(request, "id", "-"),
        )
        if htmx:
            response = render(request, "includes/telnyx_banner.html", {"banner": banner})
            # The request did not happen: the address bar must not claim it did (e.g. a search).
            return push_url(reswap(retarget(response, "#messages"), "innerHTML"), False)
        response = render(request, "503.html", {"banner": banner}, status=banner_status(banner))
        if banner.retry_after:
            response["Retry-After"] = str(banner.retry_after)
        return response


def _page_of_this_site(url: str, request: HttpRequest) -> str | None:
    """`url`'s path and query if it is an address of this site, else None."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _banner_for_request(request: HttpRequest, exc: Exception, *, retry_url: str | None) -> Banner:
    if request.method != "POST":
        return banner_for(exc, retry_url=retry_url)
    sent = this_request.sent_by(request)
    if sent and not isinstance(exc, WriteError):
        return banner_after_writes(exc, sent, retry_url=retry_url)
    return banner_for(exc, retry_url=retry_url, write=True)


def banner_after_writes(exc: Exception, entries: list[AuditEntry], *, retry_url: str | None) -> Banner:
    """A Telnyx failure nobody caught, in a request that had already sent writes (`entries`, from
    writes.this_request): the banner says what became of them, never that nothing was changed when
    something may have been."""
    undecided = [entry for entry in entries if entry.outcome == AuditEntry.Outcome.UNKNOWN]
    if undecided:
        return banner_for(OutcomeUnknown(entry_id=undecided[0].pk, cause=exc))
    if any(entry.outcome == AuditEntry.Outcome.SUCCESS for entry in entries):
        # No "Try again": the change is made, and trying the save again is not what is needed.
        failure = banner_for(exc)
        note = gettext("Your change was applied at Telnyx before this; reload the page to see it.")
    else:
        failure = banner_for(exc, retry_url=retry_url)
        note = gettext("Nothing was changed.")
    return dataclasses.replace(failure, message=f"{failure.message} {note}")


def banner_status(banner: Banner) -> int:
    """The status of a full page that shows this banner."""
    if banner.status is not None:
        return banner.status
    if banner.kind == "rate_limited":
        return 429
    if banner.kind == "rejected":
        return 409
    return 503
