"""Authentication, request statistics and fault injection in front of every sandbox view.

Order for /v2/ requests: count it in the stats, check the key (401 on a missing or wrong one),
then apply the configured faults. Control endpoints under /_sandbox/ need the same key and are
never counted or faulted, so a test can always reset and reconfigure the sandbox.
"""

import contextlib
import hmac
import logging
import re
import socket
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from sandbox.errors import error_object, error_response, status_error
from sandbox.faults import faults, stats
from sandbox.page_cache import SAFE_METHODS, pages

logger = logging.getLogger(__name__)

_CONVERTER = re.compile(r"<[^>]+>")


def route_key(request: HttpRequest) -> str:
    """`METHOD /v2/route/{id}`: the request's route pattern, so stats do not grow per object."""
    try:
        route = _CONVERTER.sub("{id}", resolve(request.path_info).route)
        return f"{request.method} /{route}"
    except Resolver404:
        return f"{request.method} (unknown route)"


def is_authorised(request: HttpRequest) -> bool:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    expected = settings.SANDBOX_API_KEY
    return scheme.lower() == "bearer" and hmac.compare_digest(key.strip().encode(), expected.encode())


def drop_connection(request: HttpRequest) -> HttpResponse:
    """Close the client's connection with no response at all, as a crashed proxy would.

    gunicorn then fails to write the (empty) response into the closed socket and, as that is an
    EPIPE/ENOTCONN, drops the connection quietly instead of writing a 500 anywhere.
    """
    sock = request.META.get("gunicorn.socket")
    if sock is not None:
        with contextlib.suppress(OSError):  # the client may have gone already
            sock.shutdown(socket.SHUT_RDWR)
    return HttpResponse(status=204)


def inject_fault(request: HttpRequest) -> HttpResponse | None:
    decision = faults.decide()
    if decision.latency_ms:
        stats.count_fault("latency")
        time.sleep(decision.latency_ms / 1000)
    if decision.action == "drop":
        stats.count_fault("drop")
        return drop_connection(request)
    if decision.action == "rate_limit":
        stats.count_fault("rate_limit")
        return error_response(
            429,
            [error_object("10011", "Too many requests; retry after the time in Retry-After.")],
            headers={"Retry-After": str(decision.retry_after)},
        )
    if decision.action == "error":
        stats.count_fault("error")
        status = decision.error_status
        headers = None
        if status == 429 or (status == 503 and decision.retry_after is not None):
            headers = {"Retry-After": str(decision.retry_after if decision.retry_after is not None else 1)}
        return status_error(status, "Injected fault (PUT /_sandbox/faults).", headers)
    return None


def sandbox_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        path = request.path_info
        is_api = path.startswith("/v2/")
        if is_api:
            stats.count_request(route_key(request))
        if (is_api or path.startswith("/_sandbox/")) and not is_authorised(request):
            return error_response(
                401,
                [
                    error_object(
                        "10009", "The Authorization header must be 'Bearer <API key>' with a valid key."
                    )
                ],
            )
        if is_api:
            faulted = inject_fault(request)
            if faulted is not None:
                return faulted
        try:
            response = get_response(request)
        finally:
            # Any request that may have written (API writes, reset) makes cached pages stale; failed
            # writes too, as a failure part-way is not proof that nothing changed.
            if request.method not in SAFE_METHODS:
                pages.invalidate()
        if settings.SANDBOX_INSTANCE:
            response["X-Sandbox-Instance"] = settings.SANDBOX_INSTANCE
        return response

    return middleware
