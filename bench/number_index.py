"""The number index on the large account: building it, refreshing it, and finding a number in it.

A sandbox with the large seed (2,000 profiles, 200,000 phone numbers) and 50 ms of latency on every
API call; the dashboard's own database (run it on PostgreSQL: DATABASE_URL=postgres://...).

- number_index_build_vs_ideal: the first full build (`refresh_number_index --here`: the profile
  list, then one job row per profile) over its ideal. The request budget is set to the dashboard's
  default (TELNYX_RATE_LIMIT 50 per second, TELNYX_JOB_SHARE 0.5), so the ideal is the number pages
  at the jobs' share of it: pages / (rate x share); were the latency the tighter bound (pages x
  latency / NUMBER_INDEX_CONCURRENCY), that would be the ideal instead. Target <= 1.5.
- number_index_refresh_calls: Telnyx calls of a refresh after one profile (the largest) changed.
  Target = its pages of numbers + the profile list's pages.
- number_lookup_ms: median time of a lookup by part of a number in the index (its two queries: the
  count of matches and the first page of 20), over 100 different partial numbers typed as people
  type them. Target <= 50 ms on PostgreSQL.
- number_lookup_page_ms: the same lookups as whole pages, GET /numbers/?q=... through the Django
  stack (session, user, freshness line, profile names, template). Same target.
"""

from __future__ import annotations

import math
import random
import statistics
import time

from bench.short_codes import _quiet

LATENCY_MS = 50
RATE = 50.0
JOB_SHARE = 0.5
LOOKUPS = 100


def _pages(sandbox, profile_id: str) -> int:
    meta = sandbox.get(f"/messaging_profiles/{profile_id}/phone_numbers", params={"page[size]": 1}).json()
    return max(1, math.ceil(meta["meta"]["total_results"] / 250))


def _typed(rng: random.Random, digits: str) -> str:
    """A part of a number, written the ways people write them."""
    length = rng.randint(4, 8)
    start = rng.randint(1, len(digits) - length)
    part = digits[start : start + length]
    style = rng.choice(["plain", "dash", "space"])
    if style == "dash" and length > 4:
        return f"{part[:3]}-{part[3:]}"
    if style == "space" and length > 4:
        return f"{part[:3]} {part[3:]}"
    return part


def main() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    from devservers.sandbox_process import SandboxProcess
    from jobs.models import Job
    from phone_numbers import index
    from phone_numbers.models import IndexedNumber
    from phone_numbers.selectors import NumberQuery, number_search
    from telnyx_admin.telnyx.budget import request_budget

    _quiet()
    concurrency = int(settings.NUMBER_INDEX_CONCURRENCY)  # profiles read at once
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        with SandboxProcess(seed="large", startup_timeout=180) as sandbox:
            settings.TELNYX_API_BASE_URL = sandbox.api_url
            settings.TELNYX_API_KEY = sandbox.api_key
            # Counted before the faults: the sandbox's own reads, not the dashboard's.
            profiles = sandbox.get("/messaging_profiles", params={"page[size]": 250}).json()["meta"]
            list_pages = profiles["total_pages"]
            every = []
            for number in range(1, list_pages + 1):
                page = sandbox.get("/messaging_profiles", params={"page[size]": 250, "page[number]": number})
                every.extend(page.json()["data"])
            pages = {profile["id"]: _pages(sandbox, profile["id"]) for profile in every}
            total_pages = sum(pages.values())
            sandbox.set_faults(latency_ms=LATENCY_MS)

            settings.TELNYX_RATE_LIMIT = RATE
            settings.TELNYX_RATE_BURST = int(RATE)
            settings.TELNYX_JOB_SHARE = JOB_SHARE
            request_budget.reset_local()
            before = sandbox.stats()["total_requests"]
            started = time.perf_counter()
            call_command("refresh_number_index", "--here", stdout=open("/dev/null", "w"))  # noqa: SIM115
            build = time.perf_counter() - started
            build_calls = sandbox.stats()["total_requests"] - before
            job = Job.objects.filter(kind=index.KIND).latest("pk")
            if job.status != Job.Status.DONE or job.applied != len(every):
                raise RuntimeError(f"the build ended {job.status}: {job.applied} of {job.total} read")
            indexed = IndexedNumber.objects.count()

            largest = max(pages, key=lambda profile_id: pages[profile_id])
            sandbox.patch(f"/messaging_profiles/{largest}", json={"name": "Renamed for the benchmark"})
            before = sandbox.stats()["total_requests"]
            call_command("refresh_number_index", "--here", stdout=open("/dev/null", "w"))  # noqa: SIM115
            refresh_calls = sandbox.stats()["total_requests"] - before

            user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-pass-1")
            client = Client()
            client.force_login(user)
            rng = random.Random(14)
            every_number = list(IndexedNumber.objects.values_list("digits", flat=True))
            queries = [_typed(rng, number) for number in rng.sample(every_number, LOOKUPS)]
            client.get("/numbers/", {"q": queries[0]})  # the filter menus are computed once a minute
            times = []
            for query in queries:
                started = time.perf_counter()
                response = client.get("/numbers/", {"q": query})
                times.append(time.perf_counter() - started)
                if response.status_code != 200 or b'data-testid="number-row"' not in response.content:
                    raise RuntimeError(f"lookup {query!r} answered {response.status_code} without rows")
            query_times = []
            for query in queries:
                started = time.perf_counter()
                found = number_search(NumberQuery(number=query))
                found.count()
                list(found[:20])
                query_times.append(time.perf_counter() - started)
            vendor = connection.vendor
    finally:
        teardown_databases(databases, verbosity=0)

    budget_bound = total_pages / (RATE * JOB_SHARE)
    latency_bound = total_pages * LATENCY_MS / 1000 / concurrency
    ideal = max(budget_bound, latency_bound)
    print(
        f"first full build: {build:.1f} s, {build_calls} calls ({list_pages} list pages + {total_pages} "
        f"pages of numbers), {indexed} numbers of {len(every)} profiles; ideal {ideal:.1f} s "
        f"(budget: {total_pages} pages / ({RATE:g}/s x {JOB_SHARE:g}) = {budget_bound:.1f} s; "
        f"latency: {total_pages} x {LATENCY_MS} ms / {concurrency} = {latency_bound:.1f} s)",
        flush=True,
    )
    print(
        f"refresh after renaming the largest profile ({pages[largest]} pages): {refresh_calls} calls",
        flush=True,
    )
    median = statistics.median(times) * 1000
    p90 = sorted(times)[int(LOOKUPS * 0.9) - 1] * 1000
    lookup = statistics.median(query_times) * 1000
    print(f"lookups on {vendor}, e.g. {queries[:4]}: the index's queries median {lookup:.1f} ms", flush=True)
    print(f"the whole page: median {median:.1f} ms, p90 {p90:.1f} ms", flush=True)
    print(f"BENCH number_index_build_vs_ideal value={build / ideal:.3f} target<=1.5", flush=True)
    print(
        f"BENCH number_index_refresh_calls value={refresh_calls} target={pages[largest] + list_pages}",
        flush=True,
    )
    print(f"BENCH number_lookup_ms value={lookup:.1f} target<=50 ({vendor})", flush=True)
    print(f"BENCH number_lookup_page_ms value={median:.1f} target<=50 ({vendor})", flush=True)
