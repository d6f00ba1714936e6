"""A deploy or scale-in stops gunicorn with SIGTERM: requests in flight finish, new ones go elsewhere."""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests

from devservers.dashboard import manage, migrate, production_env, running_dashboard

pytestmark = pytest.mark.slow

PASSWORD = "graceful-shutdown-passphrase-31"
TELNYX_LATENCY_MS = 1500


def test_sigterm_lets_a_request_waiting_on_telnyx_finish(tmp_path, sandbox, collected_static):
    env = production_env(
        STATIC_ROOT=str(collected_static),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SANDBOX_URL=sandbox.base_url,
        SANDBOX_API_KEY=sandbox.api_key,
    )
    env.pop("TELNYX_API_KEY", None)
    env.pop("TELNYX_API_BASE_URL", None)
    migrate(env)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as m\n"
        f"m().objects.create_superuser('ops', '', {PASSWORD!r})",
    )
    with running_dashboard(env=env) as server:
        browser = requests.Session()
        form = browser.get(server.url + "/accounts/login/", timeout=10).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        signed_in = browser.post(
            server.url + "/accounts/login/",
            data={"username": "ops", "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=10,
        )
        assert signed_in.status_code == 302
        sandbox.set_faults(latency_ms=TELNYX_LATENCY_MS)
        try:
            outcome: dict[str, object] = {}

            def load_the_list() -> None:
                try:
                    outcome["response"] = browser.get(server.url + "/profiles/", timeout=30)
                except requests.RequestException as exc:
                    outcome["error"] = exc

            in_flight = threading.Thread(target=load_the_list)
            in_flight.start()
            time.sleep(TELNYX_LATENCY_MS / 3000)  # the request is now waiting on Telnyx
            stopped_at = time.monotonic()

            exit_code = server.stop(timeout=30)
            in_flight.join(timeout=30)
        finally:
            sandbox.clear_faults()

        assert "error" not in outcome, outcome
        response = outcome["response"]
        assert response.status_code == 200
        assert "Server-Timing" in response.headers
        assert exit_code == 0
        assert time.monotonic() - stopped_at < 20
        with pytest.raises(requests.ConnectionError):
            requests.get(server.url + "/healthz", timeout=2)
