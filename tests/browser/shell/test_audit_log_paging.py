"""The audit log pages and filters with htmx in a real browser, under the strict CSP."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entries(auditor):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=auditor,
            actor_username=auditor.username,
            action="messaging_profile.update" if number % 2 else "short_code.bind",
            object_type="messaging_profile",
            object_id=f"profile-{number:03d}",
            object_label=f"Profile {number:03d}",
            outcome="success",
        )
        for number in range(45)
    )


def test_the_pager_swaps_the_table_and_updates_the_address(entries, auditor, page, signed_in, dashboard_url):
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/audit/?page_size=20")
    rows = page.get_by_test_id("audit-table").locator("tbody tr")
    assert rows.count() == 20
    first_row = rows.first.inner_text()
    page.evaluate("window.__marker = 'same document'")  # survives an htmx swap, not a reload

    page.get_by_role("navigation", name="Pages").get_by_role("link", name="2", exact=True).click()
    page.wait_for_url("**/audit/?page_size=20&page=2")
    assert rows.first.inner_text() != first_row
    assert page.locator(".pager [aria-current=page]").inner_text() == "2"
    assert page.evaluate("window.__marker") == "same document"

    wait_for_htmx_idle(page)
    page.get_by_label("Per page").select_option("50")
    page.wait_for_url("**/audit/?page_size=50")
    assert rows.count() == 45
    assert page.console_errors == []


def test_filtering_by_action_narrows_the_table(entries, auditor, page, signed_in, dashboard_url):
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/audit/")
    page.get_by_label("Action").select_option("short_code.bind")  # applies at once: no Filter button
    page.wait_for_url("**/audit/?*action=short_code.bind*")
    assert page.locator(".pager-summary").inner_text().startswith("23 results")
    assert page.console_errors == []
