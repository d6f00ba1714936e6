"""The 500 handler: a database connection lost in the middle of a request answers 503 with a banner.

A PostgreSQL failover, a restart or a terminated backend ends the connection a request is using.
Django opens a new one on the next request (CONN_HEALTH_CHECKS), not within this one, so the rest of
the request fails. That is a dependency failing, like Telnyx being unavailable, and gets the same
treatment: a banner page (503), or the banner in the page's message area for htmx. Any other error,
including a database error on a connection that still works (a bug), stays the 500 page.

Both are rendered without the request's context processors: they would ask the same database again.
"""

from __future__ import annotations

import sys

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as default_server_error

from telnyx_admin.middleware import Banner


def _connection_lost() -> bool:
    """A database error on a connection that is gone (or could not be opened again)."""
    if not isinstance(sys.exc_info()[1], DatabaseError):
        return False
    return connection.connection is None or not connection.is_usable()


def database_banner(*, write: bool) -> Banner:
    if write:
        message = (
            "The dashboard's database connection broke while this was being saved. If the change was "
            "sent to Telnyx, its audit entry says so once it has been checked: open the object and look "
            "at its history before you save again."
        )
    else:
        message = "The dashboard's database connection broke while this page was being made. Try again."
    return Banner(kind="unavailable", title="The dashboard's database did not answer", message=message)


def server_error(request: HttpRequest) -> HttpResponse:
    if not _connection_lost():
        return default_server_error(request)
    banner = database_banner(write=request.method == "POST")
    if request.headers.get("HX-Request") == "true":
        # htmx 2 swaps no 5xx body: the banner goes into the message area, as Telnyx failures do.
        body = render_to_string("includes/telnyx_banner.html", {"banner": banner})
        response = HttpResponse(body)
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return HttpResponse(render_to_string("503_database.html", {"banner": banner}), status=503)
