"""check_reachable(): one cheap call, no retries, for the readiness probe."""

import time

import pytest

from devservers.ports import free_port
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx.health import check_reachable
from tests.fixtures.telnyx import requests_to


def test_it_passes_when_telnyx_answers(telnyx_settings, sandbox):
    assert check_reachable() is None
    assert requests_to(sandbox, "GET /v2/messaging_profiles") == 1


def test_it_does_not_retry(telnyx_settings, sandbox):
    sandbox.set_faults(error_rate=1.0, error_status=503)
    with pytest.raises(errors.ApiUnavailable):
        check_reachable()
    assert requests_to(sandbox, "GET /v2/messaging_profiles") == 1


def test_it_gives_up_within_its_timeout(telnyx_settings, sandbox):
    sandbox.set_faults(latency_ms=2000)
    started = time.monotonic()
    with pytest.raises(errors.RequestTimeout):
        check_reachable(timeout=0.3)
    assert time.monotonic() - started < 1.0


def test_a_bad_key_is_reported(telnyx_settings, settings):
    settings.TELNYX_API_KEY = "revoked"
    with pytest.raises(errors.AuthFailed):
        check_reachable()


def test_nothing_listening_is_reported(settings):
    settings.TELNYX_API_BASE_URL = f"http://127.0.0.1:{free_port()}/v2"
    with pytest.raises(errors.ConnectionFailed):
        check_reachable()
