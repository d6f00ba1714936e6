"""Bulk spend-limit changes from `/spend-limits/`: preview, confirm, and the job on the real worker."""

from __future__ import annotations

import re
import secrets

import pytest

from audit.models import AuditEntry
from jobs.models import Job, JobRow
from profiles import catalog, spend_plans
from tests.fixtures.jobs import wait_for
from tests.fixtures.telnyx import requests_to

pytestmark = pytest.mark.django_db(transaction=True)

PATCHES = "PATCH /v2/messaging_profiles/{id}"


@pytest.fixture(autouse=True)
def _fresh_catalog(telnyx_settings):
    catalog.invalidate()
    yield
    catalog.invalidate()


@pytest.fixture
def profiles(make_profile):
    """Five profiles of one batch (their names share a tag, for filtering), limit 100, not enforced."""
    tag = f"Bulk {secrets.token_hex(3)}"
    return [make_profile(name=f"{tag} {n}") for n in range(5)]


def _tag(profiles: list[dict]) -> str:
    return profiles[0]["name"].rsplit(" ", 1)[0]


def _preview(client, **data) -> str:
    response = client.post("/spend-limits/bulk/", data)
    assert response.status_code == 200
    return response.content.decode()


def _token(html: str) -> str:
    return re.search(r'name="plan" value="([^"]+)"', html).group(1)


def _current(sandbox, profile_id: str) -> dict:
    return sandbox.get(f"/messaging_profiles/{profile_id}").json()["data"]


def _finished(job: Job, timeout: float = 90) -> Job:
    return wait_for(
        lambda: Job.objects.get(pk=job.pk).is_finished and Job.objects.get(pk=job.pk),
        timeout=timeout,
        what="the job to finish",
    )


def test_the_preview_lists_each_selected_profile_before_and_after_and_sends_nothing(
    account_manager_client, profiles, telnyx_settings
):
    chosen = [profile["id"] for profile in profiles[:3]]

    html = _preview(
        account_manager_client, scope="selected", profile=chosen, daily_spend_limit="250", enforce="on"
    )

    assert html.count('data-testid="plan-row" data-status="change"') == 3
    assert "3 to change, 0 already as wanted, 0 invalid." in html
    assert '<td class="numeric">100.00</td><td class="numeric">250</td><td>no</td><td>yes</td>' in html
    assert 'name="plan"' in html
    assert telnyx_settings.stats()["requests"].get(PATCHES, 0) == 0
    assert not Job.objects.exists()


def test_all_matching_takes_every_profile_the_filter_lets_through(account_manager_client, profiles):
    html = _preview(account_manager_client, scope="matching", filter=f"q={_tag(profiles)}", enforce="on")
    assert html.count('data-testid="plan-row"') == 5


def test_a_profile_already_as_wanted_is_no_change_and_left_out(account_manager_client, make_profile):
    tag = f"Bulk {secrets.token_hex(3)}"
    make_profile(name=f"{tag} a", daily_spend_limit="250.00")
    make_profile(name=f"{tag} b", daily_spend_limit="10.00")

    html = _preview(account_manager_client, scope="matching", filter=f"q={tag}", daily_spend_limit="250")

    assert "1 to change, 1 already as wanted, 0 invalid." in html
    account_manager_client.post("/spend-limits/confirm/", {"plan": _token(html)})
    (job,) = Job.objects.all()
    assert job.total == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "selected", "daily_spend_limit": "12,5"}, "Enter an amount in USD"),
        ({"scope": "matching"}, "Set an amount, enforcement, or both."),
        ({"scope": "selected", "enforce": "on"}, "Select at least one profile"),
    ],
)
def test_bad_input_is_shown_with_the_form_and_keeps_it(account_manager_client, profiles, data, message):
    html = _preview(account_manager_client, **data)
    assert message in html
    assert 'name="plan"' not in html
    if data.get("daily_spend_limit"):
        assert f'value="{data["daily_spend_limit"]}"' in html


def test_confirm_starts_one_job_with_one_audit_entry_and_twice_is_still_one(
    account_manager_client, account_manager, profiles
):
    html = _preview(account_manager_client, scope="matching", filter=f"q={_tag(profiles)}", enforce="on")
    token = _token(html)

    first = account_manager_client.post("/spend-limits/confirm/", {"plan": token})
    again = account_manager_client.post("/spend-limits/confirm/", {"plan": token})

    (job,) = Job.objects.all()
    assert first["Location"] == again["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.total, job.actor) == (spend_plans.JOB_KIND, 5, account_manager)
    assert job.params["fields"] == ["daily_spend_limit_enabled"]
    rows = list(JobRow.objects.filter(job=job).order_by("position"))
    assert [row.after["daily_spend_limit_enabled"] for row in rows] == [True] * 5
    assert all(row.before["updated_at"] for row in rows)
    (entry,) = AuditEntry.objects.filter(action=spend_plans.ACTION_JOB)
    assert (entry.object_type, entry.object_id, entry.outcome) == ("job", str(job.pk), "success")
    assert entry.changes["profiles"]["after"] == 5


def test_the_job_applies_each_change_once_and_audits_each_profile(
    account_manager_client, profiles, no_destinations_profile, telnyx_settings, job_worker
):
    """Five changes apply; one profile changed at Telnyx after the preview is refused as stale;
    the seed's profile without destinations is refused with the API's own reason."""
    chosen = [profile["id"] for profile in profiles] + [no_destinations_profile["id"]]
    html = _preview(account_manager_client, scope="selected", profile=chosen, daily_spend_limit="321")
    telnyx_settings.patch(f"/messaging_profiles/{profiles[4]['id']}", json={"webhook_url": ""})
    telnyx_settings.clear_stats()
    account_manager_client.post("/spend-limits/confirm/", {"plan": _token(html)})
    job = Job.objects.get()

    finished = _finished(job)

    assert finished.status == Job.Status.DONE, job_worker.log()
    assert (finished.applied, finished.refused, finished.unknown, finished.not_done) == (4, 2, 0, 0)
    outcomes = {row.object_id: row for row in JobRow.objects.filter(job=job)}
    assert "changed by someone else" in outcomes[profiles[4]["id"]].shown_message
    assert "destination" in outcomes[no_destinations_profile["id"]].message.lower()
    for profile in profiles[:4]:
        assert _current(telnyx_settings, profile["id"])["daily_spend_limit"] == "321"
        (entry,) = AuditEntry.objects.filter(object_id=profile["id"], action="profile.spend_limit")
        row = outcomes[profile["id"]]
        assert entry.outcome == "success" and entry.request_id == f"job-{job.pk}-row-{row.position}"
    assert _current(telnyx_settings, profiles[4]["id"])["daily_spend_limit"] == "100.00"
    assert requests_to(telnyx_settings, PATCHES) == 5  # four applied, one refused by Telnyx


def test_the_job_page_and_results_csv_show_the_outcomes(account_manager_client, profiles, job_worker):
    html = _preview(account_manager_client, scope="matching", filter=f"q={_tag(profiles)}", enforce="on")
    account_manager_client.post("/spend-limits/confirm/", {"plan": _token(html)})
    job = _finished(Job.objects.get())

    page = account_manager_client.get(f"/jobs/{job.pk}/").content.decode()
    assert page.count('data-testid="job-row" data-status="applied"') == 5
    csv_text = b"".join(account_manager_client.get(f"/jobs/{job.pk}/?format=csv").streaming_content).decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("position,object_id,label,outcome")
    assert "before_daily_spend_limit_enabled,after_daily_spend_limit_enabled" in lines[0]
    assert len(lines) == 6 and all(",applied," in line for line in lines[1:])


def test_a_killed_worker_resumes_without_sending_any_change_twice(
    account_manager_client, make_profile, telnyx_settings, job_worker_factory
):
    tag = f"Bulk {secrets.token_hex(3)}"
    batch = [make_profile(name=f"{tag} {n}") for n in range(8)]
    html = _preview(account_manager_client, scope="matching", filter=f"q={tag}", daily_spend_limit="77")
    # Slow calls, so the kill lands while a row's write is on its way to Telnyx.
    telnyx_settings.set_faults(latency_ms=300)
    telnyx_settings.clear_stats()
    account_manager_client.post("/spend-limits/confirm/", {"plan": _token(html)})
    job = Job.objects.get()
    # On SQLite the killed worker's write locks are lease rows that outlive it: a short lease (no
    # one else competes for these profiles while it lives) lets the next worker take them over
    # within seconds of the kill instead of two minutes.
    first = job_worker_factory(WRITE_LEASE_SECONDS="20")

    def in_flight() -> bool:
        return (
            JobRow.objects.filter(job=job, status="applied").count() >= 2
            and JobRow.objects.filter(job=job, status="running").exists()
            and AuditEntry.objects.filter(request_id__startswith=f"job-{job.pk}-", outcome="unknown").exists()
        )

    wait_for(in_flight, what="two rows applied and a write in flight")
    first.kill()
    in_flight_rows = set(JobRow.objects.filter(job=job, status="running").values_list("pk", flat=True))
    # The next worker may only be able to tell later whether the killed write reached Telnyx (it
    # was cut between its audit intent and its PATCH): reconcile_writes settles it, soon here.
    second = job_worker_factory(WRITES_RECONCILE_INTERVAL="0.5", WRITE_SETTLE_SECONDS="1")
    finished = _finished(job, timeout=120)
    assert finished.status == Job.Status.DONE, second.log()
    assert finished.attempt == 2
    settled = wait_for(
        lambda: Job.objects.get(pk=job.pk).unknown == 0 and Job.objects.get(pk=job.pk),
        timeout=60,
        what="the row in flight to be settled",
    )
    telnyx_settings.clear_faults()

    assert settled.applied + settled.refused == 8 and settled.not_done == 0
    # The rows the killed worker had claimed (its batch, unfinished) were reconciled, never resent.
    assert in_flight_rows
    assert set(JobRow.objects.filter(job=job, reconciled=True).values_list("pk", flat=True)) == in_flight_rows
    applied = set(JobRow.objects.filter(job=job, status="applied").values_list("object_id", flat=True))
    held = {p["id"] for p in batch if _current(telnyx_settings, p["id"])["daily_spend_limit"] == "77"}
    # Every row reported applied is held by Telnyx and no other; no PATCH was sent twice. The killed
    # worker's own PATCH may have reached the sandbox cut short (its headers counted, its body lost
    # with the process: not applied), so each in-flight row may add one PATCH, never a second one.
    assert applied == held and len(applied) >= 8 - len(in_flight_rows)
    assert len(applied) <= requests_to(telnyx_settings, PATCHES) <= len(applied) + len(in_flight_rows)
    for profile in batch:
        (entry,) = AuditEntry.objects.filter(object_id=profile["id"], action="profile.spend_limit")
        assert entry.outcome == ("success" if profile["id"] in applied else "failure")


def test_lost_answers_on_job_rows_end_reconciled(
    account_manager_client, profiles, telnyx_settings, job_worker_factory
):
    from devservers.fault_proxy import FaultProxy

    html = _preview(
        account_manager_client, scope="matching", filter=f"q={_tag(profiles)}", daily_spend_limit="45"
    )
    with FaultProxy(telnyx_settings.base_url) as proxy:
        # The first row's PATCH is applied and its answer lost, and so is the read-back after it.
        proxy.lose_answers(count=1, then_lose_reads=1)
        account_manager_client.post("/spend-limits/confirm/", {"plan": _token(html)})
        job = Job.objects.get()
        worker = job_worker_factory(
            SANDBOX_URL=proxy.url,
            TELNYX_MAX_RETRIES="0",
            WRITES_RECONCILE_INTERVAL="0.5",
            WRITE_SETTLE_SECONDS="0",
        )
        finished = _finished(job)
        assert finished.status == Job.Status.DONE, worker.log()

        def settled() -> Job | None:
            current = Job.objects.get(pk=job.pk)
            return current if current.unknown == 0 and current.applied == 5 else None

        wait_for(settled, timeout=90, what="the unknown row to be reconciled")
        assert len(proxy.writes) == 5
    (lost,) = JobRow.objects.filter(job=job, reconciled=True)
    assert lost.status == "applied"
    assert (
        AuditEntry.objects.filter(request_id=f"job-{job.pk}-row-{lost.position}", outcome="success").count()
        == 1
    )
    for profile in profiles:
        assert _current(telnyx_settings, profile["id"])["daily_spend_limit"] == "45"
