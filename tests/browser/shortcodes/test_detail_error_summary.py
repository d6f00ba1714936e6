"""In Chromium: a failed bind or tag change on a short code's page shows the same focused error summary
as the profile forms, each error a link to where it is fixed."""

from __future__ import annotations

import pytest

from tests.fixtures.axe import axe_violations, describe_violations

pytestmark = pytest.mark.browser


def _open_first_short_code(page, dashboard_url) -> None:
    page.goto(f"{dashboard_url}/short-codes/")
    with page.expect_navigation():  # htmx must be set up before the forms are used
        page.get_by_test_id("short-code-row").first.get_by_role("link").first.click()


def _summary_has_focus(page) -> None:
    page.wait_for_function("() => document.activeElement.dataset.testid === 'error-summary'")


def test_binding_without_a_profile_focuses_the_summary_and_links_to_the_picker(
    page, dashboard_url, signed_in, support_user, seed_short_codes
):
    from playwright.sync_api import expect

    signed_in(page, support_user.username)
    _open_first_short_code(page, dashboard_url)
    page.get_by_test_id("bind-form").get_by_role("button").click()  # no profile chosen

    summary = page.locator("#binding").get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "alert"
    _summary_has_focus(page)
    violations = axe_violations(page)
    assert violations == [], describe_violations({"bind error": violations})
    link = summary.get_by_role("link", name="Messaging profile: Choose the messaging profile")
    link.click()
    expect(page.get_by_label("Bind to a profile: find it by name")).to_be_focused()
    expect(page.get_by_test_id("error-messaging_profile_id")).to_be_visible()  # still beside the field
    assert page.console_errors == []


def test_a_bad_tag_focuses_the_summary_and_links_to_the_tag_box(
    page, dashboard_url, signed_in, support_user, seed_short_codes
):
    from playwright.sync_api import expect

    signed_in(page, support_user.username)
    _open_first_short_code(page, dashboard_url)
    page.get_by_label("Add a tag").fill("   ")
    page.get_by_role("button", name="Add tag").click()

    summary = page.locator("#tags").get_by_test_id("error-summary")
    expect(summary).to_contain_text("A tag cannot be empty or only spaces.")
    _summary_has_focus(page)
    summary.get_by_role("link", name="Add a tag").click()
    expect(page.get_by_label("Add a tag")).to_be_focused()
    expect(page.get_by_label("Add a tag")).to_have_value("   ")  # nothing typed is lost
    assert page.console_errors == []


def test_a_full_page_failed_bind_focuses_the_summary_too(
    page, dashboard_url, signed_in, support_user, seed_short_codes
):
    from playwright.sync_api import expect

    signed_in(page, support_user.username)
    _open_first_short_code(page, dashboard_url)
    with page.expect_navigation():
        # An ordinary form POST, as without htmx: the server renders the whole page with the summary.
        page.get_by_test_id("bind-form").evaluate("form => HTMLFormElement.prototype.submit.call(form)")
    _summary_has_focus(page)
    expect(page.get_by_test_id("error-summary").get_by_role("link")).to_have_count(1)
