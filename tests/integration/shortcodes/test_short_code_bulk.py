"""Bulk bind and unbind of short codes: the preview, the confirmation, and the job against the sandbox.

The job tests run the real worker (`manage.py jobs_worker`): each row's write goes through the write
path, so the audit log and the sandbox's own counters say how often each change was made.
"""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import AuditEntry
from jobs.models import Job, JobRow
from tests.fixtures.jobs import wait_for
from tests.fixtures.short_codes import calls_to

URL = "/short-codes/bulk/"
PATCHES = "PATCH /v2/short_codes/{id}"
# A lease long enough that a loaded machine never hands a row to a second run while the first is
# still sending it (the short test lease is for tests that kill workers on purpose).
STEADY = {"JOBS_LEASE_SECONDS": "30"}


def _bind(codes: list[dict], profile: dict, **extra: str) -> dict:
    return {
        "operation": "bind",
        "scope": "selected",
        "short_code_id": [code["id"] for code in codes],
        "messaging_profile_id": profile["id"],
        "step": "preview",
        **extra,
    }


def _preview_and_confirm(client, data: dict):
    preview = client.post(URL, data)
    assert preview.status_code == 200, preview.content
    return client.post(URL, {**data, "step": "confirm", "fingerprint": preview.context["plan"].fingerprint})


def _finished(job: Job) -> Job | None:
    job.refresh_from_db()
    return job if job.is_finished else None


# --- preview -----------------------------------------------------------------------------------------


def test_preview_shows_each_row_and_marks_no_ops_without_sending(seed_short_codes, support_client):
    target = seed_short_codes.profile()
    unassigned = seed_short_codes.unassigned()[:3]
    already = seed_short_codes.bound_to(target["id"])[0]
    response = support_client.post(URL, _bind([*unassigned, already], target))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-testid="bulk-row"') == 4
    assert page.count('data-change="no"') == 1
    assert "3 short codes will change." in page and "1 already as wanted" in page
    assert f"Bind short codes to {target['name']}: preview" in page
    assert "Confirm: change 3 short codes" in page
    assert calls_to(seed_short_codes.sandbox, PATCHES) == 0
    assert not AuditEntry.objects.exists() and not Job.objects.exists()


def test_preview_of_all_matching_the_filter_lists_every_one(seed_short_codes, support_client):
    unassigned = seed_short_codes.unassigned()
    response = support_client.post(
        URL, {"operation": "unbind", "scope": "matching", "profile": "unassigned", "step": "preview"}
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    assert {row.code.id for row in plan.rows} == {code["id"] for code in unassigned}
    # Unbinding unassigned short codes changes nothing: no confirm button.
    assert plan.changing == [] and 'data-testid="bulk-nothing"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"operation": "bind", "scope": "selected", "messaging_profile_id": "x"},
            "Tick at least one short code",
        ),
        ({"operation": "bind", "scope": "matching"}, "Choose the profile to bind the short codes to."),
        ({"operation": "bind", "scope": "selected", "short_code_id": ["../../etc"]}, "That is not a list"),
    ],
)
def test_bad_selections_say_what_is_wrong(seed_short_codes, support_client, data, message):
    response = support_client.post(URL, {**data, "step": "preview"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_binding_to_a_profile_that_is_gone_says_so(seed_short_codes, support_client):
    gone = seed_short_codes.create_profile("Gone Before Preview")
    seed_short_codes.delete_profile(gone["id"])
    response = support_client.post(URL, _bind(seed_short_codes.unassigned()[:1], gone))
    assert response.status_code == 200
    assert "No messaging profile has this id." in response.content.decode()


def test_telnyx_unavailable_shows_the_banner_and_keeps_the_selection(seed_short_codes, support_client):
    target = seed_short_codes.profile()
    codes = seed_short_codes.unassigned()[:2]
    seed_short_codes.sandbox.set_faults(error_rate=1.0, error_status=503)
    try:
        response = support_client.post(URL, _bind(codes, target))
    finally:
        seed_short_codes.sandbox.set_faults()
    assert response.status_code == 503
    page = response.content.decode()
    assert 'data-testid="telnyx-banner"' in page and 'data-testid="bulk-retry"' in page
    for code in codes:
        assert f'name="short_code_id" value="{code["id"]}"' in page
    assert f'name="messaging_profile_id" value="{target["id"]}"' in page
    assert not Job.objects.exists()


def test_get_goes_back_to_the_list(support_client):
    response = support_client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/short-codes/"


def test_auditors_may_not_preview_or_confirm(seed_short_codes, auditor_client):
    target = seed_short_codes.profile()
    data = _bind(seed_short_codes.unassigned()[:1], target)
    assert auditor_client.post(URL, data).status_code == 403
    assert auditor_client.post(URL, {**data, "step": "confirm"}).status_code == 403
    assert not Job.objects.exists()


# --- confirm ------------------------------------------------------------------------------------------


def test_confirm_starts_a_job_of_the_changing_rows_with_one_entry_for_the_job(
    seed_short_codes, support_client
):
    target = seed_short_codes.profile()
    unassigned = seed_short_codes.unassigned()[:2]
    already = seed_short_codes.bound_to(target["id"])[0]
    response = _preview_and_confirm(support_client, _bind([*unassigned, already], target))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.total, job.actor_username) == ("shortcodes.bulk_bind", 2, "sam.support")
    rows = list(JobRow.objects.filter(job=job))
    assert {row.object_id for row in rows} == {code["id"] for code in unassigned}
    assert all(row.after["messaging_profile_id"] == target["id"] for row in rows)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id, entry.outcome) == (
        "short_code.bulk_bind",
        "job",
        str(job.pk),
        "success",
    )
    assert entry.changes["short_codes"] == {"before": None, "after": 2}
    assert entry.object_label == f"Bind 2 short codes to {target['name']}"


def test_a_preview_that_no_longer_holds_is_shown_again_not_started(seed_short_codes, support_client):
    target = seed_short_codes.profile()
    codes = seed_short_codes.unassigned()[:2]
    data = _bind(codes, target)
    preview = support_client.post(URL, data)
    # Someone else binds one of them meanwhile.
    seed_short_codes.sandbox.patch(
        f"/short_codes/{codes[0]['id']}", json={"messaging_profile_id": target["id"]}
    ).raise_for_status()
    response = support_client.post(
        URL, {**data, "step": "confirm", "fingerprint": preview.context["plan"].fingerprint}
    )
    assert response.status_code == 200
    assert 'data-testid="bulk-moved"' in response.content.decode()
    assert "Confirm: change 1 short code" in response.content.decode()
    assert not Job.objects.exists()


# --- the job, run by the real worker -------------------------------------------------------------------


@pytest.mark.slow
def test_the_job_binds_each_once_and_audits_each_once(
    fresh_sandbox, seed_short_codes, support_client, job_worker_factory
):
    target = seed_short_codes.profile()
    codes = seed_short_codes.unassigned()[:4]
    _preview_and_confirm(support_client, _bind(codes, target))
    job = Job.objects.get()
    worker = job_worker_factory(**STEADY)
    finished = wait_for(lambda: _finished(job), what="the bulk job to finish")
    assert (finished.status, finished.applied, finished.refused, finished.unknown) == ("done", 4, 0, 0), (
        worker.log()
    )
    # Telnyx holds each change, made once.
    assert calls_to(fresh_sandbox, PATCHES) == 4
    assert all(
        seed_short_codes.short_code(code["id"])["messaging_profile_id"] == target["id"] for code in codes
    )
    # One entry per short code, under its row's request id, plus the job's own.
    for row in JobRow.objects.filter(job=job):
        entries = AuditEntry.objects.filter(object_type="short_code", object_id=row.object_id)
        assert [(e.action, e.outcome, e.request_id) for e in entries] == [
            ("short_code.bind", "success", f"job-{job.pk}-row-{row.position}")
        ]
    assert AuditEntry.objects.filter(object_type="job").count() == 1
    assert AuditEntry.objects.count() == 5


@pytest.mark.slow
def test_a_row_changed_since_the_preview_is_refused_and_the_rest_applied(
    fresh_sandbox, seed_short_codes, support_client, job_worker_factory
):
    target = seed_short_codes.profile()
    codes = seed_short_codes.unassigned()[:3]
    _preview_and_confirm(support_client, _bind(codes, target))
    job = Job.objects.get()
    # Before any worker runs it, someone tags the second short code at Telnyx.
    moved = codes[1]
    fresh_sandbox.patch(
        f"/short_codes/{moved['id']}", json={"messaging_profile_id": None, "tags": ["edited-elsewhere"]}
    ).raise_for_status()
    worker = job_worker_factory(**STEADY)
    finished = wait_for(lambda: _finished(job), what="the bulk job to finish")
    assert (finished.applied, finished.refused) == (2, 1), worker.log()
    refused = JobRow.objects.get(job=job, object_id=moved["id"])
    assert refused.status == "refused" and "Changed meanwhile" in refused.message
    assert seed_short_codes.short_code(moved["id"])["messaging_profile_id"] is None
    entry = AuditEntry.objects.get(object_type="short_code", object_id=moved["id"])
    assert (entry.outcome, entry.resolution) == ("failure", "not_sent")
    assert calls_to(fresh_sandbox, PATCHES) == 1 + 2  # the edit above, then the two applied rows


@pytest.mark.slow
def test_rows_refused_by_the_api_carry_its_reason(
    fresh_sandbox, seed_short_codes, support_client, job_worker_factory
):
    target = seed_short_codes.create_profile("Deleted Before The Job Ran")
    codes = seed_short_codes.unassigned()[:2]
    _preview_and_confirm(support_client, _bind(codes, target))
    job = Job.objects.get()
    seed_short_codes.delete_profile(target["id"])
    worker = job_worker_factory(**STEADY)
    finished = wait_for(lambda: _finished(job), what="the bulk job to finish")
    assert (finished.applied, finished.refused) == (0, 2), worker.log()
    assert {row.message for row in JobRow.objects.filter(job=job)} == {"No messaging profile has this id."}
    outcomes = AuditEntry.objects.filter(object_type="short_code").values_list("outcome", flat=True)
    assert sorted(outcomes) == ["failure", "failure"]


@pytest.mark.slow
def test_bulk_unbind_runs_through_the_same_path(
    fresh_sandbox, seed_short_codes, support_client, job_worker_factory
):
    target = seed_short_codes.profile()
    bound = seed_short_codes.bound_to(target["id"])[:2]
    data = {
        "operation": "unbind",
        "scope": "selected",
        "short_code_id": [code["id"] for code in bound],
        "step": "preview",
    }
    _preview_and_confirm(support_client, data)
    job = Job.objects.get()
    assert job.kind == "shortcodes.bulk_unbind"
    worker = job_worker_factory(**STEADY)
    finished = wait_for(lambda: _finished(job), what="the bulk job to finish")
    assert finished.applied == 2, worker.log()
    assert all(seed_short_codes.short_code(code["id"])["messaging_profile_id"] is None for code in bound)
    actions = AuditEntry.objects.values_list("action", flat=True)
    assert sorted(actions) == ["short_code.bulk_unbind", "short_code.unbind", "short_code.unbind"]


@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a killed worker's write lock is released with its connection on PostgreSQL only "
    "(SQLite's lease row outlives it, so its rows would be refused as busy)",
)
def test_a_killed_worker_leaves_each_change_made_once_and_audited_once(
    fresh_sandbox, seed_short_codes, support_client, job_worker_factory
):
    target = seed_short_codes.profile()
    codes = seed_short_codes.unassigned()[:8]
    _preview_and_confirm(support_client, _bind(codes, target))
    job = Job.objects.get()
    # Slow calls, so the kill lands while rows are on their way to Telnyx.
    fresh_sandbox.set_faults(latency_ms=400)
    first = job_worker_factory()

    def in_flight() -> bool:
        applied = JobRow.objects.filter(job=job, status="applied").count()
        return applied >= 2 and JobRow.objects.filter(job=job, status="running").exists()

    wait_for(in_flight, what="two rows applied and more in flight")
    first.kill()
    orphans = set(JobRow.objects.filter(job=job, status="running").values_list("object_id", flat=True))
    assert orphans

    second = job_worker_factory()
    finished = wait_for(lambda: _finished(job), timeout=120, what="the resumed bulk job")
    assert (finished.status, finished.applied) == ("done", 8), second.log()
    reconciled = set(JobRow.objects.filter(job=job, reconciled=True).values_list("object_id", flat=True))
    assert reconciled == orphans
    # Telnyx holds every change, each sent once; each short code has exactly one entry.
    assert all(
        seed_short_codes.short_code(code["id"])["messaging_profile_id"] == target["id"] for code in codes
    )
    assert calls_to(fresh_sandbox, PATCHES) == 8
    for code in codes:
        entries = AuditEntry.objects.filter(object_type="short_code", object_id=code["id"])
        assert [(entry.action, entry.outcome) for entry in entries] == [("short_code.bind", "success")]
