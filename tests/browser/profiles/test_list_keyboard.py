"""The profile list by keyboard and under failure, in Chromium: focus and announcements after each
swap, "Per page" on a committed choice, a stable pager, honest search box and address bar."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "() => { const e = document.activeElement; return e && e !== document.body ? e.outerHTML : 'body'; }"


def _announced(page) -> str:
    page.wait_for_function("() => document.getElementById('announcer').textContent.trim() !== ''")
    return page.get_by_test_id("announcer").inner_text()


def test_enter_on_a_page_number_keeps_focus_on_the_pager_and_announces_the_count(
    support_user, page, signed_in, dashboard_url
):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    pager = page.get_by_role("navigation", name="Pages")
    pager.get_by_role("link", name="2", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/profiles/?page=2")
    wait_for_htmx_idle(page)

    focused = page.evaluate(ACTIVE)
    assert 'aria-current="page"' in focused and ">2</a>" in focused, focused
    assert re.fullmatch(r"\d+ results · page 2 of \d+", _announced(page))
    # The next Tab goes on along the pager, not back to "Skip to content".
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('nav')?.getAttribute('aria-label')") == "Pages"
    assert page.console_errors == []


def test_next_keeps_focus_and_its_place_from_page_to_page(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    pager = page.get_by_role("navigation", name="Pages")
    positions = []
    for expected in ("2", "3"):
        next_link = pager.get_by_role("link", name="Next")
        positions.append(next_link.bounding_box()["x"])
        next_link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/profiles/?page={expected}")
        wait_for_htmx_idle(page)
    # On the last page Next is shown disabled, in the same place; focus went to the current page.
    assert page.evaluate("() => document.activeElement.getAttribute('aria-current')") == "page"
    positions.append(pager.locator(".pager-end", has_text="Next").bounding_box()["x"])
    assert max(positions) - min(positions) < 1, positions


def test_per_page_waits_for_a_committed_choice_and_keeps_focus(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    sent: list[str] = []
    page.on("request", lambda request: "/profiles/?" in request.url and sent.append(request.url))
    size = page.get_by_label("Per page")
    size.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(400)
    assert sent == []  # browsing the sizes loads nothing
    assert size.input_value() == "100"

    page.keyboard.press("Enter")
    page.wait_for_url("**/profiles/?page_size=100")
    wait_for_htmx_idle(page)
    assert len(sent) == 1
    assert page.evaluate("() => document.activeElement.getAttribute('name')") == "page_size"
    assert page.get_by_label("Per page").input_value() == "100"
    assert _announced(page).endswith("results")


def test_a_mouse_pick_of_per_page_applies_at_once(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    page.get_by_label("Per page").select_option("50")
    page.wait_for_url("**/profiles/?page_size=50")


def test_show_all_profiles_empties_the_search_box(support_user, page, signed_in, dashboard_url):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    page.get_by_test_id("profile-search").fill("no such profile anywhere")
    page.get_by_test_id("empty-state").wait_for()
    assert "No messaging profile" in _announced(page)

    page.get_by_role("link", name="Show all profiles").click()
    page.wait_for_url(re.compile(r".*/profiles/$"))
    wait_for_htmx_idle(page)
    assert page.get_by_test_id("profile-search").input_value() == ""
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    page.wait_for_url("**/profiles/?page=2")
    assert page.get_by_test_id("profile-search").input_value() == ""


def test_a_failed_search_leaves_the_address_bar_alone(
    support_user, page, signed_in, dashboard_url, telnyx_settings
):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    page.get_by_test_id("profile-search").fill("acme")
    page.locator("#messages").get_by_test_id("telnyx-banner").wait_for()
    wait_for_htmx_idle(page)
    assert re.search(r"/profiles/$", page.url), page.url
    assert page.get_by_test_id("profile-table").get_attribute("aria-busy") is None  # not left dimmed


def test_the_table_is_dimmed_and_busy_while_it_loads(
    support_user, page, signed_in, dashboard_url, telnyx_settings
):
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    telnyx_settings.set_faults(latency_ms=800)
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Next").click()
    table = page.get_by_test_id("profile-table")
    page.wait_for_function("() => document.getElementById('profile-table').ariaBusy === 'true'")
    # Dimmed (after a short delay, so fast answers do not flicker) while the request runs.
    page.wait_for_function("() => getComputedStyle(document.getElementById('profile-table')).opacity < 1")
    page.wait_for_url("**/profiles/?page=2")
    wait_for_htmx_idle(page)
    assert table.get_attribute("aria-busy") is None
    # The loading bar sits inside a landmark (the banner).
    assert page.evaluate("() => !!document.getElementById('loading').closest('header')")
