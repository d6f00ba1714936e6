"""The load run: how fast the profile list and its htmx partial are under gunicorn when Telnyx is slow.

    python -m loadtests.load [--seconds 8] [--threads 8] [--latency-ms 50] [--database auto]

Starts a sandbox with a fixed latency on every API call (50 ms by default) and the dashboard under
gunicorn (one worker, `--threads` threads), signs in one session per client, and drives it with a
closed-loop Python load generator on loopback (each client sends its next request when the last
answer arrived; wrk is not needed). Measures:

- the profile list (`/profiles/`) and its table partial (htmx): pages per second and p50/p95 with
  as many clients as gunicorn has threads;
- the partial with 1, 2, 4 and 8 clients, against the ideal when Telnyx is the bottleneck:
  `clients / latency` pages per second (each page costs exactly one Telnyx call).

Prints a table and `BENCH` lines (`load_scaling_8 value=<achieved/ideal> target>=0.8`, ...), and the
machine's load average, since the figures depend on what else the cores were doing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass

import requests

from loadtests.site import USERNAMES, Site, running_site
from loadtests.staff import StaffSession, Traffic

SCALING_CLIENTS = (1, 2, 4, 8)
SCALING_TARGET = 0.8
LIST = "/profiles/"
_TIMING = re.compile(r"(\w+);dur=([\d.]+)")


@dataclass(frozen=True)
class Measurement:
    label: str
    clients: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    telnyx_ms: float  # mean Telnyx time per page, from Server-Timing
    app_ms: float  # mean time in the dashboard itself, from Server-Timing

    @property
    def pages_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _signed_in_sessions(site: Site, count: int) -> list[requests.Session]:
    sessions = []
    for _ in range(count):
        staff = StaffSession(
            base_url=site.url, username=USERNAMES["support"], password=site.password, traffic=Traffic()
        )
        staff.sign_in()
        sessions.append(staff.http)
    return sessions


def measure(
    site: Site, sessions: list[requests.Session], *, label: str, path: str, htmx: bool, seconds: float
) -> Measurement:
    """Closed loop: every client requests `path` again as soon as its last answer arrived."""
    headers = {"HX-Request": "true", "HX-Current-URL": site.url + path} if htmx else {}
    url = site.url + path
    lock = threading.Lock()
    latencies: list[float] = []
    timings: list[tuple[float, float]] = []
    errors = 0
    start = threading.Barrier(len(sessions) + 1)
    stop_at = 0.0

    def client(session: requests.Session) -> None:
        nonlocal errors
        mine: list[float] = []
        spent: list[tuple[float, float]] = []
        failed = 0
        # Warm the connection (and the session's cache entries) before the clock starts.
        session.get(url, headers=headers, timeout=30)
        start.wait()
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            answer = session.get(url, headers=headers, timeout=30)
            elapsed = (time.perf_counter() - began) * 1000
            if answer.status_code != 200:
                failed += 1
                continue
            mine.append(elapsed)
            parts = dict(_TIMING.findall(answer.headers.get("Server-Timing", "")))
            spent.append((float(parts.get("telnyx", 0)), float(parts.get("app", 0))))
        with lock:
            latencies.extend(mine)
            timings.extend(spent)
            errors += failed

    threads = [threading.Thread(target=client, args=(session,), daemon=True) for session in sessions]
    for thread in threads:
        thread.start()
    stop_at = time.perf_counter() + 3600  # set properly once everyone is warm
    start.wait()
    began = time.perf_counter()
    stop_at = began + seconds
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - began
    return Measurement(
        label=label,
        clients=len(sessions),
        seconds=elapsed,
        latencies_ms=latencies,
        errors=errors,
        telnyx_ms=statistics.fmean(t for t, _ in timings) if timings else float("nan"),
        app_ms=statistics.fmean(a for _, a in timings) if timings else float("nan"),
    )


def run_load(
    site: Site, *, seconds: float, threads: int, latency_ms: int, extra_latencies: tuple[int, ...] = ()
) -> tuple[list[Measurement], dict[int, list[Measurement]]]:
    """The two pages at `latency_ms` with `threads` clients, and thread scaling at each latency."""
    sessions = _signed_in_sessions(site, max(threads, *SCALING_CLIENTS))
    scaling: dict[int, list[Measurement]] = {}
    try:
        site.sandbox.set_faults(latency_ms=latency_ms)
        pages = [
            measure(site, sessions[:threads], label="profile list", path=LIST, htmx=False, seconds=seconds),
            measure(site, sessions[:threads], label="profile table partial (htmx)", path=LIST, htmx=True,
                    seconds=seconds),
        ]  # fmt: skip
        for latency in (latency_ms, *extra_latencies):
            site.sandbox.set_faults(latency_ms=latency)
            scaling[latency] = [
                measure(site, sessions[:clients], label=f"partial, {latency} ms", path=LIST, htmx=True,
                        seconds=seconds)
                for clients in SCALING_CLIENTS
            ]  # fmt: skip
    finally:
        site.sandbox.clear_faults()
    return pages, scaling


def report(
    pages: list[Measurement], scaling: dict[int, list[Measurement]], *, latency_ms: int, load: str
) -> str:
    lines = [
        f"Load run: one gunicorn worker, Telnyx latency {latency_ms} ms; load average {load}",
        "",
        "| measurement | clients | pages/s | p50 ms | p95 ms | Telnyx ms | app ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in [*pages, *(m for series in scaling.values() for m in series)]:
        lines.append(
            f"| {m.label} | {m.clients} | {m.pages_per_second:.1f} | {m.percentile(0.5):.0f} | "
            f"{m.percentile(0.95):.0f} | {m.telnyx_ms:.0f} | {m.app_ms:.0f} | {m.errors} |"
        )
    lines += [
        "",
        "| Telnyx latency | clients | pages/s | ideal (clients / latency) | achieved / ideal "
        "| vs 1 client x N |",
        "|---|---|---|---|---|---|",
    ]
    for latency, series in scaling.items():
        single = series[0].pages_per_second
        for m in series:
            ideal = m.clients * 1000 / latency
            lines.append(
                f"| {latency} ms | {m.clients} | {m.pages_per_second:.1f} | {ideal:.0f} | "
                f"{m.pages_per_second / ideal:.0%} | {m.pages_per_second / (single * m.clients):.0%} |"
            )
    lines.append("")
    for m, name in zip(pages, ("list", "partial"), strict=True):
        lines.append(f"BENCH load_{name}_pages_per_second value={m.pages_per_second:.1f} "
                     f"target>={SCALING_TARGET * m.clients * 1000 / latency_ms:.0f}")  # fmt: skip
        lines.append(f"BENCH load_{name}_p95_ms value={m.percentile(0.95):.1f} target<={latency_ms * 4}")
    for latency, series in scaling.items():
        suffix = "" if latency == latency_ms else f"_at_{latency}ms"
        for m in series:
            ratio = m.pages_per_second / (m.clients * 1000 / latency)
            lines.append(f"BENCH load_scaling_{m.clients}{suffix} value={ratio:.2f} target>={SCALING_TARGET}")
    return "\n".join(lines)


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each measurement (default 6)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads in all; clients")
    parser.add_argument(
        "--workers", type=int, default=2,
        help="gunicorn worker processes sharing the threads (default 2, as gunicorn.conf.py: one per core)",
    )  # fmt: skip
    parser.add_argument("--latency-ms", type=int, default=50, help="Telnyx latency injected by the sandbox")
    parser.add_argument(
        "--also-latency-ms", type=int, nargs="*", default=[250],
        help="further latencies to measure thread scaling at (default 250: Telnyx clearly the bottleneck)",
    )  # fmt: skip
    parser.add_argument("--database", choices=["auto", "postgres", "sqlite"], default="auto")
    args = parser.parse_args(argv)
    # The threads are spread over the workers, as production runs them: one Python process alone cannot
    # use the second core (the GIL), and the dashboard's own work per page is CPU.
    per_worker = max(1, args.threads // args.workers)
    with running_site(threads=per_worker, workers=args.workers, database=args.database) as site:
        before = _load_average()
        print(f"dashboard {site.url} ({site.database}); load average before: {before}", flush=True)
        pages, scaling = run_load(
            site,
            seconds=args.seconds,
            threads=args.threads,
            latency_ms=args.latency_ms,
            extra_latencies=tuple(args.also_latency_ms),
        )
        print(
            report(
                pages, scaling, latency_ms=args.latency_ms, load=f"{before} before, {_load_average()} after"
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
