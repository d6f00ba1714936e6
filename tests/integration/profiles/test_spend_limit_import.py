"""CSV import of spend limits (`/spend-limits/import/`): the dry run, bad files, and applying it."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.models import Job, JobRow
from profiles import catalog

pytestmark = pytest.mark.django_db

URL = "/spend-limits/import/"
HEADER = "profile_id,daily_spend_limit,daily_spend_limit_enabled\n"


@pytest.fixture(autouse=True)
def _fresh_catalog(telnyx_settings):
    catalog.invalidate()
    yield
    catalog.invalidate()


def _upload(client, text: str | bytes, name: str = "limits.csv") -> str:
    data = text.encode() if isinstance(text, str) else text
    response = client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})
    assert response.status_code == 200
    return response.content.decode()


def _statuses(html: str) -> list[str]:
    return re.findall(r'data-testid="plan-row" data-status="([a-z_]+)"', html)


def test_the_dry_run_lists_every_row_as_change_no_change_or_invalid(
    account_manager_client, make_profile, sandbox_requests
):
    a = make_profile(daily_spend_limit="100.00", daily_spend_limit_enabled=False)
    b = make_profile(daily_spend_limit="50.00", daily_spend_limit_enabled=True)
    c = make_profile()
    d = make_profile()
    text = (
        "\ufeff"  # a BOM, as spreadsheets write it
        + HEADER
        + f"{a['id']},250,true\n"
        + f"{b['id']},50.00,true\n"
        + f"{c['id']},12,5,true\n".replace(",12,5,", ',"12,5",')
        + f"{d['id']},10,maybe\n"
        + "00000000-0000-4000-8000-000000000000,10,true\n"
        + f"{a['id']},1,false\n"
    )

    html = _upload(account_manager_client, text)

    assert _statuses(html) == ["change", "no_change", "invalid", "invalid", "invalid", "invalid"]
    assert "1 to change, 1 already as wanted, 4 invalid." in html
    assert "Enter an amount in USD using digits" in html  # the form's own message
    assert "enter true or false" in html
    assert "No profile with this id in the account." in html
    assert "The profile is already on line 2." in html
    assert sandbox_requests("PATCH /v2/messaging_profiles/{id}") == 0
    assert not Job.objects.exists()


def test_applying_the_import_starts_a_job_of_the_changing_rows(account_manager_client, make_profile):
    a = make_profile(daily_spend_limit="100.00")
    b = make_profile(daily_spend_limit="100.00")
    html = _upload(
        account_manager_client, HEADER + f"{a['id']},200,true\n{b['id']},100.00,false\nnope,1,true\n"
    )
    token = re.search(r'name="plan" value="([^"]+)"', html).group(1)

    response = account_manager_client.post("/spend-limits/confirm/", {"plan": token})

    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.params["source"] == "import"
    (row,) = JobRow.objects.filter(job=job)
    assert (row.object_id, row.after) == (
        a["id"],
        {"daily_spend_limit": "200", "daily_spend_limit_enabled": True},
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty: line 1 should be the header"),
        (b"id,limit,enabled\nx,1,true\n", "Line 1 must be the header profile_id,daily_spend_limit"),
        (HEADER.encode() + b"a,1\n", "Line 2 has 2 columns; the header has 3."),
        (HEADER.encode() + b"a,1,true\nb,caf\xe9,true\n", "Line 3 is not UTF-8 text."),
        (HEADER.encode() + b'a,"1,true\n', "cannot be read as CSV"),
        (HEADER.encode() + b"x,1,true\n" * 10_001, "Line 10002: the file has more than 10,000 rows"),
    ],
)
def test_a_bad_file_gets_a_clear_error_naming_the_line(
    account_manager_client, make_profile, content, message
):
    html = _upload(account_manager_client, content)
    assert message in html
    assert 'name="plan"' not in html
    assert 'data-testid="import-form"' in html


def test_ten_thousand_rows_are_accepted(account_manager_client, make_profile):
    profile = make_profile()
    rows = f"{profile['id']},1,true\n" + "00000000-0000-4000-8000-000000000000,1,true\n" * 9_999
    html = _upload(account_manager_client, HEADER + rows)
    assert len(_statuses(html)) == 10_000
    assert "1 to change, 0 already as wanted, 9999 invalid." in html


def test_only_account_managers_may_import(auditor_client, support_client, make_profile):
    for client in (auditor_client, support_client):
        assert client.get(URL).status_code == 403
        upload = SimpleUploadedFile("x.csv", HEADER.encode(), content_type="text/csv")
        assert client.post(URL, {"file": upload}).status_code == 403
