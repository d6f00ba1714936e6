"""What the service layer relies on in requests and urllib3 beyond their documented use, pinned.

`session.PerCallRetryAdapter` turns requests' `max_retries` attribute into a per-call value, and
`retry.BudgetTimeout` relies on urllib3 cloning the timeout for every attempt. Both are checked here
against the exact versions in requirements.txt: after an upgrade this file fails first, so that the
behaviour is checked again before the version line here is changed.
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
import requests
import urllib3
from urllib3.util.retry import Retry
from urllib3.util.timeout import Timeout

from telnyx_admin.telnyx.retry import BudgetTimeout, build_retry
from telnyx_admin.telnyx.session import PerCallRetryAdapter, call_retry_scope, end_call_retry_scope

PINNED = {"requests": "2.34.2", "urllib3": "2.8.0"}


def test_the_versions_are_the_ones_checked():
    assert {"requests": requests.__version__, "urllib3": urllib3.__version__} == PINNED, (
        "requests/urllib3 changed: re-check PerCallRetryAdapter and BudgetTimeout, then update PINNED"
    )


def test_the_adapter_keeps_what_requests_assigns_and_hands_out_the_calls_retry():
    adapter = PerCallRetryAdapter(max_retries=Retry(0, read=False))
    assert isinstance(adapter.fallback_retries, Retry)  # HTTPAdapter.__init__ assigned through the setter
    assert adapter.max_retries is adapter.fallback_retries
    retry = build_retry()
    token = call_retry_scope(retry)
    try:
        assert adapter.max_retries is retry
    finally:
        end_call_retry_scope(token)
    assert adapter.max_retries is adapter.fallback_retries


def test_send_passes_the_calls_retry_to_urllib3():
    adapter = PerCallRetryAdapter()
    retry = build_retry()
    seen = {}

    class Sent(Exception):
        pass

    def urlopen(**kwargs):
        seen["retries"] = kwargs["retries"]
        raise Sent

    connection = mock.Mock(urlopen=urlopen)
    with mock.patch.object(adapter, "get_connection_with_tls_context", return_value=connection):
        token = call_retry_scope(retry)
        try:
            request = requests.Request("GET", "http://127.0.0.1:9/").prepare()
            with pytest.raises(Sent):
                adapter.send(request, timeout=1)
        finally:
            end_call_retry_scope(token)
    assert seen["retries"] is retry


def test_each_attempt_gets_at_most_what_is_left_of_the_budget():
    timeout = BudgetTimeout(connect=3.0, read=10.0, deadline=time.monotonic() + 1.0)
    attempt = timeout.clone()
    assert isinstance(attempt, Timeout)
    assert 0.5 < attempt.connect_timeout <= 1.0  # type: ignore[operator]
    assert 0.5 < attempt.read_timeout <= 1.0  # type: ignore[operator]
    roomy = BudgetTimeout(connect=3.0, read=10.0, deadline=time.monotonic() + 60).clone()
    assert (roomy.connect_timeout, roomy.read_timeout) == (3.0, 10.0)
