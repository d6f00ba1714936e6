"""The audit log's filters in Chromium: they apply as they change (so the Filter button, which only
browsers without JavaScript need, is hidden), keep the URL tidy, lay out in even rows, and the CSV
export has exactly the entries on screen."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from audit.models import AuditEntry
from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entries(auditor):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=auditor,
            actor_username="alice" if number < 3 else auditor.username,
            action="messaging_profile.delete" if number < 2 else "messaging_profile.update",
            object_type="messaging_profile",
            object_id=f"profile-{number:03d}",
            object_label=f"Profile {number:03d}",
            outcome="success",
        )
        for number in range(17)
    )


def _download_rows(page) -> list[dict[str, str]]:
    with page.expect_download() as download:
        page.get_by_test_id("audit-csv").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_choosing_an_action_filters_at_once_with_a_tidy_url_and_the_export_follows(
    entries, auditor, page, signed_in, dashboard_url
):
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/audit/")
    expect(page.get_by_role("button", name="Filter")).to_be_hidden()
    page.get_by_label("Action").select_option("messaging_profile.delete")
    page.wait_for_url("**/audit/?action=messaging_profile.delete")
    wait_for_htmx_idle(page)
    assert page.locator(".pager-summary").inner_text() == "2 results"

    rows = _download_rows(page)
    assert len(rows) == 2
    assert {row["action"] for row in rows} == {"messaging_profile.delete"}
    assert page.console_errors == []


def test_typing_a_user_filters_after_a_pause(entries, auditor, page, signed_in, dashboard_url):
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/audit/")
    sent: list[str] = []
    page.on("request", lambda request: "/audit/?" in request.url and sent.append(request.url))
    page.get_by_label("User").press_sequentially("alice", delay=40)
    page.wait_for_url("**/audit/?user=alice")
    wait_for_htmx_idle(page)
    assert page.locator(".pager-summary").inner_text() == "3 results"
    assert 1 <= len(sent) < 4, sent
    assert all("=&" not in url and not url.endswith("=") for url in sent), sent
    assert len(_download_rows(page)) == 3


def test_the_filters_sit_in_even_rows_at_1280_px(entries, auditor, page, signed_in, dashboard_url):
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/audit/")

    def top(name: str) -> float:
        return page.locator(f"form[role=search] [data-field={name}]").bounding_box()["y"]

    assert top("date_to") == top("date_from") == top("outcome")
    assert top("user") == top("action") == top("object_id")


def test_arrowing_through_a_filter_list_waits_for_enter(entries, auditor, page, signed_in, dashboard_url):
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/audit/")
    sent: list[str] = []
    page.on("request", lambda request: "/audit/?" in request.url and sent.append(request.url))
    page.get_by_label("Action").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(400)
    assert sent == []  # browsing the actions loads nothing
    page.keyboard.press("Enter")
    page.wait_for_url("**/audit/?action=messaging_profile.update")
    wait_for_htmx_idle(page)
    assert len(sent) == 1
    assert page.evaluate("() => document.activeElement.name") == "action"
