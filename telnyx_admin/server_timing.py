"""`Server-Timing` on every dashboard response: time spent in Telnyx calls, their count, and the rest.

    Server-Timing: telnyx;dur=48.2;desc="1 call", app;dur=6.1

Browsers show it in the network panel, so anyone can see whether a slow page was Telnyx or us.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from telnyx_admin.telnyx import timing


class ServerTimingMiddleware:
    """Starts a per-request tally of Telnyx calls and reports it in the `Server-Timing` header.

    Sits near the top of MIDDLEWARE so that `app` covers the other middleware too. A streamed
    response (CSV export) sends its headers before its body is produced: the calls made while
    streaming cannot be in the header and are not counted.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        with timing.tally_scope() as tally:
            response = self.get_response(request)
        total_ms = (time.perf_counter() - started) * 1000
        # Concurrent export pages add up to more than the wall time they took; never go negative.
        app_ms = max(0.0, total_ms - tally.milliseconds)
        value = f"{tally.server_timing()}, app;dur={app_ms:.1f}"
        existing = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = f"{existing}, {value}" if existing else value
        return response
