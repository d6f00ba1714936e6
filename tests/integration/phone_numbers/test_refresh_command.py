"""`manage.py refresh_number_index` (for cron) against the live sandbox: the first run reads every
profile, the next only what changed; without `--here` it only queues the job for a worker."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from jobs.models import Job
from phone_numbers import index
from phone_numbers.models import IndexedNumber, IndexedProfile, IndexState
from tests.fixtures.number_index import indexed_numbers, sandbox_numbers
from tests.fixtures.telnyx import BULK_PROFILE_NAME, requests_to

LIST_ROUTE = "GET /v2/messaging_profiles"
NUMBERS_ROUTE = "GET /v2/messaging_profiles/{id}/phone_numbers"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("refresh_number_index", *args, stdout=out)
    return out.getvalue()


def _pages_of(sandbox, profile_id: str) -> int:
    meta = sandbox.get(f"/messaging_profiles/{profile_id}/phone_numbers", params={"page[size]": 250})
    return max(1, meta.json()["meta"]["total_pages"])


def test_it_builds_the_index_then_reads_only_what_changed(fresh_sandbox, telnyx_settings, transactional_db):
    first = _run("--here")

    assert indexed_numbers() == sandbox_numbers(fresh_sandbox)
    built = IndexState.objects.get()
    # No full refresh had run: the schedule makes the first one full.
    assert built.full_as_of is not None and built.complete_as_of == built.full_as_of
    assert f"{IndexedProfile.objects.count()} profile(s) to read" in first
    bulk = fresh_sandbox.profile_named(BULK_PROFILE_NAME)
    fresh_sandbox.patch(f"/messaging_profiles/{bulk['id']}", json={"name": "Acme Bulk (cron)"})
    fresh_sandbox.clear_stats()

    second = _run("--here")

    assert "1 profile(s) to read" in second and "1 read, 0 not read" in second
    assert requests_to(fresh_sandbox, NUMBERS_ROUTE) == _pages_of(fresh_sandbox, bulk["id"])
    assert requests_to(fresh_sandbox, LIST_ROUTE) == 1
    assert IndexedProfile.objects.get(profile_id=bulk["id"]).name == "Acme Bulk (cron)"
    assert IndexState.objects.get().full_as_of == built.full_as_of  # not a full one this time
    assert indexed_numbers() == sandbox_numbers(fresh_sandbox)


def test_with_nothing_changed_it_reads_no_numbers(number_index):
    out = _run("--here")

    assert "The number index is up to date" in out
    assert requests_to(number_index, NUMBERS_ROUTE) == 0
    assert not Job.objects.filter(kind=index.KIND, status="queued").exists()


def test_full_reads_every_profile_again(number_index):
    out = _run("--full", "--here")

    profiles = IndexedProfile.objects.count()
    assert f"{profiles} profile(s) to read" in out and f"{profiles} read, 0 not read" in out
    assert indexed_numbers() == sandbox_numbers(number_index)


def test_without_here_it_queues_the_job_for_a_worker(fresh_sandbox, telnyx_settings, transactional_db):
    out = _run()

    job = Job.objects.get(kind=index.KIND)
    assert job.status == "queued" and f"Refresh job {job.pk}:" in out
    assert not IndexedNumber.objects.exists()
    assert requests_to(fresh_sandbox, NUMBERS_ROUTE) == 0


def test_telnyx_failing_while_listing_is_a_command_error(fresh_sandbox, telnyx_settings, transactional_db):
    fresh_sandbox.set_faults(error_rate=1.0, error_status=503)

    with pytest.raises(CommandError, match="Telnyx could not list the profiles"):
        _run("--here")

    assert not Job.objects.filter(kind=index.KIND).exists()
