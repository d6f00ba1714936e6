"""CSV export of a profile's phone numbers (/profiles/<id>/phone-numbers/?format=csv) against the sandbox."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.http import StreamingHttpResponse

from profiles.csv_export import HEADER
from telnyx_admin.telnyx import errors

pytestmark = pytest.mark.django_db

BULK = "Acme Bulk Notifications"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(autouse=True)
def _dashboard_uses_sandbox(telnyx_settings):
    return telnyx_settings


def _url(profile_id: str) -> str:
    return f"/profiles/{profile_id}/phone-numbers/?format=csv"


def _rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def _all_numbers_sequentially(sandbox, profile_id: str) -> list[dict]:
    numbers, page = [], 1
    while True:
        body = sandbox.get(
            f"/messaging_profiles/{profile_id}/phone_numbers",
            params={"page[number]": page, "page[size]": 250},
        ).json()
        numbers += body["data"]
        if page >= body["meta"]["total_pages"]:
            return numbers
        page += 1


def test_it_streams_every_number_in_api_order(auditor_client, sandbox):
    profile_id = sandbox.profile_named(BULK)["id"]
    expected = _all_numbers_sequentially(sandbox, profile_id)
    assert len(expected) >= 5_000
    response = auditor_client.get(_url(profile_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="profile-{profile_id}-phone-numbers.csv"'
    rows = _rows(response)
    assert rows[0] == list(HEADER)
    body = rows[1:]
    assert [row[0] for row in body] == [item["id"] for item in expected]  # same order, nothing missing
    assert len({row[0] for row in body}) == len(body)  # no duplicates
    assert [row[1] for row in body] == [item["phone_number"] for item in expected]


def test_each_row_carries_the_numbers_fields(auditor_client, sandbox):
    profile_id = sandbox.profile_named(BULK)["id"]
    first = _all_numbers_sequentially(sandbox, profile_id)[0]
    row = dict(zip(HEADER, _rows(auditor_client.get(_url(profile_id)))[1], strict=True))
    assert row["phone_number"] == first["phone_number"]
    assert row["type"] == first["type"]
    assert row["messaging_product"] == first["messaging_product"]
    assert row["traffic_type"] == first["traffic_type"]
    assert row["sms_domestic_two_way"] == "true"
    assert row["health_message_count"] == str(first["health"]["message_count"])
    assert row["tags"] == " ".join(first["tags"])
    assert row["created_at"] == first["created_at"]


def test_no_cell_can_run_as_a_formula(auditor_client, sandbox):
    profile_id = sandbox.profile_named(BULK)["id"]
    for row in _rows(auditor_client.get(_url(profile_id))):
        for cell in row:
            if cell.startswith(FORMULA_START):
                # Only plain numbers (E.164 phone numbers) may start with + or -.
                assert cell.lstrip("+-").replace(".", "", 1).isdigit(), cell


def test_a_profile_without_numbers_exports_just_the_header(auditor_client, sandbox):
    profile_id = sandbox.profile_named("Legacy Import (destinations pending)")["id"]
    assert _rows(auditor_client.get(_url(profile_id))) == [list(HEADER)]


def test_an_unknown_profile_is_404(auditor_client, sandbox):
    response = auditor_client.get(_url(str(uuid.uuid4())))
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()


def test_a_rate_limit_before_the_first_row_is_the_banner_not_a_file(
    auditor_client, telnyx_settings, settings
):
    settings.TELNYX_MAX_RETRY_AFTER = 1
    profile_id = telnyx_settings.profile_named(BULK)["id"]
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=9)
    response = auditor_client.get(_url(profile_id))
    assert response.status_code == 429
    assert "Content-Disposition" not in response
    assert "Retry in 9 s." in response.content.decode()


def test_an_outage_before_the_first_row_is_the_banner(auditor_client, telnyx_settings):
    profile_id = telnyx_settings.profile_named(BULK)["id"]
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    response = auditor_client.get(_url(profile_id))
    assert response.status_code == 503
    assert "Telnyx is unavailable" in response.content.decode()


def test_a_failure_mid_stream_aborts_the_download(auditor_client, telnyx_settings, settings, caplog):
    # The first page succeeds, every second call after it fails with a 500 (not retried): the
    # status is already sent, so the transfer must break off rather than end as a short file.
    # One page at a time: with two in flight, which of them reaches the sandbox first (and so
    # which one the fault hits) would be a race.
    settings.TELNYX_EXPORT_CONCURRENCY = 1
    profile_id = telnyx_settings.profile_named(BULK)["id"]
    telnyx_settings.set_faults(error_rate=0.5, error_status=500)
    response = auditor_client.get(_url(profile_id))
    assert response.status_code == 200
    with pytest.raises(errors.TelnyxError):
        b"".join(response.streaming_content)
    assert any("aborted mid-stream" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("who", ["support_client", "account_manager_client", "auditor_client"])
def test_every_role_may_export(request, sandbox, who):
    profile_id = sandbox.profile_named("Legacy Import (destinations pending)")["id"]
    assert request.getfixturevalue(who).get(_url(profile_id)).status_code == 200


def test_it_requires_a_role(groupless_client, sandbox):
    profile_id = sandbox.profile_named(BULK)["id"]
    sandbox.clear_stats()
    assert groupless_client.get(_url(profile_id)).status_code == 403
    assert sandbox.stats()["total_requests"] == 0
