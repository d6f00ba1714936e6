"""The profile detail tabs in Chromium: the WAI-ARIA tabs pattern by keyboard, and the open tab in
the address (pushed on opening, honoured on load and in shared links)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BULK = "Acme Bulk Notifications"


def _selected(page) -> list[str]:
    return page.locator('[role="tab"][aria-selected="true"]').all_inner_texts()


def test_tabs_follow_the_keyboard_pattern_and_push_the_open_tab(
    support_user, page, signed_in, dashboard_url, sandbox
):
    profile = sandbox.profile_named(BULK)
    detail = f"{dashboard_url}/profiles/{profile['id']}/"
    signed_in(page, support_user.username)
    page.goto(detail)
    page.get_by_test_id("phone-numbers").wait_for()
    numbers = page.get_by_role("tab", name="Phone numbers")
    assert numbers.get_attribute("tabindex") == "0"
    assert page.get_by_role("tab", name="History").get_attribute("tabindex") == "-1"  # roving

    numbers.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.id") == "tab-short-codes"
    page.keyboard.press("End")
    assert page.evaluate("() => document.activeElement.id") == "tab-history"
    page.keyboard.press("ArrowRight")  # wraps
    assert page.evaluate("() => document.activeElement.id") == "tab-phone-numbers"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")  # wraps backwards
    assert page.evaluate("() => document.activeElement.id") == "tab-history"
    assert _selected(page) == ["Phone numbers"]  # moving focus opens nothing

    page.keyboard.press("Space")
    page.wait_for_url(f"{detail}?tab=history")
    page.get_by_test_id("history").wait_for()
    assert _selected(page) == ["History"]
    assert page.get_by_role("tabpanel").get_attribute("aria-labelledby") == "tab-history"

    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{detail}?tab=short-codes")
    page.get_by_test_id("short-codes-tab").wait_for()
    assert _selected(page) == ["Short codes"]

    page.reload()  # honoured on load
    page.get_by_test_id("short-codes-tab").wait_for()
    assert _selected(page) == ["Short codes"]
    assert page.get_by_role("tab", name="Short codes").get_attribute("tabindex") == "0"
    assert page.console_errors == []


def test_a_shared_link_opens_its_tab(support_user, page, signed_in, dashboard_url, sandbox):
    profile = sandbox.profile_named(BULK)
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/?tab=history")
    page.get_by_test_id("history").wait_for()
    wait_for_htmx_idle(page)
    assert _selected(page) == ["History"]
    expect(page.get_by_test_id("phone-numbers")).to_have_count(0)


def test_paging_inside_a_tab_keeps_focus_on_its_pager(support_user, page, signed_in, dashboard_url, sandbox):
    profile = sandbox.profile_named(BULK)
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    numbers = page.get_by_test_id("phone-numbers")
    numbers.locator("tbody tr").first.wait_for()
    wait_for_htmx_idle(page)
    numbers.get_by_role("link", name="Next").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/profiles/{profile['id']}/phone-numbers/?page=2")
    wait_for_htmx_idle(page)
    focused = page.evaluate(
        "() => [document.activeElement.closest('#phone-numbers') !== null, document.activeElement.rel]"
    )
    assert focused == [True, "next"]
    page.wait_for_function("() => document.getElementById('announcer').textContent.includes('page 2 of')")
