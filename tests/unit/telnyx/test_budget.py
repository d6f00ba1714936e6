"""The request budget's reservations (GCRA), the job share, the page cap, and Redis failing."""

from __future__ import annotations

import time

import pytest

from telnyx_admin.telnyx import budget
from telnyx_admin.telnyx.budget import Bucket, reserve_locally


def _waits(buckets, count: int, *, max_wait: float = -1.0, now: float = 1000.0) -> list[float]:
    state: dict[str, float] = {}
    return [round(reserve_locally(state, buckets, now=now, max_wait=max_wait), 6) for _ in range(count)]


def test_a_burst_goes_at_once_then_one_per_interval():
    bucket = Bucket.for_rate("all", rate=10, burst=3)
    assert _waits([bucket], 6) == [0.0, 0.0, 0.0, 0.1, 0.2, 0.3]


def test_the_bucket_refills_with_time():
    bucket = Bucket.for_rate("all", rate=10, burst=1)
    state: dict[str, float] = {}
    assert reserve_locally(state, [bucket], now=0.0, max_wait=-1) == 0.0
    assert reserve_locally(state, [bucket], now=0.0, max_wait=-1) == pytest.approx(0.1)
    # A second later the bucket is full again: no wait.
    assert reserve_locally(state, [bucket], now=1.5, max_wait=-1) == 0.0


def test_jobs_are_paced_by_their_share(settings):
    settings.TELNYX_RATE_LIMIT = 10
    settings.TELNYX_RATE_BURST = 1
    settings.TELNYX_JOB_SHARE = 0.5
    settings.TELNYX_BUDGET_REDIS_URL = ""
    settings.TELNYX_ACCOUNT = "unit-share"
    budget.request_budget.reset_local()
    started = time.monotonic()
    for _ in range(3):
        budget.request_budget.acquire("job")
    # The job share is 5/s: one every 0.2 s, although the account's rate would allow 0.1 s.
    # (Only a lower bound: a busy machine can make it take longer, never shorter.)
    assert time.monotonic() - started >= 0.38


def test_a_page_waits_at_most_its_cap_but_still_books_its_slot():
    bucket = Bucket.for_rate("all", rate=1, burst=1)
    state: dict[str, float] = {}
    waits = [reserve_locally(state, [bucket], now=0.0, max_wait=0.5) for _ in range(4)]
    assert waits == [0.0, 0.5, 0.5, 0.5]
    # The slots were booked: a job after them waits for all of them.
    assert reserve_locally(state, [bucket], now=0.0, max_wait=-1) == pytest.approx(4.0)


def test_job_scope_collects_the_waits_of_its_calls(settings):
    settings.TELNYX_RATE_LIMIT = 20
    settings.TELNYX_RATE_BURST = 1
    settings.TELNYX_JOB_SHARE = 0.5
    settings.TELNYX_BUDGET_REDIS_URL = ""
    settings.TELNYX_ACCOUNT = "unit-scope"
    budget.request_budget.reset_local()
    with budget.job_scope() as log:
        assert budget.current_priority() == "job"
        started = time.monotonic()
        for _ in range(3):
            budget.request_budget.acquire()
        elapsed = time.monotonic() - started
    assert budget.current_priority() == "page"
    # Jobs get half of 20/s: 0.1 s apart, so two waits of up to 0.1 s each (the first a little less when
    # the bucket refilled between the reset and the first call on a slow machine), all within the scope.
    assert log.waits == 2
    assert 0.15 <= log.seconds <= elapsed + 0.01


def test_no_budget_when_the_rate_is_zero(settings):
    settings.TELNYX_RATE_LIMIT = 0
    assert all(budget.request_budget.acquire("job") == 0.0 for _ in range(100))


def test_redis_down_falls_back_to_the_process_bucket(settings, caplog):
    settings.TELNYX_RATE_LIMIT = 10
    settings.TELNYX_RATE_BURST = 1
    settings.TELNYX_ACCOUNT = "unit-redis-down"
    # Nothing listens on port 1: every Redis call fails at once.
    settings.TELNYX_BUDGET_REDIS_URL = "redis://127.0.0.1:1/0"
    budget.request_budget.reset_local()
    try:
        waits = [budget.request_budget.acquire("job") for _ in range(3)]
    finally:
        budget.request_budget.reset_local()
    assert waits[0] == 0.0 and waits[1] > 0.15  # still paced: job share of 10/s is one per 0.2 s
    assert "Redis unavailable" in caplog.text
    # One warning, not one per call: Redis is left alone for a while after failing.
    assert caplog.text.count("Redis unavailable") == 1
