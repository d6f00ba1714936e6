"""A Telnyx outage during an htmx request shows the banner in the page instead of breaking it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_outage_during_a_search_shows_the_banner_and_keeps_the_page(
    support_user, page, signed_in, dashboard_url, telnyx_settings
):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    table = page.get_by_test_id("profile-table")
    rows_before = table.locator("tbody tr").count()
    assert rows_before > 0

    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    page.get_by_test_id("profile-search").fill("acme")
    banner = page.locator("#messages").get_by_test_id("telnyx-banner")
    banner.wait_for()
    assert "Telnyx is unavailable" in banner.inner_text()
    # The table was not replaced by an error: the earlier rows are still there.
    assert table.locator("tbody tr").count() == rows_before

    telnyx_settings.clear_faults()
    with page.expect_navigation():
        banner.get_by_role("link", name="Try again").click()
    assert page.locator("#messages").get_by_test_id("telnyx-banner").count() == 0
    assert page.get_by_test_id("profile-table").is_visible()
    assert page.console_errors == []


def test_a_rate_limit_on_a_full_page_load_says_when_to_retry(
    support_user, page, signed_in, dashboard_url, telnyx_settings, settings
):
    signed_in(page, support_user.username)
    settings.TELNYX_MAX_RETRY_AFTER = 1
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=42)
    response = page.goto(f"{dashboard_url}/profiles/")
    assert response.status == 429
    assert "Retry in 42 s." in page.get_by_test_id("telnyx-banner").inner_text()
    assert page.get_by_role("navigation", name="Main").is_visible()
