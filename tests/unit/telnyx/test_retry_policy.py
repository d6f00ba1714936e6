"""Which failures the retry policy repeats, for which methods, and for how long.

The behaviour over the wire is proven against the sandbox in tests/integration/telnyx/test_retries.py;
these pin the decision table, including cases the sandbox cannot stage (a connect timeout).
"""

import time

import pytest
from django.test import override_settings
from urllib3 import HTTPResponse
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from telnyx_admin.telnyx.retry import build_retry

WRITES = ["POST", "PATCH", "DELETE"]


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_reads_retry_transient_statuses(status):
    assert build_retry().is_retry("GET", status)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 500, 501])
def test_nothing_retries_a_definite_answer(status):
    retry = build_retry()
    assert not any(retry.is_retry(method, status) for method in ["GET", *WRITES])


@pytest.mark.parametrize("method", WRITES)
def test_writes_retry_429_only(method):
    retry = build_retry()
    assert retry.is_retry(method, 429)
    assert not any(retry.is_retry(method, status) for status in (502, 503, 504))


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize(
    "error",
    [
        ReadTimeoutError(None, "/x", "read timed out"),
        ProtocolError("Connection aborted.", ConnectionResetError()),
    ],
    ids=["read-timeout", "dropped"],
)
def test_writes_never_retry_once_the_request_may_have_arrived(method, error):
    with pytest.raises(type(error)):
        build_retry().increment(method, "/x", error=error)


@pytest.mark.parametrize("method", ["GET", *WRITES])
@pytest.mark.parametrize(
    "error",
    [NewConnectionError(None, "refused"), ConnectTimeoutError(None, "connect timed out")],
    ids=["refused", "connect-timeout"],
)
def test_everything_retries_a_connection_that_never_opened(method, error):
    retry = build_retry().increment(method, "/x", error=error)
    assert retry.record.attempts == 2


def test_reads_retry_timeouts_and_dropped_connections():
    retry = build_retry()
    retry = retry.increment("GET", "/x", error=ReadTimeoutError(None, "/x", "read timed out"))
    retry = retry.increment("GET", "/x", error=ProtocolError("Connection aborted.", ConnectionResetError()))
    assert retry.record.attempts == 3


@override_settings(TELNYX_MAX_RETRIES=2)
def test_it_stops_after_max_retries():
    retry = build_retry()
    response = HTTPResponse(status=503)
    retry = retry.increment("GET", "/x", response=response)
    retry = retry.increment("GET", "/x", response=response)
    with pytest.raises(MaxRetryError):
        retry.increment("GET", "/x", response=response)
    assert retry.record.attempts == 3


@override_settings(TELNYX_MAX_RETRY_AFTER=3)
def test_a_long_retry_after_is_not_slept_on():
    retry = build_retry()
    with pytest.raises(MaxRetryError):
        retry.increment("GET", "/x", response=HTTPResponse(status=429, headers={"Retry-After": "30"}))
    short = retry.increment("GET", "/x", response=HTTPResponse(status=429, headers={"Retry-After": "2"}))
    assert short.next_wait == 2


@override_settings(TELNYX_MAX_RETRY_AFTER=10, TELNYX_RETRY_BUDGET=1.0)
def test_no_wait_runs_past_the_budget():
    retry = build_retry()
    # Retry-After 2 s is allowed on its own, but not with 1 s of budget left.
    with pytest.raises(MaxRetryError):
        retry.increment("GET", "/x", response=HTTPResponse(status=503, headers={"Retry-After": "2"}))


@override_settings(TELNYX_RETRY_BUDGET=0.2)
def test_no_attempt_starts_after_the_budget():
    retry = build_retry()
    time.sleep(0.25)
    with pytest.raises(MaxRetryError):
        retry.increment("GET", "/x", response=HTTPResponse(status=503))


@override_settings(TELNYX_MAX_RETRIES=6, TELNYX_RETRY_BUDGET=100)
def test_backoff_grows_exponentially_with_jitter():
    retry = build_retry()
    waits = []
    for _ in range(6):
        retry = retry.increment("GET", "/x", response=HTTPResponse(status=503))
        waits.append(retry.next_wait)
    ceilings = [min(retry.backoff_max, retry.backoff_factor * 2**n) for n in range(6)]
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling
    assert waits[3] > waits[0]
