"""Profile pages served for real: list page vs the raw API call and vs Django admin, calls, CSV export.

The dashboard runs as in production: gunicorn with gunicorn.conf.py (gthread workers) on a free
port, DEBUG off, its own SQLite database in a temporary directory, pointed at a sandbox process
with 50 ms of latency injected into every API request. Django's live server was not used: it is
wsgiref (http.server), whose keep-alive responses can stall ~40 ms on delayed ACKs (see
ARCHITECTURE.md), so it would measure the test server instead of the dashboard. Requests come from
a signed-in `requests.Session` (keep-alive), like a browser.

Figures (each ends in a `BENCH` line):
- profile_list_vs_raw: median time of GET /profiles/ (full page) / median time of the API call it
  makes (GET /v2/messaging_profiles?page[number]=1&page[size]=20), taken in strict alternation.
- profile_list_calls, profile_partial_calls: Telnyx calls per full list page, and the most made by
  any htmx partial (list table, phone-numbers tab), from the `Server-Timing` header and checked
  against the sandbox's own request counter.
- profile_list_app_vs_admin: the list page's own time inside Django (the `app` part of its
  `Server-Timing`, i.e. without the Telnyx call) / the time of Django admin's user changelist with
  25 users, in the same process, as the same signed-in user, in strict alternation, with no latency
  injected (the list page's own time is the same either way; a thread resumed after a 50 ms wait
  runs cold, which would charge the sandbox's latency to the page). Target <= 0.5:
  a page of ours costs at most half of the Django page our users know.
- csv_export_vs_ideal: time to the last byte of /profiles/<id>/phone-numbers/?format=csv for the
  5,250-number profile / ceil(pages / concurrency) x latency, with the dashboard's
  TELNYX_EXPORT_CONCURRENCY and pages of 250.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
LATENCY_MS = 50
ROUNDS = 60
WARMUP = 8
CSV_RUNS = 3
EXPORT_CONCURRENCY = 8
EXPORT_PAGE_SIZE = 250
BULK_PROFILE_NAME = "Acme Bulk Notifications"
ADMIN_LIST_USERS = 25
USERNAME = "bench.support"
PASSWORD = "bench-password-not-secret-42"  # noqa: S105 - a throwaway user in a temporary database
HTMX = {"HX-Request": "true", "HX-Current-URL": "/profiles/"}


def _free_port() -> int:
    from devservers.ports import free_port

    return free_port()


class Dashboard:
    """The dashboard under gunicorn, with a fresh database and one Support staff user."""

    def __init__(self, sandbox) -> None:
        self.tempdir = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tempdir / "gunicorn.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "telnyx_admin.settings",
            "TESTING": "1",
            "DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{self.tempdir / 'dashboard.sqlite3'}",
            "CACHE_URL": "locmemcache://bench",
            "SANDBOX_URL": sandbox.base_url,
            "SANDBOX_API_KEY": sandbox.api_key,
            "TELNYX_EXPORT_CONCURRENCY": str(EXPORT_CONCURRENCY),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "8",
            "LOG_FORMAT": "json",
            # The sandbox's call counts are compared with Server-Timing: /readyz's background Telnyx
            # check may run once at start-up, never again during the measurements.
            "TELNYX_HEALTH_INTERVAL": "86400",
        }
        self.env.pop("TELNYX_API_KEY", None)
        self.env.pop("TELNYX_API_BASE_URL", None)
        self.process: subprocess.Popen | None = None

    def _manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True
        )

    def start(self) -> Dashboard:
        self._manage("migrate", "--noinput")
        self._manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, Permission, User; "
            f"u = User.objects.create_user({USERNAME!r}, password={PASSWORD!r}, is_staff=True); "
            "u.groups.add(Group.objects.get(name='Support staff')); "
            # Staff with view_user, so the same user opens Django admin's user list.
            "u.user_permissions.add(Permission.objects.get(codename='view_user')); "
            "User.objects.bulk_create("
            f"[User(username=f'bench.user{{i:02d}}') for i in range({ADMIN_LIST_USERS - 1})])",
        )
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return self
            # The master listens before its worker has loaded the app: a probe then waits, unanswered.
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.1)
        raise RuntimeError("the dashboard did not start within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.tempdir, ignore_errors=True)

    def signed_in_session(self) -> requests.Session:
        session = requests.Session()
        session.get(f"{self.url}/accounts/login/", timeout=10).raise_for_status()
        response = session.post(
            f"{self.url}/accounts/login/",
            data={
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": f"{self.url}/accounts/login/"},
            timeout=10,
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in failed: {response.status_code}")
        return session


def _calls(response: requests.Response) -> int:
    match = re.search(r'telnyx;dur=[0-9.]+;desc="([0-9]+) calls?"', response.headers.get("Server-Timing", ""))
    if match is None:
        raise RuntimeError(f"no Telnyx tally in Server-Timing: {response.headers.get('Server-Timing')!r}")
    return int(match.group(1))


def _checked(response: requests.Response) -> requests.Response:
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.method} {response.url} answered {response.status_code}")
    return response


def _alternate(first: Callable[[], object], second: Callable[[], object], rounds: int) -> tuple[list, list]:
    """Seconds per call of each, in strict alternation (who goes first alternates too)."""
    a: list[float] = []
    b: list[float] = []
    for i in range(rounds):
        order = ((first, a), (second, b)) if i % 2 == 0 else ((second, b), (first, a))
        for call, times in order:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
    return a, b


def bench_list_vs_raw(dashboard: Dashboard, browser: requests.Session, sandbox) -> None:
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {sandbox.api_key}"
    raw_url = f"{sandbox.api_url}/messaging_profiles"
    raw_params = {"page[number]": 1, "page[size]": 20}

    timings: list[tuple[float, float]] = []

    def page() -> object:
        response = _checked(browser.get(f"{dashboard.url}/profiles/", timeout=10))
        header = response.headers.get("Server-Timing", "")
        telnyx_ms = re.search(r"telnyx;dur=([0-9.]+)", header)
        app_ms = re.search(r"app;dur=([0-9.]+)", header)
        if telnyx_ms and app_ms:
            timings.append((float(telnyx_ms.group(1)), float(app_ms.group(1))))
        return response

    def raw() -> object:
        return _checked(api.get(raw_url, params=raw_params, timeout=10)).content

    _alternate(page, raw, WARMUP)
    timings.clear()
    page_s, raw_s = _alternate(page, raw, ROUNDS)
    page_median, raw_median = statistics.median(page_s), statistics.median(raw_s)
    print(
        f"list page (20 rows, {LATENCY_MS} ms latency, {ROUNDS} rounds): page median "
        f"{page_median * 1000:.1f} ms (p90 {statistics.quantiles(page_s, n=10)[-1] * 1000:.1f}), "
        f"raw API call median {raw_median * 1000:.1f} ms "
        f"(p90 {statistics.quantiles(raw_s, n=10)[-1] * 1000:.1f}); "
        f"dashboard overhead {(page_median - raw_median) * 1000:.1f} ms; inside Django (Server-Timing "
        f"medians) the Telnyx call {statistics.median(t for t, _ in timings):.1f} ms and everything else "
        f"{statistics.median(a for _, a in timings):.1f} ms"
    )
    print(f"BENCH profile_list_vs_raw value={page_median / raw_median:.3f} target<=1.10", flush=True)


def bench_calls(dashboard: Dashboard, browser: requests.Session, sandbox, profile_id: str) -> None:
    def counted(url: str, **headers: str) -> tuple[requests.Response, int]:
        sandbox.clear_stats()
        response = _checked(browser.get(url, headers=headers, timeout=10))
        seen = sandbox.stats()["total_requests"]
        if seen != _calls(response):
            raise RuntimeError(f"{url}: Server-Timing says {_calls(response)} calls, the sandbox saw {seen}")
        return response, seen

    full, list_calls = counted(f"{dashboard.url}/profiles/")
    narrowed, table_calls = counted(f"{dashboard.url}/profiles/?q=acme", **HTMX)
    table_all, _ = counted(f"{dashboard.url}/profiles/", **HTMX)
    _, detail_calls = counted(f"{dashboard.url}/profiles/{profile_id}/")
    _, tab_calls = counted(f"{dashboard.url}/profiles/{profile_id}/phone-numbers/?page=2", **HTMX)
    print(
        f"Telnyx calls: list page {list_calls}, list table partial {table_calls}, detail page "
        f"{detail_calls}, phone-numbers tab partial {tab_calls} (Server-Timing, confirmed by sandbox stats)"
    )
    print(f"BENCH profile_list_calls value={list_calls} target<=1", flush=True)
    print(f"BENCH profile_partial_calls value={max(table_calls, tab_calls)} target<=1", flush=True)

    print(
        f"list page {len(full.content)} bytes, its htmx table partial (same 20 rows) "
        f"{len(table_all.content)} bytes; a narrowing search (q=acme) answers {len(narrowed.content)} bytes"
    )


def _app_ms(response: requests.Response) -> float:
    match = re.search(r"app;dur=([0-9.]+)", response.headers.get("Server-Timing", ""))
    if match is None:
        raise RuntimeError(f"no app time in Server-Timing: {response.headers.get('Server-Timing')!r}")
    return float(match.group(1))


def bench_list_vs_admin(dashboard: Dashboard, browser: requests.Session) -> None:
    """The list page's own time in Django vs Django admin's user changelist, alternating."""
    admin_url = f"{dashboard.url}/admin/auth/user/"
    listed = _checked(browser.get(admin_url, timeout=10)).text.count('class="field-username"')
    if listed != ADMIN_LIST_USERS:
        raise RuntimeError(f"the admin list shows {listed} users, expected {ADMIN_LIST_USERS}")
    ours: list[float] = []
    admin: list[float] = []

    def page() -> object:
        ours.append(_app_ms(_checked(browser.get(f"{dashboard.url}/profiles/", timeout=10))))
        return None

    def changelist() -> object:
        admin.append(_app_ms(_checked(browser.get(admin_url, timeout=10))))
        return None

    _alternate(page, changelist, WARMUP)
    ours.clear()
    admin.clear()
    _alternate(page, changelist, ROUNDS)
    ours_median, admin_median = statistics.median(ours), statistics.median(admin)
    print(
        f"inside Django (Server-Timing app, {ROUNDS} rounds, medians): "
        f"profile list page {ours_median:.1f} ms, "
        f"admin user changelist ({ADMIN_LIST_USERS} users) {admin_median:.1f} ms"
    )
    print(f"BENCH profile_list_app_vs_admin value={ours_median / admin_median:.3f} target<=0.5", flush=True)


def bench_csv_export(dashboard: Dashboard, browser: requests.Session, sandbox, profile_id: str) -> None:
    meta = sandbox.get(
        f"/messaging_profiles/{profile_id}/phone_numbers", params={"page[size]": EXPORT_PAGE_SIZE}
    ).json()["meta"]
    pages, total = meta["total_pages"], meta["total_results"]
    url = f"{dashboard.url}/profiles/{profile_id}/phone-numbers/?format=csv"

    def export() -> float:
        started = time.perf_counter()
        response = _checked(browser.get(url, stream=True, timeout=60))
        lines = sum(chunk.count(b"\n") for chunk in response.iter_content(chunk_size=65536))
        elapsed = time.perf_counter() - started
        if lines != total + 1:
            raise RuntimeError(f"the export had {lines} lines, expected {total} numbers and a header")
        return elapsed

    sandbox.clear_faults()
    export()  # warm the dashboard's connection pool to the sandbox
    sandbox.set_faults(latency_ms=LATENCY_MS)
    best = min(export() for _ in range(CSV_RUNS))
    ideal = math.ceil(pages / EXPORT_CONCURRENCY) * LATENCY_MS / 1000
    # The first page must arrive before the others can be asked for (it says how many there are).
    floor = (1 + math.ceil((pages - 1) / EXPORT_CONCURRENCY)) * LATENCY_MS / 1000
    print(
        f"CSV export of {total} numbers ({pages} pages of {EXPORT_PAGE_SIZE}, concurrency "
        f"{EXPORT_CONCURRENCY}, {LATENCY_MS} ms latency): {best * 1000:.0f} ms to the last byte "
        f"(best of {CSV_RUNS}); ideal {ideal * 1000:.0f} ms; first page then the rest in waves "
        f"{floor * 1000:.0f} ms"
    )
    print(f"BENCH csv_export_vs_ideal value={best / ideal:.3f} target<=1.5", flush=True)


def main() -> None:
    from devservers.sandbox_process import SandboxProcess

    with SandboxProcess() as sandbox:
        dashboard = Dashboard(sandbox).start()
        try:
            browser = dashboard.signed_in_session()
            profile_id = sandbox.profile_named(BULK_PROFILE_NAME)["id"]
            _checked(browser.get(f"{dashboard.url}/profiles/", timeout=10))  # warm imports and templates
            # Both pages' own time, back to back and with no injected latency: a worker thread that
            # waited 50 ms on Telnyx resumes cold, which is the sandbox's doing, not the page's.
            bench_list_vs_admin(dashboard, browser)
            sandbox.set_faults(latency_ms=LATENCY_MS)
            bench_list_vs_raw(dashboard, browser, sandbox)
            bench_calls(dashboard, browser, sandbox, profile_id)
            bench_csv_export(dashboard, browser, sandbox, profile_id)
        finally:
            sandbox.clear_faults()
            dashboard.stop()
