"""One pattern per kind of thing, in Chromium: the breadcrumb trail on every page below the main nav
(the `breadcrumbs` tag: a list whose last item is the current page), the empty state in place of every
empty table, and no API field names in legends or labels."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from profiles import catalog
from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

API_NAMES = ("messaging_profile_id", "whitelisted_destinations", "daily_spend_limit", "webhook_url")


def _trail(page) -> list[str]:
    trail = page.get_by_role("navigation", name="Breadcrumb")
    expect(trail).to_have_count(1)
    expect(trail.locator("li").last).to_have_attribute("aria-current", "page")
    return trail.locator("li").all_inner_texts()


def test_every_page_below_the_nav_has_the_same_breadcrumb_trail(
    support_user, page, signed_in, dashboard_url, make_profile, seed_short_codes
):
    profile = make_profile()
    code = seed_short_codes.unassigned()[0]
    signed_in(page, support_user.username)
    base = f"{dashboard_url}/profiles/{profile['id']}/"
    page.goto(base)
    assert _trail(page) == ["Messaging profiles", profile["name"]]
    page.goto(f"{base}edit/")
    assert _trail(page) == ["Messaging profiles", profile["name"], "Edit settings"]
    page.goto(f"{base}delete/")
    assert _trail(page) == ["Messaging profiles", profile["name"], "Delete"]
    page.goto(f"{dashboard_url}/profiles/new/")
    assert _trail(page) == ["Messaging profiles", "New profile"]
    page.goto(f"{dashboard_url}/short-codes/{code['id']}/")
    assert _trail(page) == ["Short codes", code["short_code"]]
    visible = page.locator("main").inner_text()
    assert not [name for name in API_NAMES if name in visible]
    page.goto(f"{base}short-codes/")  # the profile's short-codes tab as a page of its own
    assert _trail(page) == ["Messaging profiles", profile["name"], "Short codes"]

    page.goto(f"{dashboard_url}/short-codes/?profile=unassigned")
    page.locator('input[name="short_code_id"]').first.check()
    with page.expect_navigation():
        page.get_by_test_id("bulk-preview").click()  # no profile chosen: the page says why
    assert _trail(page) == ["Short codes", "Bulk change of short codes"]


def test_the_spend_limit_pages_have_the_same_trail(
    account_manager, page, signed_in, dashboard_url, make_profile
):
    profile = make_profile()
    catalog.invalidate()  # the overview's catalog may predate the profile made straight at the sandbox
    signed_in(page, account_manager.username)
    page.goto(f"{dashboard_url}/spend-limits/import/")
    assert _trail(page) == ["Spend limits", "Import spend limits"]

    page.goto(f"{dashboard_url}/spend-limits/?{urlencode({'q': profile['name']})}")
    page.get_by_test_id("spend-select").first.check()
    page.get_by_test_id("bulk-limit").fill("120")
    with page.expect_navigation():
        page.get_by_test_id("bulk-preview").click()
    assert _trail(page) == ["Spend limits", "Change spend limits"]
    # Back to the overview as it was filtered.
    trail = page.get_by_role("navigation", name="Breadcrumb")
    href = trail.get_by_role("link", name="Spend limits").get_attribute("href")
    assert urlencode({"q": profile["name"]}) in href


def test_empty_results_look_the_same_everywhere(
    support_user, auditor, page, signed_in, dashboard_url, seed_short_codes
):
    def assert_empty_state(region: str) -> None:
        wait_for_htmx_idle(page)
        box = page.locator(region)
        expect(box.locator(".empty-state[role=status]")).to_have_count(1)
        expect(box.locator("table")).to_have_count(0)  # no headers over nothing
        expect(box).not_to_contain_text("0 results")

    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/?q=no+such+profile+anywhere")
    assert_empty_state("#profile-table")
    page.goto(f"{dashboard_url}/short-codes/?number=000000")
    assert_empty_state("#table")

    page.context.clear_cookies()
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/audit/?user=nobody-at-all")
    assert_empty_state("#table")
