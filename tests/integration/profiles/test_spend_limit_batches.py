"""Spend-limit jobs in batches: the rows' profiles locked together and re-read from the list pages.

Real worker, real sandbox (its request counts), real database locks.
"""

from __future__ import annotations

import math
import re
import secrets
import threading

import pytest

from audit.models import AuditEntry
from jobs.models import Job, JobRow
from profiles import catalog
from profiles.readback import PROFILE
from tests.fixtures.jobs import wait_for
from tests.fixtures.telnyx import requests_to
from writes.locks import lock_key, object_lock

pytestmark = pytest.mark.django_db(transaction=True)

PATCHES = "PATCH /v2/messaging_profiles/{id}"
GETS = "GET /v2/messaging_profiles/{id}"
LIST = "GET /v2/messaging_profiles"


@pytest.fixture(autouse=True)
def _fresh_catalog(telnyx_settings):
    catalog.invalidate()
    yield
    catalog.invalidate()


def _preview(client, tag: str, **change: str) -> str:
    """The plan token of a bulk change of every profile whose name contains `tag`."""
    html = client.post("/spend-limits/bulk/", {"scope": "matching", "filter": f"q={tag}", **change})
    return re.search(r'name="plan" value="([^"]+)"', html.content.decode()).group(1)


def _confirm(client, token: str) -> Job:
    client.post("/spend-limits/confirm/", {"plan": token})
    return Job.objects.get()


def _finished(job: Job) -> Job:
    return wait_for(
        lambda: Job.objects.get(pk=job.pk).is_finished and Job.objects.get(pk=job.pk),
        timeout=90,
        what="the job to finish",
    )


def _pages() -> int:
    """List pages of the account, as the preview's catalog counted them (and the worker will)."""
    pages = catalog.known_pages()
    assert pages == math.ceil(len(catalog.profile_catalog()) / catalog.PAGE_SIZE)
    return pages


def _limit(sandbox, profile_id: str) -> str:
    return sandbox.get(f"/messaging_profiles/{profile_id}").json()["data"]["daily_spend_limit"]


def test_an_n_row_job_costs_n_patches_and_the_list_pages(
    account_manager_client, make_profile, telnyx_settings, job_worker
):
    tag = f"Batch {secrets.token_hex(3)}"
    batch = [make_profile(name=f"{tag} {n}") for n in range(12)]
    token = _preview(account_manager_client, tag, daily_spend_limit="64")
    pages = _pages()
    telnyx_settings.clear_stats()  # the preview's reads are not the job's
    job = _confirm(account_manager_client, token)

    finished = _finished(job)

    assert finished.status == Job.Status.DONE, job_worker.log()
    assert (finished.applied, finished.refused, finished.unknown) == (12, 0, 0)
    # One batch: its profiles re-read from every list page, then one PATCH per row; no GET per row.
    assert requests_to(telnyx_settings, PATCHES) == 12
    assert requests_to(telnyx_settings, LIST) == pages
    assert requests_to(telnyx_settings, GETS) == 0
    assert telnyx_settings.stats()["total_requests"] == 12 + pages
    for profile in batch:
        assert _limit(telnyx_settings, profile["id"]) == "64"
        (entry,) = AuditEntry.objects.filter(object_id=profile["id"], action="profile.spend_limit")
        assert entry.outcome == "success" and entry.request_id.startswith(f"job-{job.pk}-row-")


def test_a_profile_changed_elsewhere_after_the_preview_is_refused_not_overwritten(
    account_manager_client, make_profile, telnyx_settings, job_worker
):
    tag = f"Batch {secrets.token_hex(3)}"
    batch = [make_profile(name=f"{tag} {n}") for n in range(6)]
    token = _preview(account_manager_client, tag, daily_spend_limit="55")
    pages = _pages()
    # Someone changes one profile at Telnyx directly (not through the dashboard) after the preview.
    moved = batch[2]["id"]
    telnyx_settings.patch(f"/messaging_profiles/{moved}", json={"daily_spend_limit": "999.00"})
    telnyx_settings.clear_stats()
    job = _confirm(account_manager_client, token)

    finished = _finished(job)

    assert finished.status == Job.Status.DONE, job_worker.log()
    assert (finished.applied, finished.refused, finished.unknown) == (5, 1, 0)
    refused = JobRow.objects.get(job=job, object_id=moved)
    assert refused.status == "refused" and "changed by someone else" in refused.shown_message
    (entry,) = AuditEntry.objects.filter(object_id=moved, action="profile.spend_limit")
    assert entry.outcome == "failure" and "StaleObject" in entry.error
    # The stamp was compared against the batch's list read: no GET of its own, and no PATCH.
    assert requests_to(telnyx_settings, GETS) == 0
    assert requests_to(telnyx_settings, LIST) == pages
    assert requests_to(telnyx_settings, PATCHES) == 5
    assert _limit(telnyx_settings, moved) == "999.00"  # never overwritten


def test_a_profile_being_saved_is_left_out_of_the_batch_and_waits_for_its_lock(
    account_manager_client, make_profile, telnyx_settings, job_worker
):
    """A batch never waits for a busy lock: that row is written the ordinary way (its own lock,
    its own GET) once the other save is done, while the batch's other rows go ahead."""
    tag = f"Batch {secrets.token_hex(3)}"
    batch = [make_profile(name=f"{tag} {n}") for n in range(4)]
    busy = batch[0]["id"]
    held = threading.Event()
    release = threading.Event()

    def save_elsewhere() -> None:
        from django.conf import settings
        from django.db import connection

        key = lock_key(account=settings.TELNYX_ACCOUNT, object_type=PROFILE.object_type, object_id=busy)
        try:
            with object_lock(key):
                held.set()
                release.wait(30)
        finally:
            connection.close()

    saver = threading.Thread(target=save_elsewhere)
    saver.start()
    try:
        assert held.wait(10)
        job = _confirm(account_manager_client, _preview(account_manager_client, tag, daily_spend_limit="42"))
        others = {profile["id"] for profile in batch[1:]}
        wait_for(
            lambda: (
                set(JobRow.objects.filter(job=job, status="applied").values_list("object_id", flat=True))
                == others
            ),
            timeout=60,
            what="the other rows to be applied while one profile is locked",
        )
        assert JobRow.objects.get(job=job, object_id=busy).status == "running"
        telnyx_settings.clear_stats()
    finally:
        release.set()
        saver.join(10)

    finished = _finished(job)

    assert finished.status == Job.Status.DONE, job_worker.log()
    assert finished.applied == 4
    assert requests_to(telnyx_settings, GETS) == 1  # its own re-read, under its own lock
    assert _limit(telnyx_settings, busy) == "42"


def test_cancel_leaves_the_unsent_rows_of_a_batch_not_done(
    account_manager_client, make_profile, telnyx_settings, job_worker
):
    from jobs.services import job_cancel

    tag = f"Batch {secrets.token_hex(3)}"
    batch = [make_profile(name=f"{tag} {n}") for n in range(10)]
    token = _preview(account_manager_client, tag, daily_spend_limit="31")
    telnyx_settings.set_faults(latency_ms=300)  # slow rows, so the cancel lands mid-batch
    telnyx_settings.clear_stats()
    try:
        job = _confirm(account_manager_client, token)
        wait_for(
            lambda: JobRow.objects.filter(job=job, status="applied").count() >= 2, what="two rows applied"
        )
        assert job_cancel(job=job).status == Job.Status.CANCELLING
        finished = _finished(job)
    finally:
        telnyx_settings.clear_faults()

    assert finished.status == Job.Status.CANCELLED, job_worker.log()
    assert finished.not_done >= 1 and finished.applied + finished.not_done == 10
    assert not JobRow.objects.filter(job=job, status__in=("pending", "running")).exists()
    assert requests_to(telnyx_settings, PATCHES) == finished.applied
    not_done = set(JobRow.objects.filter(job=job, status="not_done").values_list("object_id", flat=True))
    for profile in batch:
        entries = AuditEntry.objects.filter(object_id=profile["id"], action="profile.spend_limit")
        if profile["id"] in not_done:
            assert not entries.exists()
            assert _limit(telnyx_settings, profile["id"]) == "100.00"
        else:
            assert [entry.outcome for entry in entries] == ["success"]


def test_a_stopping_worker_hands_on_the_unsent_rows_of_its_batch(
    account_manager_client, make_profile, telnyx_settings, job_worker_factory
):
    tag = f"Batch {secrets.token_hex(3)}"
    batch = [make_profile(name=f"{tag} {n}") for n in range(8)]
    token = _preview(account_manager_client, tag, daily_spend_limit="19")
    telnyx_settings.set_faults(latency_ms=300)
    telnyx_settings.clear_stats()
    try:
        job = _confirm(account_manager_client, token)
        first = job_worker_factory()
        wait_for(
            lambda: JobRow.objects.filter(job=job, status="applied").count() >= 2, what="two rows applied"
        )
        assert first.stop() == 0  # SIGTERM: finish the row in flight, hand the job on
        handed_on = Job.objects.get(pk=job.pk)
        assert handed_on.status == Job.Status.QUEUED and handed_on.attempt == 2
        # The batch's rows not reached were never sent: pending again, not left to reconcile.
        assert not JobRow.objects.filter(job=job, status="running").exists()
        job_worker_factory()
        finished = _finished(job)
    finally:
        telnyx_settings.clear_faults()

    assert finished.status == Job.Status.DONE and finished.applied == 8
    assert not JobRow.objects.filter(job=job, reconciled=True).exists()
    assert requests_to(telnyx_settings, PATCHES) == 8
    for profile in batch:
        (entry,) = AuditEntry.objects.filter(object_id=profile["id"], action="profile.spend_limit")
        assert entry.outcome == "success"
