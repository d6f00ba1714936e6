"""The spend-limit overview of the large account (2,000 profiles) in Chromium: sort, filter as the
fields change (no Filter button with JavaScript on), URL state."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from profiles import catalog
from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _column(page, index: int) -> list[str]:
    # An account manager's rows start with the selection box: column 1 is the name.
    return page.locator(f"[data-testid=spend-row] td:nth-child({index + 1})").all_inner_texts()


def _limits(page) -> list[Decimal | None]:
    return [
        None if text == "no limit" else Decimal(text.removeprefix("USD\u00a0").replace(",", ""))
        for text in _column(page, 2)
    ]


@pytest.fixture
def overview_page(account_manager, page, signed_in, large_telnyx_settings, settings, dashboard_url):
    settings.TELNYX_API_BASE_URL = large_telnyx_settings.api_url  # the large account, not the default
    settings.TELNYX_ACCOUNT = "browser-overview"
    catalog.invalidate()
    signed_in(page, account_manager.username)
    page.goto(f"{dashboard_url}/spend-limits/")
    yield page
    catalog.invalidate()


def test_sort_filter_and_the_url_keep_the_state(overview_page, dashboard_url):
    page = overview_page
    assert page.get_by_test_id("total-profiles").inner_text() == "2,000"
    assert len(_column(page, 1)) == 20
    assert page.get_by_test_id("spend-chart").is_visible()

    page.get_by_test_id("sort-limit").click()
    page.wait_for_url("**/spend-limits/?sort=limit")
    wait_for_htmx_idle(page)
    ascending = _limits(page)
    assert ascending == sorted(ascending)
    page.get_by_test_id("sort-limit").click()
    page.wait_for_url("**/spend-limits/?sort=-limit")
    wait_for_htmx_idle(page)
    assert _limits(page) == sorted(_limits(page), reverse=True)

    expect(page.get_by_role("button", name="Filter")).to_be_hidden()  # filters apply as they change
    page.get_by_test_id("spend-enforcement").select_option("not_enforced")
    page.wait_for_url("**enforcement=not_enforced**")
    wait_for_htmx_idle(page)
    assert set(_column(page, 3)) == {"No"}
    assert "sort=-limit" in page.url  # the sort survives a new filter

    page.get_by_test_id("spend-q").press_sequentially("care", delay=30)
    page.wait_for_url("**q=care**")
    wait_for_htmx_idle(page)
    names = _column(page, 1)
    assert names and all("care" in name.lower() for name in names)

    page.reload()  # the state is in the URL
    assert page.get_by_test_id("spend-q").input_value() == "care"
    assert page.get_by_test_id("spend-enforcement").input_value() == "not_enforced"
    assert _column(page, 1) == names

    page.go_back()
    page.wait_for_url("**/spend-limits/?enforcement=not_enforced&sort=-limit")
    wait_for_htmx_idle(page)
    assert set(_column(page, 3)) == {"No"} and not page.get_by_test_id("spend-q").input_value()
    assert page.console_errors == []


def test_a_bad_amount_is_explained_and_kept(overview_page):
    page = overview_page
    page.get_by_test_id("spend-above").fill("a lot")
    page.get_by_test_id("spend-above").press("Enter")
    page.wait_for_url("**above=a+lot**")
    wait_for_htmx_idle(page)
    assert (
        "Enter an amount in USD, such as 100 or 25.50." in page.get_by_test_id("spend-overview").inner_text()
    )
    assert page.get_by_test_id("spend-above").input_value() == "a lot"
    assert page.get_by_test_id("total-profiles").inner_text() == "2,000"
    assert page.console_errors == []
