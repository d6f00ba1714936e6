"""The spend-limit overview of a 2,000-profile account against its ideal, and the calls it makes.

A sandbox with the large seed (2,000 profiles) and 50 ms of latency on every API call. The page is
rendered through the whole Django stack (test client, middleware included) with the profile
catalog cold, as after a profile write or when the cache expired: every view then loads every
profile. The catalog remembers the account's page count, so it asks for all 8 pages at once.

- spend_overview_vs_ideal: median time of GET /spend-limits/ (cold catalog) over
  ceil(2000 / 250 / PROFILE_CATALOG_CONCURRENCY) x latency, the time the pages take when fetched
  all together. Target <= 1.5.
- overview_calls: Telnyx calls of one such view (Server-Timing, cross-checked with the sandbox's
  counter). Target = ceil(2000 / 250) = 8.
- A line also reports the very first load, before the catalog knows the account's size (page 1
  first, then the rest: two round trips), and one the same 8 pages fetched by a bare requests
  session (the floor the network and the sandbox set, before any work of the dashboard).

Rounds are spaced by a quarter second, as views are (and so that the default request budget of
50 per second would not hold them back either; `python -m bench` sets it out of the way).
"""

from __future__ import annotations

import concurrent.futures
import math
import statistics
import time

import requests

from bench.short_codes import _calls, _quiet

LATENCY_MS = 50
PROFILES = 2_000
ROUNDS = 25
PAUSE = 0.25  # seconds between rounds: 8 tokens come back at the default 50 per second


def main() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    from devservers.sandbox_process import SandboxProcess
    from profiles import catalog

    _quiet()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    concurrency = int(settings.PROFILE_CATALOG_CONCURRENCY)
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        with SandboxProcess(seed="large", startup_timeout=120) as sandbox:
            settings.TELNYX_API_BASE_URL = sandbox.api_url
            settings.TELNYX_API_KEY = sandbox.api_key
            user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-pass-1")
            client = Client()
            client.force_login(user)
            sandbox.set_faults(latency_ms=LATENCY_MS)

            def view() -> tuple[float, int]:
                catalog.invalidate()
                # Counted by difference: clearing the stats is a DELETE, and any non-GET empties the
                # sandbox's page cache, which would make each round measure the sandbox rebuilding
                # its pages rather than the dashboard.
                before = sandbox.stats()["total_requests"]
                started = time.perf_counter()
                response = client.get("/spend-limits/")
                elapsed = time.perf_counter() - started
                if response.status_code != 200 or "2000" not in response.content.decode():
                    raise RuntimeError(f"overview answered {response.status_code}")
                calls = _calls(response)
                seen = sandbox.stats()["total_requests"] - before
                if seen != calls:
                    raise RuntimeError(f"Server-Timing says {calls} calls, the sandbox saw {seen}")
                return elapsed, calls

            def bare_fetch() -> float:
                """The same 8 pages with a bare keep-alive requests session: what the network and
                the sandbox alone cost, before any work of the dashboard."""

                def page(number: int) -> bytes:
                    return session.get(url, params={"page[size]": 250, "page[number]": number}).content

                started = time.perf_counter()
                list(pool.map(page, range(1, math.ceil(PROFILES / 250) + 1)))
                return time.perf_counter() - started

            catalog.forget_size()
            first_time, first_calls = view()
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {sandbox.api_key}"
            url = f"{sandbox.api_url}/messaging_profiles"
            bare = []
            with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
                for _ in range(ROUNDS):
                    time.sleep(PAUSE)
                    bare.append(bare_fetch())
            times, calls = [], set()
            for _ in range(ROUNDS):
                time.sleep(PAUSE)
                elapsed, made = view()
                times.append(elapsed)
                calls.add(made)
    finally:
        teardown_databases(databases, verbosity=0)
    ideal = math.ceil(PROFILES / 250 / concurrency) * LATENCY_MS / 1000
    median = statistics.median(times)
    print(f"first load (account size unknown): {first_time * 1000:.1f} ms, {first_calls} calls", flush=True)
    print(
        f"cold catalog, {ROUNDS} rounds: median {median * 1000:.1f} ms, p90 "
        f"{sorted(times)[int(ROUNDS * 0.9) - 1] * 1000:.1f} ms; ideal {ideal * 1000:.0f} ms "
        f"(ceil({PROFILES}/250/{concurrency}) x {LATENCY_MS} ms); calls per view {sorted(calls)}",
        flush=True,
    )
    print(
        f"the same pages with a bare requests session: median {statistics.median(bare) * 1000:.1f} ms "
        f"({statistics.median(bare) / ideal:.2f} x ideal: the network and the sandbox alone)",
        flush=True,
    )
    print(
        f"the view over those bare pages: {median / statistics.median(bare):.2f} x (what the dashboard adds: "
        f"decoding, the catalog, caching it, rendering)",
        flush=True,
    )
    print(f"BENCH spend_overview_vs_ideal value={median / ideal:.3f} target<=1.5", flush=True)
    print(f"BENCH overview_calls value={max(calls)} target={math.ceil(PROFILES / 250)}", flush=True)
