"""A bulk spend-limit job of 500 profiles against its ideal at the budget's job share.

A sandbox with the large seed and 50 ms of latency on every API call; the request budget at its
documented default (TELNYX_RATE_LIMIT 50 per second, TELNYX_JOB_SHARE 0.5: 25 calls a second for
jobs). The job is the one a confirmed bulk change starts (profiles/spend_plans.py), run by the
worker's own code (jobs.runner.run_job) in this process, so the time is the job's, not a worker's
start-up.

- bulk_update_vs_ideal: the job's wall time over 500 / (TELNYX_RATE_LIMIT x TELNYX_JOB_SHARE), the
  time 500 calls take at the job share. Target <= 1.2.
- A line reports the Telnyx calls per row: each row's PATCH, plus its share of its batch's re-read
  of the profiles under their locks (the `updated_at` check; every list page of the account, 8 for
  the large seed, per batch), so the budget, not the dashboard, sets the floor.
"""

from __future__ import annotations

import time
from dataclasses import asdict

from bench.short_codes import _quiet

LATENCY_MS = 50
ROWS = 500
RATE = 50.0
JOB_SHARE = 0.5


def main() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test.utils import setup_databases, teardown_databases

    from audit.context import AuditContext
    from devservers.sandbox_process import SandboxProcess
    from jobs import runner
    from jobs.models import Job
    from profiles import catalog, spend_plans
    from telnyx_admin.telnyx import budget

    _quiet()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        with SandboxProcess(seed="large", startup_timeout=120) as sandbox:
            settings.TELNYX_API_BASE_URL = sandbox.api_url
            settings.TELNYX_API_KEY = sandbox.api_key
            user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-pass-1")
            catalog.invalidate()
            profiles = list(catalog.profile_catalog().by_name[:ROWS])
            rows = spend_plans.plan_change(profiles, limit="123.45", enabled=True)
            plan = {
                "fields": list(spend_plans.FIELDS),
                "source": "bulk",
                "rows": [asdict(row) for row in rows],
            }
            job = spend_plans.start_plan(
                actor=user,
                audit=AuditContext.background("bench"),
                token="bench-plan",  # noqa: S106 - a plan id, not a secret
                plan=plan,
            )
            sandbox.set_faults(latency_ms=LATENCY_MS)
            settings.TELNYX_RATE_LIMIT = RATE
            settings.TELNYX_RATE_BURST = int(RATE)
            settings.TELNYX_JOB_SHARE = JOB_SHARE
            budget.request_budget.reset_local()
            before = sandbox.stats()["total_requests"]
            started = time.perf_counter()
            runner.run_job(job_id=job.pk, attempt=job.attempt)
            elapsed = time.perf_counter() - started
            calls = sandbox.stats()["total_requests"] - before
            job = Job.objects.get(pk=job.pk)
    finally:
        teardown_databases(databases, verbosity=0)
    if job.applied != ROWS:
        raise RuntimeError(
            f"{job.applied} of {ROWS} rows applied ({job.refused} refused, {job.unknown} unknown)"
        )
    ideal = ROWS / (RATE * JOB_SHARE)
    print(
        f"{ROWS} rows in {elapsed:.1f} s ({ROWS / elapsed:.1f} rows/s), {calls} Telnyx calls "
        f"({calls / ROWS:.2f} per row); ideal {ideal:.1f} s = {ROWS} / ({RATE:g} x {JOB_SHARE:g}) per s; "
        f"budget waits {job.budget_wait_seconds:.1f} s",
        flush=True,
    )
    print(f"BENCH bulk_update_vs_ideal value={elapsed / ideal:.3f} target<=1.2", flush=True)
