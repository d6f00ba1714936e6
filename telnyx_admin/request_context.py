"""Request ids: every request gets one, and every log line and audit entry written for it carries it.

This module is the one owner of request ids. `RequestIdMiddleware` (first in settings.MIDDLEWARE)
sets `request.id`, echoes it in the `X-Request-ID` response header, keeps the request in a
contextvar so log records find it (`RequestIdFilter`), and writes the id into the WSGI environ, where
gunicorn's access logger (telnyx_admin.logging.GunicornLogger) finds it after the response is sent.

Where the id comes from: a client could write anything into `X-Request-ID`, and the id is stored in
audit entries, so the header is only taken from a trusted proxy: the deployment sits behind one
(`TRUSTED_PROXY_COUNT` > 0) and this request's immediate peer is one of its addresses
(telnyx_admin.trusted_proxies), and only if it looks like an id. Otherwise the dashboard makes its
own (a uuid4 in hex).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import TYPE_CHECKING

from telnyx_admin.streaming import each_chunk_within

if TYPE_CHECKING:  # gunicorn's master imports this module before Django is set up
    from django.http import HttpRequest, HttpResponseBase

# Key in the WSGI environ (== request.META) that gunicorn's access log reads.
ENVIRON_KEY = "telnyx_admin.request_id"
HEADER = "X-Request-ID"
# Audit entries store at most this many characters (audit.models.AuditEntry.request_id).
MAX_LENGTH = 64
# An id lands in logs and audit entries verbatim: letters, digits and a few separators only.
_WELL_FORMED = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_LENGTH}}}")

_current_request: ContextVar[HttpRequest | None] = ContextVar("telnyx_admin_request", default=None)


def well_formed(value: object) -> str | None:
    """`value` if it can serve as a request id, else None."""
    if not isinstance(value, str):
        return None
    return value if _WELL_FORMED.fullmatch(value) else None


def new_request_id() -> str:
    return uuid.uuid4().hex


def incoming_request_id(request: HttpRequest) -> str | None:
    """The trusted proxy's id for this request, or None (not from a trusted proxy, no header, not an id)."""
    from telnyx_admin.trusted_proxies import from_trusted_proxy

    if not from_trusted_proxy(request):
        return None
    return well_formed(request.headers.get(HEADER))


def request_id_of(request: HttpRequest) -> str | None:
    """The id `RequestIdMiddleware` gave this request, or None before it ran."""
    return well_formed(getattr(request, "id", None))


def current_request() -> HttpRequest | None:
    """The request this thread is serving, or None outside a request."""
    return _current_request.get()


def current_request_id() -> str | None:
    """The id of the request this thread is serving, or None outside a request."""
    request = _current_request.get()
    return None if request is None else request_id_of(request)


class RequestIdMiddleware:
    """Give the request its id, make it known to log records, and echo it on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = incoming_request_id(request) or new_request_id()
        request.id = request_id  # type: ignore[attr-defined]
        request.META[ENVIRON_KEY] = request_id
        with _serving(request):
            response = self.get_response(request)
        response[HEADER] = request_id
        if response.streaming:
            # A streamed body (CSV export) is produced after this method returns; keep its log
            # lines tied to the request too.
            serving = partial(_serving, request)
            streamed = response.streaming_content  # type: ignore[attr-defined]
            response.streaming_content = each_chunk_within(serving, streamed)  # type: ignore[attr-defined]
        return response


@contextmanager
def _serving(request: HttpRequest) -> Iterator[None]:
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` ("-" outside a request) so every formatter can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True
