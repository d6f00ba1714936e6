"""The profile list and detail tabs in Chromium: search as you type, paging with Back/Forward, tabs."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BULK = "Acme Bulk Notifications"


def _names(page) -> list[str]:
    return page.get_by_test_id("profile-table").locator("tbody tr td:first-child").all_inner_texts()


def _list_requests(page) -> list[str]:
    """URLs of the list requests the page sends from now on (htmx swaps included)."""
    seen: list[str] = []
    page.on("request", lambda request: "/profiles/?" in request.url and seen.append(request.url))
    return seen


def test_search_as_you_type_swaps_only_the_table(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    assert len(_names(page)) == 20
    page.evaluate("window.__marker = 'same document'")  # survives an htmx swap, not a page load
    sent = _list_requests(page)

    page.get_by_test_id("profile-search").press_sequentially("notifications", delay=40)
    page.wait_for_url("**/profiles/?q=notifications*")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#profile-table tbody tr td:first-child')]"
        ".every(td => td.innerText.toLowerCase().includes('notifications'))"
    )
    names = _names(page)
    assert names and all("notifications" in name.lower() for name in names)
    assert page.evaluate("window.__marker") == "same document"
    # Debounced: one request per pause in typing, not one per key (13 keys were typed).
    assert 1 <= len(sent) < 5, sent
    assert sent[-1].endswith("q=notifications&page_size=20")
    # A pause in typing longer than the debounce (a busy machine) sends a search that the next key
    # replaces (hx-sync): htmx logs each abandoned one. Nothing else may be logged.
    superseded = {"htmx:afterRequest, [object HTMLDivElement]", "htmx:sendAbort, [object HTMLDivElement]"}
    assert [error for error in page.console_errors if error not in superseded] == []


def test_a_search_that_finds_nothing_says_so_and_reload_keeps_it(
    support_user, page, signed_in, dashboard_url
):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    page.get_by_test_id("profile-search").fill("no such profile anywhere")
    page.wait_for_url("**/profiles/?q=no%20such%20profile%20anywhere*")
    assert "No messaging profile has a name containing" in page.get_by_test_id("empty-state").inner_text()
    page.reload()
    assert page.get_by_test_id("profile-search").input_value() == "no such profile anywhere"
    assert page.get_by_test_id("empty-state").is_visible()


def test_paging_works_with_back_and_forward(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    first = _names(page)
    page.evaluate("window.__marker = 'same document'")
    pager = page.get_by_role("navigation", name="Pages")

    pager.get_by_role("link", name="Next").click()
    page.wait_for_url("**/profiles/?page=2")
    page.wait_for_function("() => document.querySelector('.pager [aria-current=page]').innerText === '2'")
    second = _names(page)
    assert second and second != first

    pager.get_by_role("link", name="3", exact=True).click()
    page.wait_for_url("**/profiles/?page=3")
    page.wait_for_function("() => document.querySelector('.pager [aria-current=page]').innerText === '3'")
    third = _names(page)
    assert third and third != second
    assert page.evaluate("window.__marker") == "same document"

    page.go_back()
    page.wait_for_url("**/profiles/?page=2")
    assert _names(page) == second
    page.go_back()
    page.wait_for_url(re.compile(r".*/profiles/$"))
    assert _names(page) == first
    page.go_forward()
    page.wait_for_url("**/profiles/?page=2")
    assert _names(page) == second
    assert page.console_errors == []


def test_page_size_is_kept_by_a_new_search(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    page.get_by_label("Per page").select_option("50")
    page.wait_for_url("**/profiles/?page_size=50")
    page.wait_for_function("() => document.querySelectorAll('#profile-table tbody tr').length > 20")
    page.get_by_test_id("profile-search").fill("a")
    page.wait_for_url("**/profiles/?q=a&page_size=50")
    assert page.get_by_label("Per page").input_value() == "50"


def test_a_pasted_id_opens_the_profile_and_its_tabs_load(
    support_user, page, signed_in, dashboard_url, sandbox
):
    profile = sandbox.profile_named(BULK)
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    page.get_by_test_id("profile-search").fill(profile["id"])
    page.wait_for_url(f"**/profiles/{profile['id']}/")
    assert page.get_by_role("heading", level=1).inner_text() == BULK

    numbers = page.get_by_test_id("phone-numbers")  # the first tab loads by itself
    numbers.locator("tbody tr").first.wait_for()
    assert numbers.locator("tbody tr").count() == 20
    numbers.get_by_role("link", name="Next").click()
    page.wait_for_url(f"**/profiles/{profile['id']}/phone-numbers/?page=2")
    page.wait_for_function(
        "() => document.querySelector('#phone-numbers [aria-current=page]').innerText === '2'"
    )

    history_tab = page.get_by_role("tab", name="History")
    history_tab.click()
    page.get_by_test_id("history").wait_for()
    assert history_tab.get_attribute("aria-selected") == "true"
    assert page.get_by_role("tab", name="Phone numbers").get_attribute("aria-selected") == "false"
    page.get_by_role("tab", name="Short codes").click()
    page.wait_for_function("() => !document.querySelector('#tab-panel [data-testid=history]')")
    assert page.console_errors == []
