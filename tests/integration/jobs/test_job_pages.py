"""Job pages: start, progress (polled until done), row outcomes, cancel, results CSV, who may see them.

Jobs run on the real worker (`job_worker`); the shipped kind counts each profile's phone numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from jobs.kinds import PlannedRow
from jobs.models import Job
from jobs.services import job_create
from profiles import catalog
from tests.fixtures.jobs import wait_for
from tests.job_kinds_app import job_kinds as test_kinds

pytestmark = pytest.mark.slow

COUNT = "profiles.count_phone_numbers"
PROGRESS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "job-progress"}


@pytest.fixture
def fresh_catalog(telnyx_settings):
    catalog.invalidate()
    yield
    catalog.invalidate()


def _finished(job_id: int) -> Job:
    return wait_for(lambda: (job := Job.objects.get(pk=job_id)).is_finished and job, what=f"job {job_id}")


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_start_a_count_and_follow_it_to_the_end(fresh_sandbox, fresh_catalog, auditor_client, job_worker):
    bulk = fresh_sandbox.profile_named("Acme Bulk Notifications")
    response = auditor_client.post("/jobs/", {"kind": COUNT})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.total == 57 and job.actor_username == "ada.auditor"

    page = auditor_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Count each profile&#x27;s phone numbers" in page and 'data-testid="job-progress"' in page
    finished = _finished(job.pk)
    assert finished.status == "done" and finished.applied == 57

    progress = auditor_client.get(f"/jobs/{job.pk}/", **PROGRESS)
    body = progress.content.decode()
    assert "<html" not in body and 'data-status="done"' in body
    assert "hx-trigger" not in body  # finished: the fragment stops polling
    assert "job-finished" in progress["HX-Trigger"]  # ...and has the rows table reload
    assert "Counted: <strong>57</strong>" in body

    rows = _csv(auditor_client.get(f"/jobs/{job.pk}/?format=csv"))
    assert len(rows) == 57
    by_id = {row["object_id"]: row for row in rows}
    assert by_id[bulk["id"]]["after_phone_numbers"] == "5250"
    assert by_id[bulk["id"]]["outcome"] == "applied" and by_id[bulk["id"]]["label"] == bulk["name"]


def test_a_running_job_polls_and_says_when_the_budget_slows_it(
    fresh_sandbox, fresh_catalog, support_client, job_worker_factory, settings
):
    # Jobs may use half of 4 requests per second: a 57-row count takes half a minute.
    settings.TELNYX_RATE_LIMIT = 4
    settings.TELNYX_JOB_SHARE = 0.5
    job_worker_factory(TELNYX_RATE_LIMIT="4", TELNYX_RATE_BURST="1", TELNYX_JOB_SHARE="0.5")
    support_client.post("/jobs/", {"kind": COUNT})
    job = Job.objects.get()

    def slowed() -> str:
        body = support_client.get(f"/jobs/{job.pk}/", **PROGRESS).content.decode()
        return 'data-testid="budget-slowed"' in body and body

    body = wait_for(slowed, timeout=60, interval=0.3, what="the budget message")
    assert 'hx-trigger="every 1s"' in body
    assert "jobs may use 50% of it (2 requests per second)" in body

    # Cancel, confirmed: the row in flight finishes, the rest is not done.
    confirm = support_client.get(f"/jobs/{job.pk}/cancel/").content.decode()
    assert "Cancel this job?" in confirm
    assert support_client.post(f"/jobs/{job.pk}/cancel/").status_code == 302
    cancelled = _finished(job.pk)
    assert cancelled.status == "cancelled" and cancelled.not_done > 0
    assert cancelled.applied + cancelled.not_done == 57
    assert cancelled.budget_wait_seconds > 0


def test_only_the_actor_superusers_and_the_kinds_permission_may_see_a_job(
    transactional_db, support_user, support_client, auditor_client, account_manager_client, superuser_client
):
    test_kinds.register  # noqa: B018 - imported for its registration of the tests' kind
    job = job_create(
        kind=test_kinds.KIND, actor=support_user, rows=[PlannedRow(object_id="x", label="=HYPERLINK(1)")]
    )
    for client in (auditor_client, account_manager_client):
        assert client.get(f"/jobs/{job.pk}/").status_code == 403
        assert client.get(f"/jobs/{job.pk}/?format=csv").status_code == 403
        assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 403
        assert f"/jobs/{job.pk}/" not in client.get("/jobs/").content.decode()
    assert support_client.get(f"/jobs/{job.pk}/").status_code == 200
    assert superuser_client.get(f"/jobs/{job.pk}/").status_code == 200
    assert f"/jobs/{job.pk}/" in support_client.get("/jobs/").content.decode()
    assert Job.objects.get(pk=job.pk).status == "queued"  # nobody refused could cancel it

    # Formula-safe: a label starting with "=" is written with a leading apostrophe.
    (row,) = _csv(support_client.get(f"/jobs/{job.pk}/?format=csv"))
    assert row["label"] == "'=HYPERLINK(1)"


def test_cancel_a_queued_job(transactional_db, support_user, support_client):
    job = job_create(
        kind=COUNT, actor=support_user, rows=[PlannedRow(object_id="a"), PlannedRow(object_id="b")]
    )
    support_client.post(f"/jobs/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == "cancelled" and job.not_done == 2
    body = support_client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Cancel…" not in body and body.count("Cancelled before it started: not sent.") == 2


def test_starting_a_kind_you_may_not_start_is_refused(transactional_db, support_client):
    response = support_client.post("/jobs/", {"kind": test_kinds.KIND})
    assert response.status_code == 400
    assert "Choose a kind of job you may start." in response.content.decode()
    assert not Job.objects.exists()


def test_a_job_whose_worker_vanished_is_queued_again_when_its_page_polls(
    transactional_db, support_user, support_client
):
    job = job_create(kind=COUNT, actor=support_user, rows=[PlannedRow(object_id="a")])
    Job.objects.filter(pk=job.pk).update(
        status="running", lease_expires_at=timezone.now() - timedelta(seconds=5)
    )
    body = support_client.get(f"/jobs/{job.pk}/", **PROGRESS).content.decode()
    job.refresh_from_db()
    assert job.status == "queued" and job.attempt == 2 and job.lease_expires_at is None
    assert "Waiting for a worker to take it" in body


def test_rows_are_paged(transactional_db, support_user, support_client):
    job = job_create(kind=COUNT, actor=support_user, rows=[PlannedRow(object_id=str(n)) for n in range(45)])
    body = support_client.get(f"/jobs/{job.pk}/", {"page": 3}).content.decode()
    assert body.count('data-testid="job-row"') == 5
    assert "45 results" in body and "page 3 of 3" in body
