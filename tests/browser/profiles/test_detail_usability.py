"""The profile pages in Chromium: copy buttons for ids, health figures flagged in words, no export of
nothing, and the health webhook shown (read-only) on Edit."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BULK = "Acme Bulk Notifications"


def test_the_profile_id_is_copied_by_keyboard_and_announced(
    support_user, page, signed_in, dashboard_url, sandbox
):
    profile = sandbox.profile_named(BULK)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    button = page.get_by_role("button", name="Copy the profile id")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_text("Copied")
    expect(page.get_by_test_id("announcer")).to_have_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == profile["id"]
    assert page.console_errors == []


def test_bad_health_figures_are_flagged_in_words(support_user, page, signed_in, dashboard_url, sandbox):
    profile = sandbox.profile_named(BULK)
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/phone-numbers/?page_size=250")
    numbers = page.get_by_test_id("phone-numbers")
    numbers.locator("tbody tr").first.wait_for()
    high = numbers.get_by_test_id("health-high")
    assert high.count() > 0
    for text in high.all_inner_texts():
        assert text.endswith("% spam (high)"), text
        assert int(text.split("%")[0].split()[-1]) >= 10
    low = numbers.get_by_test_id("health-low")
    assert low.count() > 0 and all(text.endswith("delivered (low)") for text in low.all_inner_texts())


def test_a_profile_without_numbers_offers_no_export(
    support_user, page, signed_in, dashboard_url, make_profile
):
    profile = make_profile()
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    wait_for_htmx_idle(page)
    expect(page.get_by_test_id("export-csv")).to_have_count(0)


def test_edit_shows_the_health_webhook_read_only(support_user, page, signed_in, dashboard_url, make_profile):
    profile = make_profile(health_webhook_url="https://status.example.com/health")
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/edit/")
    field = page.get_by_label("Health webhook URL")
    expect(field).to_have_value("https://status.example.com/health")
    expect(field).not_to_be_editable()
    expect(page.locator('[data-field="health_webhook_url"]')).to_contain_text(
        "Set only when a profile is created"
    )
