"""The dashboard as production runs it: gunicorn with gunicorn.conf.py, DEBUG off, in a subprocess.

Servers listen on free loopback ports; every process started here is stopped by its pid.

    env = production_env(DATABASE_URL=...)
    prepare(env)  # collectstatic and migrate, as a deploy does
    # or, with a STATIC_ROOT collected before (collect_static): migrate(env)
    with running_dashboard(env=env) as server:
        requests.get(server.url + "/healthz")
        server.json_lines()  # everything gunicorn and Django logged, parsed
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from devservers import environment
from devservers.ports import free_port

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# Variables of the test process that must not leak into a production-like server.
_NOT_INHERITED = ("TESTING", "DJANGO_SETTINGS_MODULE", "DEBUG", "DEMO_MODE")


def production_env(**overrides: str) -> dict[str, str]:
    """Environment for a server configured as in production, on plain-HTTP loopback.

    DEBUG off, a random SECRET_KEY, JSON logs, one small worker. DATABASE_URL and CACHE_URL are
    inherited from the test run unless overridden (so the PostgreSQL/Redis CI leg covers them too).
    """
    env = environment.inherited(without=_NOT_INHERITED)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        # Loopback is plain HTTP; behind TLS both stay on (their production default).
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
        PYTHONUNBUFFERED="1",
        # Keys of their own when CACHE_URL points at a Redis the test run shares.
        CACHE_KEY_PREFIX=f"telnyx-admin-test-{secrets.token_hex(4)}",
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run `manage.py <args>` with this environment; raise with its output if it fails."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def prepare(env: dict[str, str]) -> None:
    """What a deploy does before starting gunicorn: collectstatic (the image build) and migrate."""
    collect_static(env)
    migrate(env)


def collect_static(env: dict[str, str]) -> None:
    """collectstatic into env's STATIC_ROOT: about 3 CPU-seconds, WhiteNoise compresses every file."""
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def migrate(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "--verbosity", "0")


@dataclass
class RunningServer:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(repr=False)

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()

    def json_lines(self) -> list[dict[str, Any]]:
        """Every log line that is a JSON object (non-JSON lines are skipped; see log_lines())."""
        entries = []
        for line in self.log_lines():
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if isinstance(entry, dict):
                    entries.append(entry)
        return entries

    def access_entries(self) -> list[dict[str, Any]]:
        return [entry for entry in self.json_lines() if entry.get("logger") == "gunicorn.access"]

    def wait_for_log(self, predicate: Any, *, timeout: float = 5.0) -> dict[str, Any]:
        """The first JSON log entry matching `predicate`, waiting for gunicorn to flush it."""
        deadline = time.monotonic() + timeout
        while True:
            for entry in self.json_lines():
                if predicate(entry):
                    return entry
            if time.monotonic() > deadline:
                raise AssertionError("no matching log line in:\n" + "\n".join(self.log_lines()[-40:]))
            time.sleep(0.05)

    def stop(self, *, timeout: float = 20.0) -> int:
        """SIGTERM (gunicorn's graceful shutdown), then SIGKILL to the group if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        return self.process.returncode


@contextlib.contextmanager
def running_dashboard(
    *,
    env: dict[str, str],
    port: int | None = None,
    via_serve_script: bool = False,
    log_dir: Path | None = None,
    startup_timeout: float = 90.0,
) -> Iterator[RunningServer]:
    """Start the dashboard under gunicorn (gunicorn.conf.py) and stop it on exit.

    `via_serve_script=True` runs `scripts/serve` (collectstatic, migrate, then gunicorn on
    127.0.0.1:$PORT) exactly as `make serve` does; otherwise gunicorn is started directly with the
    same config file and the caller has run prepare(env) (collectstatic and migrate) already, or
    migrate(env) with a STATIC_ROOT collected before.
    """
    port = port or free_port()
    env = {**env, "PORT": str(port), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if via_serve_script:
        command = [str(REPO / "scripts" / "serve")]
        env["PYTHON"] = PYTHON
    else:
        command = [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "telnyx_admin.wsgi"]
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="dashboard-log-"))
    log_path = log_dir / f"gunicorn-{port}.log"
    with log_path.open("wb") as log:
        # Own process group: if the master hangs, its workers are killed with it and nothing else.
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = RunningServer(
        url=f"http://127.0.0.1:{port}", port=port, process=process, log_path=log_path, env=env
    )
    try:
        _wait_until_serving(server, timeout=startup_timeout)
        yield server
    finally:
        server.stop()


def _wait_until_serving(server: RunningServer, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(
                f"server exited with {server.process.returncode}:\n" + "\n".join(server.log_lines()[-60:])
            )
        try:
            requests.get(server.url + "/accounts/login/", timeout=5, allow_redirects=False)
            return
        except requests.RequestException:  # not listening yet, or still booting on a busy machine
            time.sleep(0.2)
    raise AssertionError("server did not answer in time:\n" + "\n".join(server.log_lines()[-60:]))
