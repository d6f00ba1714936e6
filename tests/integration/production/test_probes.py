"""/healthz and /readyz under gunicorn, with the sandbox counting every Telnyx call they cost.

What a load balancer relies on: probes answer GET and HEAD; no number of anonymous probes spends
Telnyx calls (the instance checks Telnyx in the background at most once per
TELNYX_HEALTH_INTERVAL, whatever its number of worker processes); Telnyx rate-limiting, failing or
unreachable is reported with a 200 ("degraded"), never a 503 that would pull every instance at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devservers.dashboard import RunningServer, manage, migrate, production_env, running_dashboard
from devservers.html_forms import sign_in
from devservers.sandbox_process import SandboxProcess

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

PASSWORD = "a-long-and-unguessable-passphrase-17"
CHECK = "GET /v2/messaging_profiles"


@pytest.fixture(scope="module")
def telnyx() -> Iterator[SandboxProcess]:
    """A sandbox of this module's own: these tests count its calls, stop it and start it again."""
    with SandboxProcess() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def site_env(
    tmp_path_factory: pytest.TempPathFactory, telnyx: SandboxProcess, collected_static: Path
) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("probes")
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp / 'dashboard.sqlite3'}",
        CACHE_URL="locmemcache://telnyx-admin",
        STATIC_ROOT=str(collected_static),
        SANDBOX_URL=telnyx.base_url,
        SANDBOX_API_KEY=telnyx.api_key,
        WEB_CONCURRENCY="2",
    )
    for variable in ("TELNYX_API_KEY", "TELNYX_API_BASE_URL"):
        env.pop(variable, None)
    migrate(env)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as m\n"
        f"m().objects.create_superuser('root.admin', 'root@example.com', {PASSWORD!r})\n",
    )
    return env


def _readyz(server: RunningServer) -> dict:
    response = requests.get(server.url + "/readyz", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _wait_for_telnyx_state(server: RunningServer, state: str, *, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = _readyz(server)
        if body["checks"]["telnyx"] == state:
            return body
        assert time.monotonic() < deadline, f"/readyz still says {body}"
        time.sleep(0.2)


def test_probes_never_spend_the_telnyx_rate_limit(site_env, telnyx, tmp_path: Path):
    # As reported: 20 requests per 10 s, and 25 anonymous probes used to exhaust it.
    telnyx.set_faults(rate_limit={"limit": 20, "window_seconds": 10})
    telnyx.clear_stats()
    started = time.monotonic()  # counted from before the workers start: their first checks are in
    env = {**site_env, "TELNYX_HEALTH_STATE_DIR": str(tmp_path)}
    with running_dashboard(env=env) as server:
        _wait_for_telnyx_state(server, "ok", timeout=30)

        for number in range(25):
            method = requests.head if number % 2 else requests.get
            assert method(server.url + "/readyz", timeout=10).status_code == 200
        staff = requests.Session()
        assert sign_in(server.url, "root.admin", PASSWORD, session=staff).status_code == 302
        page = staff.get(server.url + "/profiles/", timeout=30)
        assert page.status_code == 200, page.status_code  # not 429: the probes spent nothing

        # Keep probing both worker processes for a while: the instance still checks once per 10 s.
        while time.monotonic() - started < 15:
            requests.get(server.url + "/readyz", timeout=10)
            requests.head(server.url + "/healthz", timeout=10)
        calls = telnyx.stats()["requests"].get(CHECK, 0)
        elapsed = time.monotonic() - started

    background_checks = calls - 1  # the staff page's own list call
    # Two workers checking on their own would make twice as many.
    assert 1 <= background_checks <= elapsed // 10 + 1, f"{background_checks} checks in {elapsed:.0f} s"


def test_telnyx_trouble_is_reported_with_a_200(site_env, telnyx, tmp_path: Path):
    env = {**site_env, "TELNYX_HEALTH_INTERVAL": "1", "TELNYX_HEALTH_STATE_DIR": str(tmp_path)}
    with running_dashboard(env=env) as server:
        assert _wait_for_telnyx_state(server, "ok", timeout=30)["status"] == "ok"

        telnyx.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=30)
        body = _wait_for_telnyx_state(server, "rate_limited", timeout=15)
        assert body["status"] == "degraded" and body["degraded"] == ["telnyx"]

        telnyx.set_faults(error_rate=1.0, error_status=503)
        assert _wait_for_telnyx_state(server, "unavailable", timeout=15)["status"] == "degraded"

        telnyx.clear_faults()
        _wait_for_telnyx_state(server, "ok", timeout=15)

        telnyx.stop(keep_database=True)
        try:
            body = _wait_for_telnyx_state(server, "unavailable", timeout=15)
            assert body["checks"]["database"] == "ok"
            head = requests.head(server.url + "/readyz", timeout=10)
            assert head.status_code == 200
            assert head.content == b""
        finally:
            telnyx.start()
        _wait_for_telnyx_state(server, "ok", timeout=15)
