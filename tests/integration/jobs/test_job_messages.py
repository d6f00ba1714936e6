"""Job pages read in the reader's language: row and job messages are stored as source text (rows are
written by workers, for nobody in particular) and translated when a page shows them; the results CSV
keeps the source text, as it keeps every other raw value.

Runs the job in this process (threads with their own connections, hence `transactional_db`).
"""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.utils import translation

from jobs import runner
from jobs.kinds import PlannedRow
from jobs.models import Job, JobRow
from jobs.services import job_create
from profiles import catalog

COUNT = "profiles.count_phone_numbers"
CHINESE = {"accept-language": "zh-CN"}
ENGLISH = {"accept-language": "en"}


@pytest.fixture
def fresh_catalog(telnyx_settings):
    catalog.invalidate()
    yield
    catalog.invalidate()


def _page(client, job: Job, headers: dict[str, str]) -> str:
    return client.get(f"/jobs/{job.pk}/", headers=headers).content.decode()


def test_a_row_message_is_stored_untranslated_and_shown_in_each_reader_s_language(
    telnyx_settings, transactional_db, auditor, auditor_client
):
    job = job_create(
        kind=COUNT, actor=auditor, rows=[PlannedRow(object_id=str(uuid.uuid4()), label="Gone profile")]
    )
    # Even run inside a Chinese request, the row keeps the source text.
    with translation.override("zh-hans"):
        runner.run_job(job_id=job.pk, attempt=job.attempt)

    row = JobRow.objects.get(job=job)
    assert row.status == "refused" and row.message == "The profile no longer exists."
    assert "该配置文件已不存在。" in _page(auditor_client, job, CHINESE)
    assert "The profile no longer exists." in _page(auditor_client, job, ENGLISH)
    response = auditor_client.get(f"/jobs/{job.pk}/?format=csv", headers=CHINESE)
    (line,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert line["message"] == "The profile no longer exists."


def test_a_message_with_values_translates_its_text_and_the_values_the_catalogue_has(
    db, auditor, auditor_client
):
    job = job_create(kind=COUNT, actor=auditor, rows=[PlannedRow(object_id="p1", label="Acme")])
    JobRow.objects.filter(job=job).update(
        status="refused",
        message="Changed meanwhile: %(reason)s",
        message_params={"reason": "The profile was renamed since you confirmed its name."},
    )
    Job.objects.filter(pk=job.pk).update(
        status="failed",
        message="The job stopped on an unexpected error (%(error)s).",
        message_params={"error": "OperationalError"},
    )

    chinese = _page(auditor_client, job, CHINESE)
    assert "在此期间已被更改：" in chinese and "Changed meanwhile" not in chinese
    assert "The profile was renamed" not in chinese
    assert "任务因意外错误而停止（OperationalError）。" in chinese
    english = _page(auditor_client, job, ENGLISH)
    assert "Changed meanwhile: The profile was renamed since you confirmed its name." in english


def test_starting_a_job_says_so_in_chinese(telnyx_settings, fresh_catalog, auditor_client):
    # One row per profile the shared sandbox holds now (other tests on this worker may add some).
    listed = telnyx_settings.get("/messaging_profiles", params={"page[size]": 1}).json()
    profiles = listed["meta"]["total_results"]
    response = auditor_client.post("/jobs/", {"kind": COUNT}, headers=CHINESE, follow=True)

    page = response.content.decode()
    assert f"已启动：统计每个配置文件的电话号码（{profiles} 行）。" in page
