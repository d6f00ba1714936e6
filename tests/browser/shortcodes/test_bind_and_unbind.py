"""In Chromium: filter unassigned short codes, bind one to a profile found by typing part of its name,
see it on that profile's short-codes tab, and unbind it there."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import type_until_answered

pytestmark = pytest.mark.browser


def test_filter_bind_by_typing_and_unbind_on_the_profile_tab(
    page, dashboard_url, signed_in, support_user, seed_short_codes
):
    from playwright.sync_api import expect

    bulk = seed_short_codes.profile()  # "Acme Bulk Notifications"
    signed_in(page, support_user.username)

    # 1. Filter: unassigned only. htmx swaps the table and the URL keeps the filter.
    page.goto(f"{dashboard_url}/short-codes/")
    rows = page.get_by_test_id("short-code-row")
    expect(rows).to_have_count(20)
    page.get_by_label("Unassigned only").check()
    expect(page).to_have_url(re.compile(r"[?&]profile=unassigned"))
    expect(rows).to_have_count(12)
    expect(page.get_by_test_id("unassigned")).to_have_count(12)

    # 2. Open the first unassigned short code and bind it to a profile found by part of its name.
    first = rows.first.get_by_role("link")
    number = first.inner_text()
    with page.expect_navigation():  # htmx must be set up before typing in the picker
        first.click()
    expect(page.get_by_role("heading", name=f"Short code {number}")).to_be_visible()
    type_until_answered(page, page.get_by_label("Bind to a profile: find it by name"), "Acme Bulk")
    option = page.get_by_role("radio", name=re.compile(r"^Acme Bulk Notifications"))
    expect(option).to_be_visible()
    option.check()
    page.get_by_role("button", name="Bind").click()
    expect(page.get_by_text(f"Short code {number} is now bound to {bulk['name']}.")).to_be_visible()
    expect(page.get_by_test_id("bound-profile")).to_have_text(bulk["name"])
    expect(page.get_by_test_id("history")).to_contain_text("short_code.bind")

    # 3. The profile's short-codes tab lists it.
    with page.expect_navigation():
        page.get_by_test_id("bound-profile").get_by_role("link").click()
    expect(page).to_have_url(f"{dashboard_url}/profiles/{bulk['id']}/")
    page.get_by_role("tab", name="Short codes").click()
    tab = page.get_by_test_id("short-codes-tab")
    row = tab.get_by_test_id("tab-row").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(tab.get_by_test_id("tab-row")).to_have_count(5)

    # 4. Unbind it there, with a confirmation step, without leaving the profile page.
    row.get_by_role("link", name=f"Unbind {number}").click()
    confirm = tab.get_by_test_id("tab-unbind-confirm")
    expect(confirm).to_contain_text(f"Unbind {number} from this profile?")
    confirm.get_by_role("button", name="Unbind").click()
    expect(tab.get_by_text(f"Short code {number} was unbound from this profile.")).to_be_visible()
    expect(tab.get_by_test_id("tab-row")).to_have_count(4)
    expect(page).to_have_url(f"{dashboard_url}/profiles/{bulk['id']}/?tab=short-codes")

    code = next(c for c in seed_short_codes.all() if c["short_code"] == number)
    assert code["messaging_profile_id"] is None
    assert page.console_errors == []


def test_the_picker_is_usable_from_the_keyboard(
    page, dashboard_url, signed_in, support_user, seed_short_codes
):
    from playwright.sync_api import expect

    bulk = seed_short_codes.profile()
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/short-codes/")
    search = page.get_by_label("Filter by profile: find it by name")
    search.focus()
    page.keyboard.type("Acme Bulk")
    expect(page.get_by_role("button", name=re.compile(r"^Acme Bulk Notifications"))).to_be_visible()
    page.keyboard.press("Tab")  # into the matching profiles
    page.keyboard.press("Enter")  # choose the focused one
    expect(page).to_have_url(re.compile(rf"[?&]profile={bulk['id']}"))
    expect(page.get_by_test_id("short-code-row")).to_have_count(4)
    # One group says which filter is on: the chosen profile is not also a second selected radio.
    expect(page.locator("#filters").get_by_role("radio", checked=True)).to_have_count(1)
    expect(page.get_by_test_id("filter-bound")).to_be_checked()
    assert page.console_errors == []


def test_an_auditor_sees_no_write_controls(page, dashboard_url, signed_in, auditor, seed_short_codes):
    from playwright.sync_api import expect

    code = seed_short_codes.unassigned()[0]
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/short-codes/{code['id']}/")
    expect(page.get_by_role("heading", name=f"Short code {code['short_code']}")).to_be_visible()
    expect(page.get_by_test_id("bind-form")).to_have_count(0)
    expect(page.get_by_test_id("tags-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Bind")).to_have_count(0)
