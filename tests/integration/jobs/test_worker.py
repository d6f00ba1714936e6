"""Jobs run by the real worker process (`manage.py jobs_worker`), killed and restarted.

The job kind is `tests.tag_short_codes` (tests/job_kinds_app): one PATCH per short code through the
real service layer to the sandbox, so the sandbox's counters and each short code's tags show how
many changes were sent and whether any was sent twice.
"""

from __future__ import annotations

import pytest

from jobs.kinds import PlannedRow
from jobs.models import Job, JobRow
from jobs.services import job_cancel, job_create
from tests.fixtures.jobs import wait_for
from tests.fixtures.telnyx import requests_to
from tests.job_kinds_app.job_kinds import KIND

pytestmark = pytest.mark.slow

PATCHES = "PATCH /v2/short_codes/{id}"


def _short_codes(sandbox, count: int) -> list[dict]:
    codes = sandbox.get("/short_codes", params={"page[size]": 250}).json()["data"]
    return codes[:count]


def _tag_job(sandbox, user, count: int, tag: str) -> tuple[Job, list[dict]]:
    codes = _short_codes(sandbox, count)
    rows = [
        PlannedRow(
            object_id=code["id"],
            label=code["short_code"],
            before={"tags": code["tags"], "messaging_profile_id": code["messaging_profile_id"]},
        )
        for code in codes
    ]
    return job_create(kind=KIND, actor=user, rows=rows, params={"tag": tag}), codes


def _times_tagged(sandbox, codes: list[dict], tag: str) -> dict[str, int]:
    return {
        code["id"]: sandbox.get(f"/short_codes/{code['id']}").json()["data"]["tags"].count(tag)
        for code in codes
    }


def _job(job: Job) -> Job:
    return Job.objects.get(pk=job.pk)


def test_a_job_runs_on_the_worker(fresh_sandbox, support_user, job_worker):
    job, codes = _tag_job(fresh_sandbox, support_user, 6, "job-run")

    finished = wait_for(lambda: _job(job).is_finished and _job(job), what="the job to finish")

    assert finished.status == Job.Status.DONE, job_worker.log()
    assert (finished.total, finished.applied, finished.refused, finished.unknown, finished.not_done) == (
        6,
        6,
        0,
        0,
        0,
    )
    assert finished.started_at and finished.finished_at and finished.lease_expires_at is None
    assert requests_to(fresh_sandbox, PATCHES) == 6
    assert set(_times_tagged(fresh_sandbox, codes, "job-run").values()) == {1}
    rows = list(JobRow.objects.filter(job=job).order_by("position"))
    assert [row.label for row in rows] == [code["short_code"] for code in codes]
    assert all(row.status == "applied" and "job-run" in row.after["tags"] for row in rows)


def test_a_killed_worker_leaves_nothing_undone_and_nothing_done_twice(
    fresh_sandbox, support_user, job_worker_factory
):
    # Slow calls, so the kill lands while a PATCH is on its way to Telnyx.
    fresh_sandbox.set_faults(latency_ms=400)
    job, codes = _tag_job(fresh_sandbox, support_user, 10, "job-kill")
    first = job_worker_factory()

    def in_flight() -> bool:
        applied = JobRow.objects.filter(job=job, status="applied").count()
        return applied >= 3 and JobRow.objects.filter(job=job, status="running").exists()

    wait_for(in_flight, what="three rows applied and one in flight")
    first.kill()
    left_running = list(JobRow.objects.filter(job=job, status="running").values_list("position", flat=True))
    assert len(left_running) == 1
    assert _job(job).status == Job.Status.RUNNING  # nobody knows yet: the lease still runs

    second = job_worker_factory()
    finished = wait_for(lambda: _job(job).is_finished and _job(job), timeout=90, what="the resumed job")

    assert finished.status == Job.Status.DONE, second.log()
    assert finished.attempt == 2  # taken over once
    orphan = JobRow.objects.get(job=job, position=left_running[0])
    assert orphan.reconciled, "the row in flight must be reconciled, not run again"
    assert orphan.attempt == 2
    rows = list(JobRow.objects.filter(job=job))
    assert all(row.status in ("applied", "not_done") for row in rows)
    assert not any(row.reconciled for row in rows if row.position != orphan.position)
    applied = [row for row in rows if row.status == "applied"]
    tagged = _times_tagged(fresh_sandbox, codes, "job-kill")
    # Telnyx holds each change at most once, and every row Telnyx holds is reported applied. No PATCH
    # was sent twice. The killed worker's own PATCH may have reached the sandbox cut short (urllib3
    # writes headers and body apart: its headers counted, its body lost with the process, so not
    # applied), which adds one PATCH for the row in flight, never a second one.
    assert max(tagged.values()) == 1
    assert {row.object_id for row in applied} == {code_id for code_id, n in tagged.items() if n}
    held = sum(tagged.values())
    assert held <= requests_to(fresh_sandbox, PATCHES) <= held + len(left_running)
    assert finished.applied == len(applied) and finished.applied + finished.not_done == 10


def test_a_stopping_worker_hands_its_job_on(fresh_sandbox, support_user, job_worker_factory):
    fresh_sandbox.set_faults(latency_ms=300)
    job, codes = _tag_job(fresh_sandbox, support_user, 8, "job-handoff")
    first = job_worker_factory()
    wait_for(lambda: JobRow.objects.filter(job=job, status="applied").count() >= 2, what="two rows applied")

    assert first.stop() == 0  # SIGTERM: finish the row in flight, hand the job on, exit
    handed_on = _job(job)
    assert (
        handed_on.status == Job.Status.QUEUED
        and handed_on.attempt == 2
        and handed_on.lease_expires_at is None
    )
    assert not JobRow.objects.filter(job=job, status="running").exists()

    job_worker_factory()
    finished = wait_for(lambda: _job(job).is_finished and _job(job), timeout=90, what="the handed-on job")
    assert finished.status == Job.Status.DONE and finished.applied == 8
    assert not JobRow.objects.filter(job=job, reconciled=True).exists()
    assert requests_to(fresh_sandbox, PATCHES) == 8
    assert set(_times_tagged(fresh_sandbox, codes, "job-handoff").values()) == {1}


def test_cancel_stops_after_the_row_in_flight(fresh_sandbox, support_user, job_worker):
    fresh_sandbox.set_faults(latency_ms=300)
    job, codes = _tag_job(fresh_sandbox, support_user, 10, "job-cancel")
    wait_for(lambda: JobRow.objects.filter(job=job, status="applied").count() >= 2, what="two rows applied")

    assert job_cancel(job=job).status == Job.Status.CANCELLING
    finished = wait_for(lambda: _job(job).is_finished and _job(job), what="the cancelled job")

    assert finished.status == Job.Status.CANCELLED
    assert finished.not_done >= 1 and finished.applied + finished.not_done == 10
    assert requests_to(fresh_sandbox, PATCHES) == finished.applied
    not_done = JobRow.objects.filter(job=job, status="not_done")
    assert all(row.message == "Cancelled: not sent." for row in not_done)
    assert sum(_times_tagged(fresh_sandbox, codes, "job-cancel").values()) == finished.applied


def test_a_queued_job_cancelled_before_any_worker_sends_nothing(
    fresh_sandbox, support_user, job_worker_factory
):
    job, _ = _tag_job(fresh_sandbox, support_user, 4, "job-never")
    cancelled = job_cancel(job=job)
    assert cancelled.status == Job.Status.CANCELLED and cancelled.not_done == 4

    worker = job_worker_factory()
    wait_for(lambda: "SUCCESSFUL" in _task_status(job) or "Successful" in _task_status(job), what="the task")
    assert requests_to(fresh_sandbox, PATCHES) == 0, worker.log()
    assert _job(job).status == Job.Status.CANCELLED


def _task_status(job: Job) -> str:
    from django_tasks_db.models import DBTaskResult

    return str(DBTaskResult.objects.filter(id=_job(job).task_id).values_list("status", flat=True).first())
