"""Building and refreshing the number index against the live sandbox: what it holds, what it costs,
and a build interrupted by a killed worker."""

from __future__ import annotations

import math

import pytest
from django.urls import reverse

from jobs import runner
from jobs.models import Job, JobRow
from phone_numbers import index
from phone_numbers.models import IndexedNumber, IndexedProfile, IndexState
from profiles.forms import ProfileEditForm
from tests.fixtures.jobs import wait_for
from tests.fixtures.number_index import build_number_index, indexed_numbers, sandbox_numbers
from tests.fixtures.profile_writes import resubmit
from tests.fixtures.telnyx import BULK_PROFILE_NAME, requests_to

LIST_ROUTE = "GET /v2/messaging_profiles"
NUMBERS_ROUTE = "GET /v2/messaging_profiles/{id}/phone_numbers"


def _profile_count(sandbox) -> int:
    return sandbox.get("/messaging_profiles", params={"page[size]": 1}).json()["meta"]["total_results"]


def _pages_of(sandbox, profile_id: str) -> int:
    meta = sandbox.get(f"/messaging_profiles/{profile_id}/phone_numbers", params={"page[size]": 250})
    return max(1, meta.json()["meta"]["total_pages"])


def test_a_full_build_holds_every_number_of_every_profile(fresh_sandbox, telnyx_settings, transactional_db):
    # Built here: `number_index` may put back the rows of a build made earlier on this worker.
    job = build_number_index(full=True)
    assert job is not None and job.status == "done", job and job.message
    number_index = fresh_sandbox
    assert indexed_numbers() == sandbox_numbers(number_index)
    current = IndexState.objects.get()
    assert current.complete_as_of is not None and current.full_as_of == current.complete_as_of
    assert current.job_id is None
    assert IndexedProfile.objects.count() == _profile_count(number_index)
    bulk = number_index.profile_named(BULK_PROFILE_NAME)
    row = IndexedProfile.objects.get(profile_id=bulk["id"])
    assert row.number_count == IndexedNumber.objects.filter(profile_id=bulk["id"]).count() > 1000
    assert row.numbers_read_for == bulk["updated_at"]


def test_the_build_reads_each_page_once_and_no_page_past_the_end(
    fresh_sandbox, telnyx_settings, transactional_db
):
    profiles = fresh_sandbox.get("/messaging_profiles", params={"page[size]": 250}).json()["data"]
    pages = sum(_pages_of(fresh_sandbox, profile["id"]) for profile in profiles)
    fresh_sandbox.clear_stats()

    job = build_number_index()

    assert job.status == "done" and job.applied == job.total == len(profiles)
    assert requests_to(fresh_sandbox, NUMBERS_ROUTE) == pages
    assert requests_to(fresh_sandbox, LIST_ROUTE) == math.ceil(len(profiles) / 250)


def test_a_refresh_reads_only_the_profile_that_changed(number_index):
    bulk = number_index.profile_named(BULK_PROFILE_NAME)
    renamed = number_index.patch(f"/messaging_profiles/{bulk['id']}", json={"name": "Acme Bulk (renamed)"})
    assert renamed.status_code == 200
    number_index.clear_stats()

    job = build_number_index()

    assert job.total == 1 and job.rows.get().object_id == bulk["id"]
    assert requests_to(number_index, NUMBERS_ROUTE) == _pages_of(number_index, bulk["id"])
    assert requests_to(number_index, LIST_ROUTE) == 1
    assert IndexedProfile.objects.get(profile_id=bulk["id"]).name == "Acme Bulk (renamed)"
    assert indexed_numbers() == sandbox_numbers(number_index)


def test_a_refresh_with_nothing_changed_lists_the_profiles_and_reads_no_numbers(number_index):
    before = IndexState.objects.get().complete_as_of

    assert build_number_index() is None

    assert requests_to(number_index, NUMBERS_ROUTE) == 0
    assert requests_to(number_index, LIST_ROUTE) == 1
    assert IndexState.objects.get().complete_as_of > before


def test_a_profile_gone_at_telnyx_leaves_the_index_at_the_next_refresh(number_index):
    victim = number_index.profile_named("Acme Delivery Updates")
    assert IndexedNumber.objects.filter(profile_id=victim["id"]).exists()
    assert number_index.delete(f"/messaging_profiles/{victim['id']}").status_code == 200

    build_number_index()

    assert not IndexedNumber.objects.filter(profile_id=victim["id"]).exists()
    assert not IndexedProfile.objects.filter(profile_id=victim["id"]).exists()


def test_a_failing_profile_is_left_for_next_time_and_the_index_is_not_called_complete(number_index):
    bulk = number_index.profile_named(BULK_PROFILE_NAME)
    number_index.patch(f"/messaging_profiles/{bulk['id']}", json={"name": "Acme Bulk (moved on)"})
    before = IndexState.objects.get().complete_as_of
    kept = IndexedNumber.objects.filter(profile_id=bulk["id"]).count()
    job = index.number_index_refresh(actor=None)
    number_index.set_faults(error_rate=1.0, error_status=503)  # after the listing: reads fail

    runner.run_job(job_id=job.pk, attempt=job.attempt)

    job.refresh_from_db()

    assert job.not_done == 1 and job.applied == 0
    assert IndexState.objects.get().complete_as_of == before
    # What was read last time stays: a failed read takes nothing away.
    assert IndexedNumber.objects.filter(profile_id=bulk["id"]).count() == kept
    number_index.clear_faults()
    again = build_number_index()
    assert again.total == 1 and again.applied == 1
    assert IndexState.objects.get().complete_as_of > before


def test_a_profile_deleted_through_the_dashboard_leaves_the_index_at_once(number_index, support_client):
    victim = number_index.profile_named("Acme Delivery Updates")
    assert IndexedNumber.objects.filter(profile_id=victim["id"]).exists()

    response = support_client.post(
        reverse("profiles:delete", args=[victim["id"]]), {"confirm_name": victim["name"]}
    )

    assert response.status_code == 302
    assert not IndexedNumber.objects.filter(profile_id=victim["id"]).exists()
    assert not IndexedProfile.objects.filter(profile_id=victim["id"]).exists()
    assert indexed_numbers() == sandbox_numbers(number_index)


def test_a_profile_renamed_through_the_dashboard_shows_its_new_name_at_once(number_index, support_client):
    victim = number_index.profile_named("Acme Delivery Updates")
    profile = number_index.get(f"/messaging_profiles/{victim['id']}").json()["data"]
    data = resubmit(ProfileEditForm(profile=profile, with_spend_limit=True), name="Acme Delivery (renamed)")

    response = support_client.post(reverse("profiles:edit", args=[victim["id"]]), data)

    assert response.status_code == 302
    assert IndexedProfile.objects.get(profile_id=victim["id"]).name == "Acme Delivery (renamed)"
    page = support_client.get(reverse("numbers:list"), {"profile": "(renamed)"}).content.decode()
    assert "Acme Delivery (renamed)</a>" in page
    assert requests_to(number_index, NUMBERS_ROUTE) == 0  # the name alone: no numbers read


def test_a_number_read_on_another_profile_moves_there_in_the_index(number_index):
    # The sandbox has no call that moves a number, so the second profile's read is given it as
    # Telnyx would list it after a move through the phone-numbers API.
    source = number_index.profile_named("Acme Delivery Updates")
    target = number_index.profile_named(BULK_PROFILE_NAME)
    moved = index.read_profile_numbers(source["id"])[0]
    numbers = [*index.read_profile_numbers(target["id"]), moved]

    index.store_profile_numbers(
        profile_id=target["id"], listed_updated_at=target["updated_at"], numbers=numbers
    )

    (row,) = IndexedNumber.objects.filter(number_id=moved.id)
    assert row.profile_id == target["id"] and row.phone_number == moved.phone_number
    assert IndexedProfile.objects.get(profile_id=target["id"]).number_count == len(numbers)
    assert IndexedNumber.objects.filter(profile_id=target["id"]).count() == len(numbers)


def test_a_second_refresh_while_one_runs_joins_it(fresh_sandbox, telnyx_settings, transactional_db):
    first = index.number_index_refresh(actor=None)
    second = index.number_index_refresh(actor=None)

    assert first is not None and second is not None and second.pk == first.pk
    assert Job.objects.filter(kind=index.KIND).count() == 1


@pytest.mark.slow
def test_a_build_interrupted_by_a_killed_worker_resumes_and_loses_nothing(
    fresh_sandbox, telnyx_settings, job_worker_factory
):
    fresh_sandbox.set_faults(latency_ms=150)
    job = index.number_index_refresh(actor=None, full=True)
    assert job is not None
    first = job_worker_factory()
    wait_for(lambda: Job.objects.get(pk=job.pk).applied >= 10, what="ten profiles read")

    first.kill()

    interrupted = Job.objects.get(pk=job.pk)
    assert not interrupted.is_finished and interrupted.applied < interrupted.total
    assert IndexState.objects.get().complete_as_of is None
    second = job_worker_factory()
    done = wait_for(
        lambda: (found := Job.objects.get(pk=job.pk)).is_finished and found, timeout=120, what="the job"
    )
    assert done.status == "done", second.log()
    assert done.applied == done.total
    assert not JobRow.objects.filter(job=job).exclude(status="applied").exists()
    fresh_sandbox.clear_faults()
    assert indexed_numbers() == sandbox_numbers(fresh_sandbox)
    assert IndexState.objects.get().complete_as_of is not None
