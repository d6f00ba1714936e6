"""The project's nginx config, run by Debian's nginx in front of gunicorn on loopback.

It is what compose.yaml runs in the official nginx image (the same template, filled in the same
way): TLS, slow clients kept away from gunicorn, a body-size limit, X-Forwarded-* and a request id
passed on, and the dashboard's TRUSTED_PROXY_COUNT=1 reading them correctly.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from devservers.dashboard import RunningServer, manage, migrate, production_env, running_dashboard
from devservers.html_forms import sign_in
from tests.fixtures.nginx import RunningNginx, running_nginx
from tests.fixtures.slow_clients import SlowClients

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

PASSWORD = "a-long-and-unguessable-passphrase-17"
SLOW_CLIENTS = 20
HEALTHZ_BOUND = 1.0


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory, collected_static: Path) -> Iterator[RunningServer]:
    """gunicorn as compose.yaml runs it behind the proxy: one proxy trusted, HTTPS settings on."""
    tmp = tmp_path_factory.mktemp("behind-nginx")
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp / 'dashboard.sqlite3'}",
        CACHE_URL="locmemcache://telnyx-admin",
        STATIC_ROOT=str(collected_static),
        TRUSTED_PROXY_COUNT="1",
        # Behind TLS: the production defaults (redirect to HTTPS, Secure cookies) stay on.
        SECURE_SSL_REDIRECT="1",
        SECURE_COOKIES="1",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
    )
    migrate(env)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as m\n"
        f"m().objects.create_superuser('root.admin', 'root@example.com', {PASSWORD!r})\n",
    )
    with running_dashboard(env=env) as server:
        yield server


@pytest.fixture(scope="module")
def proxy(dashboard: RunningServer) -> Iterator[RunningNginx]:
    with running_nginx(upstream_port=dashboard.port) as nginx:
        yield nginx


def _probe(url: str, *, timeout: float, verify: str | bool = True) -> float | None:
    """Seconds /healthz took to answer 200, or None if it did not."""
    started = time.monotonic()
    try:
        response = requests.get(url + "/healthz", timeout=timeout, verify=verify)
    except requests.RequestException:
        return None
    return time.monotonic() - started if response.status_code == 200 else None


def test_slow_clients_leave_healthz_fast_behind_the_proxy(proxy):
    with SlowClients("127.0.0.1", proxy.https_port, count=SLOW_CLIENTS, tls=True) as attack:
        time.sleep(1.5)  # every slow client has sent something more by now
        took = []
        for _ in range(5):
            took.append(_probe(proxy.https_url, timeout=5, verify=proxy.certificate))
            time.sleep(0.5)
        still_open = attack.opened - attack.closed_by_server

    assert None not in took, took
    assert max(took) < HEALTHZ_BOUND, took
    assert still_open == SLOW_CLIENTS  # nginx is holding all of them, not dropping them early


def test_the_same_slow_clients_straight_at_gunicorn_stall_it(dashboard, proxy):
    # Why the proxy is needed (and proof the test above can fail): without it, each slow client
    # holds one of gunicorn's threads until its request is complete.
    with SlowClients("127.0.0.1", dashboard.port, count=SLOW_CLIENTS):
        time.sleep(1.0)
        took = [_probe(dashboard.url, timeout=2) for _ in range(3)]

    assert any(seconds is None or seconds >= HEALTHZ_BOUND for seconds in took), took
    # Once they are gone, gunicorn answers again.
    assert _probe(dashboard.url, timeout=10) is not None


def test_plain_http_is_redirected_to_https(proxy):
    response = requests.get(proxy.http_url + "/profiles/?q=acme", allow_redirects=False, timeout=10)

    assert response.status_code == 301
    assert response.headers["Location"] == "https://127.0.0.1/profiles/?q=acme"


def test_signing_in_works_over_the_proxy_with_https_settings_on(proxy):
    browser = requests.Session()
    referer = {"Referer": proxy.https_url + "/accounts/login/"}  # Django's CSRF check over HTTPS

    login = sign_in(
        proxy.https_url, "root.admin", PASSWORD, session=browser, headers=referer, verify=proxy.certificate
    )

    assert login.status_code == 302, login.text[-2000:]
    assert login.headers["Location"] == "/"
    assert "Secure" in login.headers["Set-Cookie"]
    # Django saw HTTPS (X-Forwarded-Proto), so no redirect loop, and the page is served.
    assert browser.get(proxy.https_url + "/admin/", timeout=10, verify=proxy.certificate).status_code == 200


def test_the_request_id_is_nginxs_and_a_clients_is_ignored(proxy, dashboard):
    forged = f"forged-{secrets.token_hex(4)}"

    response = requests.get(
        proxy.https_url + "/accounts/login/",
        headers={"X-Request-ID": forged},
        verify=proxy.certificate,
        timeout=10,
    )

    request_id = response.headers["X-Request-ID"]
    assert request_id != forged
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, taken by the dashboard
    # The same id in nginx's access log and in gunicorn's.
    deadline = time.monotonic() + 5
    while not [e for e in proxy.access_lines() if e["request_id"] == request_id]:
        assert time.monotonic() < deadline, proxy.log_lines()[-5:]
        time.sleep(0.05)
    dashboard.wait_for_log(
        lambda e: e.get("logger") == "gunicorn.access" and e.get("request_id") == request_id
    )
    assert not [e for e in dashboard.json_lines() if e.get("request_id") == forged]


def test_the_client_address_is_the_one_nginx_saw_not_one_the_client_wrote(proxy, dashboard):
    username = f"nobody-{secrets.token_hex(4)}"
    headers = {"Referer": proxy.https_url + "/accounts/login/", "X-Forwarded-For": "203.0.113.99"}

    failed = sign_in(proxy.https_url, username, "wrong", headers=headers, verify=proxy.certificate)

    assert failed.status_code == 200  # the form again, with an error
    listed = manage(dashboard.env, "axes_list_attempts").stdout
    (row,) = [line.split("\t") for line in listed.splitlines() if username in line]
    assert row[0] == "127.0.0.1"


def test_a_body_over_the_limit_is_refused_by_nginx(proxy, dashboard):
    marker = secrets.token_hex(6)

    response = requests.post(
        f"{proxy.https_url}/accounts/login/?marker={marker}",
        data=b"x" * (2 * 1024 * 1024),
        verify=proxy.certificate,
        timeout=30,
    )

    assert response.status_code == 413
    time.sleep(0.5)
    assert not [e for e in dashboard.access_entries() if marker in (e.get("query") or "")]
