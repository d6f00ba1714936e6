"""Injected faults over real HTTP: latency, error rate, rate limit, dropped connections, and the stats."""

import socket
import threading
import time

import pytest
import requests

PATH = "/short_codes"


def statuses(sandbox, count):
    return [sandbox.get(PATH).status_code for _ in range(count)]


def test_faults_start_cleared_and_can_be_read_back(sandbox):
    assert sandbox.faults() == {
        "latency_ms": 0,
        "error_rate": 0.0,
        "error_status": 500,
        "rate_limit": None,
        "retry_after_seconds": None,
        "drop_rate": 0.0,
    }
    configured = sandbox.set_faults(latency_ms=5, rate_limit={"limit": 9, "window_seconds": 60})
    assert configured["latency_ms"] == 5
    assert configured["rate_limit"] == {"limit": 9, "window_seconds": 60}
    assert sandbox.faults() == configured
    assert sandbox.clear_faults()["rate_limit"] is None


def test_latency_delays_each_request_without_blocking_the_others(sandbox):
    sandbox.set_faults(latency_ms=400)
    started = time.monotonic()
    assert sandbox.get(PATH).status_code == 200
    assert time.monotonic() - started >= 0.4

    results = []

    def fetch():
        results.append(
            requests.get(f"{sandbox.api_url}{PATH}", headers=sandbox.headers, timeout=10).status_code
        )

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert results == [200] * 8
    assert elapsed < 1.6, f"8 parallel requests with 400 ms latency took {elapsed:.2f}s: they were serialised"
    assert sandbox.stats()["faults"]["latency"] == 9


def test_error_rate_fails_a_deterministic_share(sandbox):
    sandbox.set_faults(error_rate=0.5, error_status=503)
    assert statuses(sandbox, 6) == [200, 503, 200, 503, 200, 503]
    sandbox.set_faults(error_rate=0.25, error_status=500)  # a PUT restarts the counters
    assert statuses(sandbox, 8) == [200, 200, 200, 500, 200, 200, 200, 500]
    assert sandbox.stats()["faults"]["error"] == 5


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (500, "10007"),
        (503, "10007"),
        (502, "10007"),
        (404, "10005"),
        (401, "10009"),
        (403, "10010"),
        (422, "10015"),
    ],
)
def test_injected_errors_carry_a_telnyx_body(sandbox, status, code):
    sandbox.set_faults(error_rate=1, error_status=status)
    response = sandbox.get(PATH)
    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == code


def test_an_injected_429_carries_retry_after(sandbox):
    sandbox.set_faults(error_rate=1, error_status=429, retry_after_seconds=7)
    response = sandbox.get(PATH)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.json()["errors"][0]["code"] == "10011"


def test_an_injected_503_carries_retry_after_when_configured(sandbox):
    sandbox.set_faults(error_rate=1, error_status=503, retry_after_seconds=2)
    assert sandbox.get(PATH).headers["Retry-After"] == "2"
    sandbox.set_faults(error_rate=1, error_status=503)
    assert "Retry-After" not in sandbox.get(PATH).headers


def test_rate_limit_answers_429_with_the_windows_remaining_seconds(sandbox):
    sandbox.set_faults(rate_limit={"limit": 3, "window_seconds": 2})
    assert statuses(sandbox, 3) == [200, 200, 200]
    limited = sandbox.get(PATH)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] in {"1", "2"}
    (error,) = limited.json()["errors"]
    assert (error["code"], error["title"]) == ("10011", "Too many requests")
    time.sleep(2.1)
    assert statuses(sandbox, 3) == [200, 200, 200]
    assert sandbox.get(PATH).status_code == 429
    assert sandbox.stats()["faults"]["rate_limit"] == 2


def test_rate_limit_uses_retry_after_seconds_when_set(sandbox):
    sandbox.set_faults(rate_limit={"limit": 1, "window_seconds": 60}, retry_after_seconds=30)
    assert statuses(sandbox, 1) == [200]
    assert sandbox.get(PATH).headers["Retry-After"] == "30"


def test_dropped_connections_get_no_response_at_all(sandbox):
    sandbox.set_faults(drop_rate=1)
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as raw:
        auth = f"Authorization: Bearer {sandbox.api_key}\r\n"
        request = f"GET /v2/short_codes HTTP/1.1\r\nHost: x\r\n{auth}\r\n"
        raw.sendall(request.encode())
        received = b""
        try:
            while chunk := raw.recv(4096):
                received += chunk
        except ConnectionResetError:
            pass
    assert received == b"", "a dropped request must not get any bytes back (no 500 written by gunicorn)"
    with pytest.raises(requests.ConnectionError):
        sandbox.get(PATH)


def test_drop_rate_drops_a_deterministic_share_and_the_server_keeps_serving(sandbox):
    sandbox.set_faults(drop_rate=0.5)
    outcomes = []
    for _ in range(6):
        try:
            outcomes.append(
                requests.get(f"{sandbox.api_url}{PATH}", headers=sandbox.headers, timeout=10).status_code
            )
        except requests.ConnectionError:
            outcomes.append("dropped")
    assert outcomes == [200, "dropped", 200, "dropped", 200, "dropped"]
    sandbox.clear_faults()
    assert sandbox.get(PATH).status_code == 200
    assert sandbox.stats()["faults"]["drop"] == 3


def test_faults_apply_to_the_api_only(sandbox):
    sandbox.set_faults(error_rate=1, error_status=500, latency_ms=0)
    assert sandbox.get(PATH).status_code == 500
    assert sandbox.stats()["total_requests"] == 1  # control endpoints keep working and are not counted
    assert sandbox.reset()["messaging_profiles"] >= 57


def test_a_missing_key_is_401_before_any_fault(sandbox):
    sandbox.set_faults(error_rate=1, error_status=503)
    assert requests.get(f"{sandbox.api_url}{PATH}", timeout=10).status_code == 401
    assert sandbox.stats()["faults"]["error"] == 0


@pytest.mark.parametrize(
    ("faults", "pointer"),
    [
        ({"latency_ms": -1}, "/latency_ms"),
        ({"latency_ms": 1.5}, "/latency_ms"),
        ({"error_rate": 1.5}, "/error_rate"),
        ({"error_status": 200}, "/error_status"),
        ({"rate_limit": {"limit": 0, "window_seconds": 1}}, "/rate_limit/limit"),
        ({"rate_limit": {"limit": 1}}, "/rate_limit/window_seconds"),
        ({"drop_rate": "half"}, "/drop_rate"),
        ({"latency": 100}, ""),
    ],
)
def test_bad_fault_settings_are_rejected(sandbox, faults, pointer):
    response = sandbox.session.put(f"{sandbox.base_url}/_sandbox/faults", json=faults, timeout=10)
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == pointer
    assert sandbox.faults()["latency_ms"] == 0


def test_stats_count_requests_by_method_and_route(sandbox, sandbox_profile):
    profile = sandbox_profile()
    sandbox.clear_stats()
    sandbox.get("/messaging_profiles")
    sandbox.get(f"/messaging_profiles/{profile['id']}")
    sandbox.get(f"/messaging_profiles/{profile['id']}")
    sandbox.patch(f"/messaging_profiles/{profile['id']}", json={})
    sandbox.get(f"/messaging_profiles/{profile['id']}/phone_numbers")
    sandbox.get("/nowhere")
    requests.get(f"{sandbox.api_url}/short_codes", timeout=10)  # unauthenticated requests count too
    stats = sandbox.stats()
    assert stats["requests"] == {
        "GET /v2/messaging_profiles": 1,
        "GET /v2/messaging_profiles/{id}": 2,
        "PATCH /v2/messaging_profiles/{id}": 1,
        "GET /v2/messaging_profiles/{id}/phone_numbers": 1,
        "GET (unknown route)": 1,
        "GET /v2/short_codes": 1,
    }
    assert stats["total_requests"] == 7
    assert sandbox.clear_stats() == {
        "total_requests": 0,
        "requests": {},
        "faults": {"latency": 0, "drop": 0, "rate_limit": 0, "error": 0},
    }
