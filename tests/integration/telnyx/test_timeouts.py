"""Read timeouts: reads retry them, writes never do, and the budget bounds a hanging server."""

import time

import pytest

from telnyx_admin.telnyx import errors, profiles
from tests.fixtures.telnyx import requests_to


def test_a_slow_get_times_out_and_is_retried(telnyx_settings, sandbox, settings):
    settings.TELNYX_READ_TIMEOUT = 0.2
    settings.TELNYX_MAX_RETRIES = 1
    sandbox.set_faults(latency_ms=600)
    started = time.monotonic()
    with pytest.raises(errors.RequestTimeout):
        profiles.list_profiles()
    assert time.monotonic() - started < 1.2
    assert requests_to(sandbox, "GET /v2/messaging_profiles") == 2


def test_a_slow_post_times_out_and_is_not_retried(telnyx_settings, sandbox, settings):
    settings.TELNYX_READ_TIMEOUT = 0.2
    settings.TELNYX_MAX_RETRIES = 3
    sandbox.set_faults(latency_ms=600)
    with pytest.raises(errors.RequestTimeout):
        profiles.create_profile(fields={"name": "Slow", "whitelisted_destinations": ["US"]})
    assert requests_to(sandbox, "POST /v2/messaging_profiles") == 1


def test_the_budget_cuts_an_attempt_that_hangs(telnyx_settings, sandbox, settings):
    settings.TELNYX_READ_TIMEOUT = 10
    settings.TELNYX_RETRY_BUDGET = 0.8
    sandbox.set_faults(latency_ms=3000)
    started = time.monotonic()
    with pytest.raises(errors.RequestTimeout):
        profiles.list_profiles()
    assert time.monotonic() - started < 1.3


def test_a_fast_enough_answer_is_fine(telnyx_settings, sandbox, settings):
    settings.TELNYX_READ_TIMEOUT = 2
    sandbox.set_faults(latency_ms=100)
    assert profiles.list_profiles().total_results > 0


@pytest.fixture
def stalling_server():
    """Answers headers and the first byte of the body, then goes quiet: what the sandbox cannot do."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            client.recv(65536)
            client.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            )
            stop.wait(3)
            client.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v2"
    stop.set()
    listener.close()


def test_a_body_that_stops_arriving_is_a_timeout(settings, stalling_server):
    settings.TELNYX_API_BASE_URL = stalling_server
    settings.TELNYX_READ_TIMEOUT = 0.3
    settings.TELNYX_MAX_RETRIES = 0
    started = time.monotonic()
    with pytest.raises(errors.RequestTimeout):
        profiles.list_profiles()
    assert time.monotonic() - started < 2
