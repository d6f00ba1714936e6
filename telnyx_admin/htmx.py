"""The htmx decisions every view makes the same way: a fragment or the whole page, and how to redirect.

One view serves a full page and its htmx fragment (`template.html#partial`). An htmx request gets
the fragment it swaps in, except a boosted link or a history restore (htmx re-fetching a page that
fell out of its history cache after Back): those replace the whole body, so they need the page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


def htmx_of(request: HttpRequest) -> HtmxDetails | None:
    """The request's htmx details, or None when it is not an htmx request (or the middleware is off)."""
    details: HtmxDetails | None = getattr(request, "htmx", None)
    return details if details else None


def wants_fragment(request: HttpRequest) -> bool:
    """Whether to answer with the fragment that htmx swaps in, rather than the whole page."""
    details = htmx_of(request)
    return details is not None and not details.boosted and not details.history_restore_request


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """`template#partial` for a request that wants a fragment, else `template`."""
    return f"{template}#{partial}" if wants_fragment(request) else template


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect (after a successful POST, PRG): an htmx request gets `HX-Redirect`, which htmx
    follows with a full page load; anything else a plain 302."""
    if htmx_of(request) is not None:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)
