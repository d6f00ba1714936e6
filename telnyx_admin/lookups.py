"""What a view does when the Telnyx object it works on does not exist (any more).

- Reading it (a page about the object): the site's 404 page, `found_or_404`.
- Writing to it (it was deleted meanwhile, by someone else or at Telnyx): a warning that it no longer
  exists and a redirect to its list, `vanished`, as Django's admin does for an object deleted
  between two requests. Never a bare error page: nothing the person did was wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext

from telnyx_admin.htmx import redirect_to
from telnyx_admin.telnyx.errors import NotFound


def found_or_404[T](retrieve: Callable[[], T], *, what: str) -> T:
    """`retrieve()`, with Telnyx's 404 turned into Django's.

    Raises: Http404; every other TelnyxError as it is (the middleware shows the banner).
    """
    try:
        return retrieve()
    except NotFound:
        raise Http404(f"No {what} has this id.") from None


def vanished(request: HttpRequest, *, what: str, label: str = "", list_url: str) -> HttpResponse:
    """The object of a write is gone at Telnyx: say so, and go back to its list."""
    if label:
        text = gettext(
            'The %(what)s "%(label)s" no longer exists at Telnyx; it may have been deleted meanwhile.'
        )
    else:
        text = gettext("The %(what)s no longer exists at Telnyx; it may have been deleted meanwhile.")
    messages.warning(request, text % {"what": what, "label": label})
    return redirect_to(request, list_url)
