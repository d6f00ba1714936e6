"""The site under test: a fresh sandbox and the dashboard under gunicorn, configured as in production.

    with running_site(threads=8) as site:
        site.url, site.sandbox, site.dashboard.json_lines(), site.password

    with running_site(lossy=True) as site:  # the dashboard reaches the sandbox through site.proxy
        site.proxy.lose_answers(count=1)

The dashboard gets its own database (a throwaway PostgreSQL database with a private Redis key prefix
when `database="postgres"`, else a SQLite file in a temporary directory), demo users with one known
password (`seed_demo --force --password`), and a sandbox whose API key is random, so a leak of it can
be searched for anywhere.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from devservers.dashboard import (
    RunningServer,
    collect_static,
    manage,
    migrate,
    production_env,
    running_dashboard,
)
from devservers.fault_proxy import FaultProxy
from devservers.sandbox_process import SandboxProcess
from devservers.services import POSTGRES_ADMIN_URL, REDIS_URL

REPO = Path(__file__).resolve().parents[1]

# seed_demo's users, by the role each stands for.
USERNAMES = {"support": "support", "account_manager": "accounts", "auditor": "auditor", "admin": "admin"}

Database = Literal["auto", "postgres", "sqlite", "inherit"]


@dataclass
class Site:
    sandbox: SandboxProcess
    dashboard: RunningServer
    env: dict[str, str]
    password: str
    database: str
    # Between the dashboard and the sandbox when the site was started `lossy`.
    proxy: FaultProxy | None = None

    @property
    def url(self) -> str:
        return self.dashboard.url

    @property
    def api_key(self) -> str:
        return self.sandbox.api_key


def postgres_available() -> bool:
    """Whether the local PostgreSQL and Redis both answer (the production-like set-up)."""
    try:
        import psycopg
        import redis

        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=2).close()
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        client.close()
    except Exception:  # any failure means "not available here"
        return False
    return True


@contextlib.contextmanager
def _database_env(database: Database, workdir: Path) -> Iterator[tuple[dict[str, str], str]]:
    """Environment overrides for the dashboard's database and cache, and a label for reports."""
    if database == "auto":
        database = "postgres" if postgres_available() else "sqlite"
    if database == "inherit" and not os.environ.get("DATABASE_URL"):
        database = "sqlite"
    if database == "postgres":
        from devservers.services import redis_key_prefix, throwaway_postgres_database

        with throwaway_postgres_database() as database_url, redis_key_prefix() as prefix:
            yield (
                {"DATABASE_URL": database_url, "CACHE_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix},
                ("PostgreSQL + Redis"),
            )
    elif database == "sqlite":
        path = workdir / "dashboard.sqlite3"
        yield {"DATABASE_URL": f"sqlite:///{path}", "CACHE_URL": "locmemcache://telnyx-admin"}, "SQLite"
    else:  # inherit: the test run's DATABASE_URL / CACHE_URL (the PostgreSQL CI leg)
        url = os.environ["DATABASE_URL"]
        if url.startswith(("postgres://", "postgresql://")):
            # The test run's database belongs to pytest-django: use a throwaway one on the same server.
            with _database_env("postgres", workdir) as pair:
                yield pair
        else:
            yield {}, "inherited"


@contextlib.contextmanager
def running_site(
    *,
    threads: int = 8,
    workers: int = 1,
    database: Database = "auto",
    static_root: Path | None = None,
    extra_env: dict[str, str] | None = None,
    lossy: bool = False,
) -> Iterator[Site]:
    """Start a sandbox and the dashboard (gunicorn, DEBUG off, JSON logs) pointed at it; stop both after.

    `lossy`: the dashboard reaches the sandbox through a FaultProxy (`site.proxy`), which can lose
    the answers of writes the sandbox applied. `static_root`: a folder collectstatic has filled
    already (tests share one); without it, collectstatic fills a new one.
    """
    password = secrets.token_urlsafe(18)
    workdir = Path(tempfile.mkdtemp(prefix="loadtests-"))
    sandbox = SandboxProcess(api_key=f"KEY{secrets.token_hex(16)}", database_path=workdir / "sandbox.sqlite3")
    sandbox.start()
    proxy = FaultProxy(sandbox.base_url).start() if lossy else None
    try:
        with _database_env(database, workdir) as (database_overrides, label):
            env = production_env(
                **database_overrides,
                STATIC_ROOT=str(static_root or workdir / "static"),
                TELNYX_API_BASE_URL=proxy.api_url if proxy is not None else sandbox.api_url,
                TELNYX_API_KEY=sandbox.api_key,
                WEB_CONCURRENCY=str(workers),
                GUNICORN_THREADS=str(threads),
                # The staff sessions tag each request with their own X-Request-ID to join log lines
                # and audit entries on it; the dashboard takes that header only from a trusted proxy,
                # and here the load generator stands where the proxy would.
                TRUSTED_PROXY_COUNT="1",
                **(extra_env or {}),
            )
            if static_root is None:
                collect_static(env)
            migrate(env)
            manage(env, "seed_demo", "--force", f"--password={password}")  # a password may start with "-"
            with running_dashboard(env=env, log_dir=workdir) as dashboard:
                yield Site(
                    sandbox=sandbox,
                    dashboard=dashboard,
                    env=env,
                    password=password,
                    database=label,
                    proxy=proxy,
                )
    finally:
        if proxy is not None:
            proxy.stop()
        sandbox.stop()
