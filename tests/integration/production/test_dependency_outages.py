"""The dashboard under gunicorn (production settings) while Redis or PostgreSQL is down, hangs or
drops its connections: no 500, answers within a few seconds, /healthz always fast.

Real parts only: a throwaway PostgreSQL database, a Redis URL with nothing listening, a TCP server
that accepts and never answers (standing in for a hung Redis or PostgreSQL), a proxy in front of the
real PostgreSQL that stops moving bytes mid-connection, and pg_terminate_backend. Time bounds are
generous upper limits for a loaded 2-core machine, not benchmarks.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from devservers.dashboard import RunningServer, manage, migrate, production_env, running_dashboard
from devservers.html_forms import sign_in
from devservers.sandbox_process import SandboxProcess
from devservers.services import POSTGRES_ADMIN_URL
from tests.fixtures.production import throwaway_postgres_database
from tests.fixtures.tcp_faults import FreezingProxy, SilentServer, dead_port

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

PASSWORD = "a-long-and-unguessable-passphrase-17"
# Pages a signed-in superuser opens; /short-codes/ reads the profile directory from the cache.
PAGES = ["/", "/profiles/", "/short-codes/", "/audit/"]
REDIS_DOWN_PAGE_BOUND = 3.0  # seconds: "each page answers within 3 s of a Redis hang"
DATABASE_DOWN_BOUND = 5.0  # seconds: "a hung database gives the 503 page within 5 s"
HEALTHZ_BOUND = 1.0


@pytest.fixture(scope="module")
def site_env(
    tmp_path_factory: pytest.TempPathFactory, sandbox_server: SandboxProcess, collected_static: Path
) -> Iterator[dict]:
    """A migrated throwaway PostgreSQL database with one superuser, the sandbox as Telnyx."""
    with throwaway_postgres_database() as database_url:
        env = production_env(
            DATABASE_URL=database_url,
            CACHE_URL="locmemcache://telnyx-admin",
            STATIC_ROOT=str(collected_static),
            SANDBOX_URL=sandbox_server.base_url,
            SANDBOX_API_KEY=sandbox_server.api_key,
            TELNYX_HEALTH_STATE_DIR=str(tmp_path_factory.mktemp("health")),
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
        yield env


def _timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    try:
        result = call()
    except requests.RequestException as exc:
        result = exc
    return result, time.monotonic() - started


def _healthz_is_fast(server: RunningServer, *, times: int = 5) -> None:
    for _ in range(times):
        response, elapsed = _timed(lambda: requests.get(server.url + "/healthz", timeout=10))
        assert not isinstance(response, Exception), response
        assert response.status_code == 200
        assert elapsed < HEALTHZ_BOUND, f"/healthz took {elapsed:.2f} s"


# --- Redis ----------------------------------------------------------------------------------------


@pytest.fixture(params=["nothing listening", "accepts and never answers"])
def broken_redis_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "nothing listening":
        yield f"redis://127.0.0.1:{dead_port()}/0"
    else:
        with SilentServer() as silent:
            yield f"redis://127.0.0.1:{silent.port}/0"


def test_with_redis_down_signing_in_and_every_page_work(site_env, broken_redis_url):
    with running_dashboard(env={**site_env, "CACHE_URL": broken_redis_url}) as server:
        browser = requests.Session()
        login, elapsed = _timed(lambda: sign_in(server.url, "root.admin", PASSWORD, session=browser))
        assert login.status_code == 302, login.text[-2000:]
        # Each of the two is a page: the POST (its answer's `elapsed`) and the form before it.
        posted = login.elapsed.total_seconds()
        assert posted < REDIS_DOWN_PAGE_BOUND, f"the sign-in POST took {posted:.2f} s"
        assert elapsed - posted < REDIS_DOWN_PAGE_BOUND, f"the login form took {elapsed - posted:.2f} s"

        for path in PAGES * 2:
            response, elapsed = _timed(lambda p=path: browser.get(server.url + p, timeout=30))
            assert response.status_code == 200, (path, response.status_code)
            assert elapsed < REDIS_DOWN_PAGE_BOUND, f"{path} took {elapsed:.2f} s"

        ready = requests.get(server.url + "/readyz", timeout=30)
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        assert ready.json()["checks"]["cache"] == "unavailable"
        _healthz_is_fast(server)

        # Signing out still ends the session (it lives in PostgreSQL).
        logout = browser.post(
            server.url + "/accounts/logout/",
            headers={"X-CSRFToken": browser.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=30,
        )
        assert logout.status_code == 302
        assert browser.get(server.url + "/profiles/", allow_redirects=False, timeout=30).status_code == 302

        assert not [e for e in server.json_lines() if e.get("status") == 500 or e.get("level") == "ERROR"]
        # One line when Redis is first skipped, not one per cache call.
        skipped = [e for e in server.json_lines() if e.get("redis_circuit") == "open"]
        assert 1 <= len(skipped) <= 3


# --- PostgreSQL -----------------------------------------------------------------------------------


@pytest.fixture(params=["nothing listening", "accepts and never answers"])
def broken_database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "nothing listening":
        yield f"postgres://postgres@127.0.0.1:{dead_port()}/telnyx_admin"
    else:
        with SilentServer() as silent:
            yield f"postgres://postgres@127.0.0.1:{silent.port}/telnyx_admin"


def test_with_the_database_down_pages_are_a_fast_503_and_healthz_stays_fast(site_env, broken_database_url):
    with running_dashboard(env={**site_env, "DATABASE_URL": broken_database_url}) as server:
        _healthz_is_fast(server)

        ready, elapsed = _timed(lambda: requests.get(server.url + "/readyz", timeout=30))
        assert ready.status_code == 503
        assert ready.json()["failed"] == ["database"]
        assert elapsed < DATABASE_DOWN_BOUND, f"/readyz took {elapsed:.2f} s"

        # A signed-in visitor (the session is looked up in the database) and a sign-in attempt.
        stale_session = {"sessionid": "x" * 32}
        page, elapsed = _timed(
            lambda: requests.get(server.url + "/profiles/", cookies=stale_session, timeout=30)
        )
        assert page.status_code == 503
        assert "temporarily unavailable" in page.text
        assert page.headers["Retry-After"]
        assert elapsed < DATABASE_DOWN_BOUND, f"a page took {elapsed:.2f} s"
        login = sign_in(server.url, "root.admin", PASSWORD)
        assert login.status_code == 503
        assert login.elapsed.total_seconds() < DATABASE_DOWN_BOUND  # the POST; the form needs no database

        # While pages wait for the database, /healthz keeps answering at once.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            waiting = [
                pool.submit(requests.get, server.url + "/profiles/", cookies=stale_session, timeout=30)
                for _ in range(2)
            ]
            time.sleep(0.3)
            _healthz_is_fast(server, times=3)
            assert [future.result().status_code for future in waiting] == [503, 503]

        assert not [e for e in server.access_entries() if e.get("status") == 500]


def _terminate_connections(database_url: str) -> int:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


def test_connections_killed_by_postgresql_are_replaced_without_an_error(site_env):
    env = {**site_env, "GUNICORN_THREADS": "2"}
    with running_dashboard(env=env) as server:
        browser = requests.Session()
        assert sign_in(server.url, "root.admin", PASSWORD, session=browser).status_code == 302
        for path in PAGES:
            assert browser.get(server.url + path, timeout=30).status_code == 200

        for _ in range(3):
            assert _terminate_connections(site_env["DATABASE_URL"]) >= 1
            for path in PAGES:
                response = browser.get(server.url + path, timeout=30)
                assert response.status_code == 200, (path, response.status_code)
            assert requests.get(server.url + "/readyz", timeout=30).status_code == 200

        assert not [e for e in server.access_entries() if e.get("status", 0) >= 500]


def test_a_database_that_freezes_mid_connection_is_a_fast_503_and_healthz_never_waits(site_env):
    """PostgreSQL (or the link to it) stops answering on connections already open: no libpq or server
    timeout ends those reads. The database guard (telnyx_admin.database_guard) does: each call's
    deadline cuts its connection, the breaker then refuses database work at once, and one of the
    worker's threads is kept out of it all, so /healthz answers throughout, with more stuck requests
    than threads, and without the hung-worker watchdog (gunicorn.conf.py) having to step in.
    """
    threads, stuck_requests = 4, 6
    database = urlsplit(site_env["DATABASE_URL"])
    with FreezingProxy(database.hostname or "127.0.0.1", database.port or 5432) as proxy:
        env = {
            **site_env,
            "DATABASE_URL": database._replace(netloc=f"{database.username}@127.0.0.1:{proxy.port}").geturl(),
            "GUNICORN_THREADS": str(threads),
        }
        with running_dashboard(env=env) as server:
            browser = requests.Session()
            assert sign_in(server.url, "root.admin", PASSWORD, session=browser).status_code == 302
            # Give every thread a pooled connection: those are the ones left waiting.
            with concurrent.futures.ThreadPoolExecutor(max_workers=threads * 2) as pool:
                warm = list(pool.map(lambda _: browser.get(server.url + "/audit/", timeout=30), range(12)))
            assert {response.status_code for response in warm} == {200}

            proxy.freeze()
            with concurrent.futures.ThreadPoolExecutor(max_workers=stuck_requests) as pool:
                pages = [
                    pool.submit(_timed, lambda: browser.get(server.url + "/audit/", timeout=60))
                    for _ in range(stuck_requests)
                ]
                probes = []
                while not all(page.done() for page in pages):
                    probes.append(_timed(lambda: requests.get(server.url + "/healthz", timeout=10)))
                    time.sleep(0.1)
                outcomes = [page.result() for page in pages]

            assert len(probes) >= 10
            for response, elapsed in probes:
                assert not isinstance(response, Exception), response
                assert response.status_code == 200
                assert elapsed < HEALTHZ_BOUND, f"/healthz took {elapsed:.2f} s while the database was frozen"
            for response, elapsed in outcomes:
                assert not isinstance(response, Exception), response
                assert response.status_code == 503
                assert elapsed < DATABASE_DOWN_BOUND, f"a page took {elapsed:.2f} s to give up"
            # The breaker is open now: a page does not wait for the frozen database at all.
            page, elapsed = _timed(lambda: browser.get(server.url + "/audit/", timeout=30))
            assert page.status_code == 503
            assert elapsed < HEALTHZ_BOUND

            proxy.thaw()
            deadline = time.monotonic() + 30
            while True:
                response, _ = _timed(lambda: browser.get(server.url + "/audit/", timeout=30))
                if not isinstance(response, Exception) and response.status_code == 200:
                    break
                assert time.monotonic() < deadline, "the site did not recover after the database did"
                time.sleep(0.5)
            _healthz_is_fast(server)

        logged = server.json_lines()
        assert not [e for e in server.access_entries() if e.get("status") == 500]
        assert not [e for e in logged if "stops its heartbeat" in e.get("message", "")]
        assert [e for e in logged if e.get("database_circuit") == "open"]


def test_heavy_load_on_a_healthy_database_is_never_refused(site_env):
    """The thread kept for probes costs a busy site nothing: with two threads (one database call at a
    time) and eight times as many clients, every page is a 200."""
    with running_dashboard(env={**site_env, "GUNICORN_THREADS": "2"}) as server:
        browser = requests.Session()
        assert sign_in(server.url, "root.admin", PASSWORD, session=browser).status_code == 302
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(
                pool.map(lambda _: browser.get(server.url + "/audit/", timeout=60).status_code, range(160))
            )

        assert statuses == [200] * 160
        assert not [e for e in server.json_lines() if "DatabaseBusy" in e.get("message", "")]
