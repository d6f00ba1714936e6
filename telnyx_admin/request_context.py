"""Which request a log line belongs to: a contextvar, the middleware that fills it, a logging filter.

The request id itself is made elsewhere (the shell's request-id middleware sets `request.id`); this
module only carries it to log records. It keeps the *request* in the contextvar and reads the id when a
line is logged, so the order of the two middlewares does not matter. The id is also written into the
WSGI environ, where gunicorn's access logger (telnyx_admin.logging.GunicornLogger) finds it after the
response has been sent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # gunicorn's master imports this module before Django is set up
    from django.http import HttpRequest, HttpResponseBase

# Key in the WSGI environ (== request.META) that gunicorn's access log reads.
ENVIRON_KEY = "telnyx_admin.request_id"
HEADER = "X-Request-ID"

# A client-sent id is only echoed into logs when it looks like an id, never as arbitrary text.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current_request: ContextVar[HttpRequest | None] = ContextVar("telnyx_admin_request", default=None)


def request_id_of(request: HttpRequest) -> str | None:
    """The request's id: `request.id` when set, else a well-formed X-Request-ID header, else None."""
    value = getattr(request, "id", None) or request.headers.get(HEADER)
    if value is None:
        return None
    value = str(value)
    return value if _SAFE_ID.fullmatch(value) else None


def current_request_id() -> str | None:
    """The id of the request this thread is serving, or None outside a request."""
    request = _current_request.get()
    return None if request is None else request_id_of(request)


def request_context_middleware(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Make the current request known to log records for as long as it is being served."""
    from django.http import StreamingHttpResponse  # Django is set up by the time middleware is built

    def middleware(request: HttpRequest) -> HttpResponseBase:
        token = _current_request.set(request)
        try:
            response = get_response(request)
        finally:
            _current_request.reset(token)
            request_id = request_id_of(request)
            if request_id:
                request.META[ENVIRON_KEY] = request_id
        if isinstance(response, StreamingHttpResponse):
            # A streamed body (CSV export) is produced after this function returns; keep its log
            # lines tied to the request too.
            response.streaming_content = _within(request, cast(Iterable[Any], response.streaming_content))
        return response

    return middleware


def _within(request: HttpRequest, chunks: Iterable[Any]) -> Iterator[Any]:
    iterator = iter(chunks)
    while True:
        token = _current_request.set(request)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _current_request.reset(token)
        yield chunk


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` ("-" outside a request) so every formatter can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or "-"
        return True
