"""The audit log and a profile's History tab read for people: labels, formatted values, names, and a
deletion folded under a summary. The CSV export keeps the raw values."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from profiles import catalog, directory
from profiles.forms import ProfileEditForm
from tests.fixtures.profile_writes import resubmit

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    """What a sighted reader sees (the words only screen readers hear are left out)."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _history(client, object_type: str, object_id: str) -> str:
    return client.get(
        reverse("audit:history", args=[object_type, object_id]), HTTP_HX_REQUEST="true"
    ).content.decode()


def test_a_profile_edit_reads_with_labels_and_formatted_values(support_client, auditor_client, make_profile):
    profile = make_profile(whitelisted_destinations=["GB", "US"], mobile_only=False)
    # Made straight at the sandbox: a catalog an earlier test on this worker cached cannot know it.
    catalog.invalidate()
    edit = reverse("profiles:edit", kwargs={"profile_id": profile["id"]})
    data = resubmit(ProfileEditForm(profile=profile), whitelisted_destinations=["US"], mobile_only=True)
    assert support_client.post(edit, data).status_code == 302
    current = directory.profile_directory()  # a cached directory, as a page after the edit has
    assert profile["id"] in current

    for html in (
        _history(support_client, "messaging_profile", profile["id"]),
        auditor_client.get("/audit/").content.decode(),
    ):
        text = _text(html)
        assert "Settings changed" in text  # the action by name, its code beside it
        assert "Destinations GB, US → US" in text
        assert "Send to mobile numbers only No → Yes" in text
        assert "whitelisted_destinations" not in text
        assert "['GB', 'US']" not in text and "False" not in text


def test_a_spend_limit_change_shows_money(account_manager_client, auditor_client, make_profile):
    profile = make_profile(daily_spend_limit="1000.00")
    url = reverse("profiles:spend_limit", kwargs={"profile_id": profile["id"]})
    response = account_manager_client.post(
        url,
        {"daily_spend_limit": "1500", "daily_spend_limit_enabled": "on", "updated_at": profile["updated_at"]},
    )
    assert response.status_code == 302

    text = _text(_history(auditor_client, "messaging_profile", profile["id"]))
    assert "Daily spend limit USD 1,000.00 → USD 1,500.00" in text
    assert "Enforce the daily spend limit No → Yes" in text


def test_a_deletion_shows_a_summary_and_the_snapshot_behind_a_disclosure(
    support_client, auditor_client, make_profile
):
    profile = make_profile(whitelisted_destinations=["GB", "US"])
    response = support_client.post(
        reverse("profiles:delete", args=[profile["id"]]), {"confirm_name": profile["name"]}
    )
    assert response.status_code == 302

    html = auditor_client.get("/audit/", {"action": "profile.delete"}).content.decode()
    summary, _, snapshot = html.partition('<details class="snapshot"')
    assert snapshot, "the full snapshot is behind a <details> disclosure"
    assert f"Name</dt><dd>{profile['name']}</dd>" in summary
    assert "Destinations</dt><dd>GB, US</dd>" in summary
    assert "Webhook URL" in snapshot and "Profile id" in snapshot
    # The summary does not list every field: the rest is folded away.
    assert "Webhook failover URL" not in summary


def test_a_bound_short_code_names_the_profile_and_keeps_its_id_on_hover(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    bulk = seed_short_codes.profile()
    directory.profile_directory()
    support_client.post(
        f"/short-codes/{code['id']}/bind/",
        {"messaging_profile_id": bulk["id"], "updated_at": code["updated_at"]},
    )
    directory.profile_directory()  # the bind may have dropped the cached directory

    html = _history(support_client, "short_code", code["id"])
    assert f'<span class="ref" title="{bulk["id"]}" data-id="{bulk["id"]}">{bulk["name"]}</span>' in html
    assert "Messaging profile" in _text(html)


def test_the_csv_keeps_the_raw_values(account_manager_client, auditor_client, make_profile):
    profile = make_profile(daily_spend_limit="1000.00")
    account_manager_client.post(
        reverse("profiles:spend_limit", kwargs={"profile_id": profile["id"]}),
        {"daily_spend_limit": "1500", "updated_at": profile["updated_at"]},
    )

    response = auditor_client.get("/audit/", {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert any("daily_spend_limit" in cell and "1000.00" in cell for row in rows for cell in row), rows[:3]


def test_history_reads_in_chinese_for_a_chinese_browser(support_client, make_profile):
    profile = make_profile(whitelisted_destinations=["GB", "US"], mobile_only=False)
    edit = reverse("profiles:edit", kwargs={"profile_id": profile["id"]})
    data = resubmit(ProfileEditForm(profile=profile), whitelisted_destinations=["US"], mobile_only=True)
    assert support_client.post(edit, data).status_code == 302

    url = reverse("audit:history", args=["messaging_profile", profile["id"]])
    html = support_client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    text = _text(html)
    assert "目的地 GB, US → US" in text
    assert "仅发送到手机号码 否 → 是" in text
    assert "已更改设置" in text
