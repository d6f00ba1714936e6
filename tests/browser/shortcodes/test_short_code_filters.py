"""The short-code list's filters in Chromium: search by number as you type, combined with the profile
filter; the Filter button is hidden while filters apply by themselves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_by_number_as_you_type_and_with_the_profile_filter(
    page, dashboard_url, signed_in, support_user, seed_short_codes
):
    code = seed_short_codes.unassigned()[0]
    number = code["short_code"]
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/short-codes/")
    expect(page.get_by_role("button", name="Filter")).to_be_hidden()  # filters apply by themselves
    rows = page.get_by_test_id("short-code-row")

    page.get_by_label("Short code number contains").press_sequentially(number, delay=30)
    page.wait_for_url(f"**/short-codes/?number={number}")
    wait_for_htmx_idle(page)
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link")).to_have_text(number)

    page.get_by_label("Unassigned only").check()
    expect(page).to_have_url(re.compile(rf"\?number={number}&profile=unassigned$"))
    expect(rows).to_have_count(1)
    page.reload()
    expect(page.get_by_label("Short code number contains")).to_have_value(number)
    expect(rows).to_have_count(1)

    page.get_by_label("Short code number contains").fill("000000")
    expect(page.get_by_test_id("empty-state")).to_contain_text("No short code number contains “000000”")
    assert page.console_errors == []
