"""`make serve`: scripts/serve (collectstatic, migrate, gunicorn.conf.py) under production settings.

One server for the module, started exactly as `make serve` starts it, on a free port, with DEBUG
off and a fresh SQLite database (or a throwaway PostgreSQL database when the run uses PostgreSQL).
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
from collections.abc import Iterator

import pytest
import requests

from devservers.dashboard import RunningServer, production_env, running_dashboard
from tests.fixtures.production import throwaway_postgres_database

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    tmp = tmp_path_factory.mktemp("serve")
    with contextlib.ExitStack() as stack:
        env = production_env(STATIC_ROOT=str(tmp / "static"))
        if env.get("DATABASE_URL", "").startswith(("postgres", "psql")):
            env["DATABASE_URL"] = stack.enter_context(throwaway_postgres_database())
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp / 'dashboard.sqlite3'}"
        yield stack.enter_context(running_dashboard(env=env, via_serve_script=True, log_dir=tmp))


def test_healthz_answers_200(served):
    response = requests.get(served.url + "/healthz", timeout=5)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_link_hashed_static_files_served_with_far_future_cache_headers(served):
    page = requests.get(served.url + "/accounts/login/", timeout=5).text
    linked = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert linked, page

    for path in linked:
        assert re.search(r"\.[0-9a-f]{12}\.(?:css|js)$", path), path
        response = requests.get(served.url + path, headers={"Accept-Encoding": "gzip"}, timeout=5)
        assert response.status_code == 200, path
        assert "max-age=315360000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        # Compressed once at collectstatic time by WhiteNoise's storage, not per request.
        assert response.headers.get("Content-Encoding") == "gzip", path


def test_unhashed_static_names_are_not_cached_for_long(served):
    page = requests.get(served.url + "/accounts/login/", timeout=5).text
    hashed = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)[0]
    unhashed = re.sub(r"\.[0-9a-f]{12}(\.(?:css|js))$", r"\1", hashed)

    response = requests.get(served.url + unhashed, timeout=5)

    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
    assert "max-age=315360000" not in response.headers.get("Cache-Control", "")


def test_login_page_renders_with_a_nonce_csp(served):
    response = requests.get(served.url + "/accounts/login/", timeout=5)

    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.text
    csp = response.headers["Content-Security-Policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", csp), csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_access_log_line_is_json_with_the_request_id_the_dashboard_gave(served):
    forged = f"serve-test-{secrets.token_hex(6)}"

    # No proxy is trusted here (TRUSTED_PROXY_COUNT=0): a client's X-Request-ID is not taken.
    response = requests.get(served.url + "/accounts/login/", headers={"X-Request-ID": forged}, timeout=5)

    given = response.headers["X-Request-ID"]
    assert given != forged
    entry = served.wait_for_log(
        lambda e: e.get("logger") == "gunicorn.access" and e.get("request_id") == given
    )
    assert entry["method"] == "GET"
    assert entry["path"] == "/accounts/login/"
    assert entry["status"] == 200
    assert entry["bytes"] == len(response.content)
    assert entry["duration_ms"] >= 0
    assert entry["level"] == "INFO"
    assert not [e for e in served.json_lines() if e.get("request_id") == forged]


def test_a_request_without_an_id_is_logged_under_the_id_it_was_given(served):
    probe = secrets.token_hex(4)

    response = requests.get(f"{served.url}/healthz?probe={probe}", timeout=5)

    given = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[A-Za-z0-9._:-]{8,}", given)
    entry = served.wait_for_log(
        lambda e: e.get("logger") == "gunicorn.access" and e.get("query") == f"probe={probe}"
    )
    assert entry["request_id"] == given


def test_debug_is_off(served):
    response = requests.get(served.url + "/no-such-page/", timeout=5)

    assert response.status_code == 404
    assert "URLconf" not in response.text
    assert "Traceback" not in response.text


def test_everything_gunicorn_and_django_log_is_json(served):
    requests.get(served.url + "/accounts/login/", timeout=5)
    served.wait_for_log(lambda e: e.get("logger") == "gunicorn.access")

    lines = served.log_lines()
    start = next(i for i, line in enumerate(lines) if "scripts/serve: dashboard on" in line)
    server_lines = [line for line in lines[start + 1 :] if line.strip()]
    assert server_lines
    for line in server_lines:
        entry = json.loads(line)
        assert {"time", "level", "logger", "message", "request_id"} <= entry.keys(), entry
