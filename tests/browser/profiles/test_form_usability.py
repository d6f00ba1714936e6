"""Profile forms in Chromium: the error summary takes focus and links to each field, destinations are
checkboxes (several by mouse or keyboard, no Ctrl-click), and an account manager is told who can fix
a profile without destinations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_bad_create_form(page) -> None:
    page.get_by_label("Name", exact=True).fill("Summary test")
    page.get_by_label("United States (US)").check()
    page.get_by_label("Webhook URL", exact=True).fill("not a url")


def test_a_failed_save_focuses_an_error_summary_that_links_to_each_field(
    support_user, page, signed_in, dashboard_url
):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/new/")
    _fill_bad_create_form(page)
    page.get_by_role("button", name="Create profile").click()  # htmx swaps the form

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function("() => document.activeElement.dataset.testid === 'error-summary'")
    assert summary.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )

    summary.get_by_role("link", name="Webhook URL").click()
    assert page.evaluate("() => document.activeElement.name") == "webhook_url"
    expect(page.get_by_label("Webhook URL", exact=True)).to_have_value("not a url")
    assert page.console_errors == []


def test_a_full_page_failed_save_focuses_the_summary_too(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/new/")
    _fill_bad_create_form(page)
    with page.expect_navigation():
        # An ordinary form POST, as without htmx: the server renders the page with the summary.
        page.get_by_test_id("profile-form").evaluate("form => HTMLFormElement.prototype.submit.call(form)")
    page.wait_for_function("() => document.activeElement.dataset.testid === 'error-summary'")
    expect(page.get_by_test_id("error-summary").get_by_role("link")).to_contain_text(["Webhook URL"])


def test_destinations_are_chosen_by_mouse_and_keyboard_without_ctrl(
    support_user, page, signed_in, dashboard_url
):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/new/")
    page.get_by_label("United States (US)").click()
    page.get_by_label("United Kingdom (GB)").click()  # a plain second click adds
    chips = page.locator("[data-multiselect-chosen] .chip")
    expect(chips).to_have_text(["United Kingdom (GB)", "United States (US)"])

    page.get_by_label("Filter the list").fill("germ")
    expect(page.get_by_label("France (FR)")).to_be_hidden()
    expect(page.get_by_label("United States (US)")).to_be_visible()  # chosen ones stay in sight
    page.keyboard.press("Tab")  # the first box still shown: Germany
    page.keyboard.press("Space")
    expect(page.get_by_label("Germany (DE)")).to_be_checked()
    expect(chips).to_have_text(["Germany (DE)", "United Kingdom (GB)", "United States (US)"])
    page.keyboard.press("Space")
    expect(chips).to_have_count(2)
    assert page.console_errors == []


def test_an_account_manager_is_told_that_support_must_set_destinations_first(
    account_manager, page, signed_in, dashboard_url, no_destinations_profile
):
    signed_in(page, account_manager.username)
    page.goto(f"{dashboard_url}/profiles/{no_destinations_profile['id']}/spend-limit/")
    page.get_by_label("Daily spend limit (USD)").fill("42")
    page.get_by_role("button", name="Save spend limit").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Support staff must set its destinations first")
    expect(summary).not_to_contain_text("whitelisted_destinations")
    expect(page.get_by_label("Daily spend limit (USD)")).to_have_value("42")
