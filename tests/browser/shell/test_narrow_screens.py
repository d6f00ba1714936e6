"""No page scrolls sideways, on a phone (390 px) or a laptop (1280 px), in Chromium.

Each page of the dashboard is loaded (htmx fragments settled) and must be no wider than the window:
tables become stacked rows or drop low-priority columns on a phone, long URLs and messages wrap.
"""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from tests.fixtures.browser import wait_for_htmx_idle
from tests.fixtures.telnyx import BULK_PROFILE_NAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, LAPTOP = 390, 1280
LONG_URL = "https://hooks.example.com/" + "very-long-path-segment/" * 8 + "?token=" + "x" * 80
LONG_ERROR = (
    "'whitelisted_destinations' parameter is required when daily_spend_limit_enabled is true and the "
    "profile sends outbound messages (/whitelisted_destinations) " + "more detail " * 20
)


@pytest.fixture
def audit_entries(superuser):
    """Entries like the ones that made the log too wide: a long failure, a deletion with long values."""
    common = {
        "actor": superuser,
        "actor_username": superuser.username,
        "object_type": "messaging_profile",
        "request_id": "4d9c7f0e2b8a4c1f9e3d5a7b6c8d0e1f",
        "client_ip": "2001:db8:85a3::8a2e:370:7334",
    }
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                **common,
                action="profile.spend_limit",
                object_id="40017a2b-1111-4000-8000-00000000beef",
                object_label="Acme Bulk Notifications with a rather long name indeed",
                outcome="failure",
                error=LONG_ERROR,
                changes={"daily_spend_limit": {"before": "1000.00", "after": "150"}},
            ),
            AuditEntry(
                **common,
                action="profile.delete",
                object_id="40017a2b-2222-4000-8000-00000000beef",
                object_label="Deleted profile",
                outcome="success",
                changes={
                    "name": {"before": "Deleted profile", "after": None},
                    "webhook_url": {"before": LONG_URL, "after": None},
                    "whitelisted_destinations": {"before": ["GB", "US", "CA", "DE", "FR"], "after": None},
                },
            ),
        ]
    )


def _pages(sandbox) -> list[tuple[str, str]]:
    bulk = sandbox.profile_named(BULK_PROFILE_NAME)["id"]
    code = sandbox.get("/short_codes", params={"page[size]": 1}).json()["data"][0]["id"]
    return [
        ("profile list", "/profiles/"),
        ("profile detail", f"/profiles/{bulk}/"),
        ("short codes tab", f"/profiles/{bulk}/short-codes/"),
        ("history tab", f"/audit/history/messaging_profile/{bulk}/"),
        ("create form", "/profiles/new/"),
        ("edit form", f"/profiles/{bulk}/edit/"),
        ("spend limit form", f"/profiles/{bulk}/spend-limit/"),
        ("delete", f"/profiles/{bulk}/delete/"),
        ("duplicate form", f"/profiles/{bulk}/duplicate/"),
        ("short codes", "/short-codes/"),
        ("short code detail", f"/short-codes/{code}/"),
        ("spend limits", "/spend-limits/"),
        ("spend-limit CSV import", "/spend-limits/import/"),
        ("phone numbers", "/numbers/"),
        ("jobs", "/jobs/"),
        ("audit log", "/audit/"),
        ("admin", "/admin/"),
    ]


def _preview_short_code_unbinds(page) -> None:
    page.get_by_label("Unbind from their profiles").check()
    page.get_by_test_id("bulk-all-matching").check()
    with page.expect_navigation():
        page.get_by_test_id("bulk-preview").click()
    page.get_by_test_id("bulk-row").first.wait_for()


def _preview_spend_limits(page) -> None:
    page.get_by_test_id("bulk-scope-matching").check()
    page.get_by_test_id("bulk-limit").fill("99")
    with page.expect_navigation():
        page.get_by_test_id("bulk-preview").click()
    page.get_by_test_id("plan-counts").wait_for()


# Pages only a form's POST shows: the list they start from, and how the preview is asked for.
PREVIEWS = [("/short-codes/", _preview_short_code_unbinds), ("/spend-limits/", _preview_spend_limits)]


# Regions that would scroll sideways on their own (a table clipped inside its box counts as too wide).
_SCROLLING_REGIONS = """() => [...document.querySelectorAll('main *')]
    .filter(e => !e.matches('input, textarea, select') && e.scrollWidth > e.clientWidth + 1
                 && getComputedStyle(e).overflowX !== 'visible'
                 && getComputedStyle(e).overflowX !== 'hidden' && e.clientWidth > 0)
    .map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`)"""


def _too_wide(page, url: str) -> str | None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    return _too_wide_now(page, url)


def _too_wide_now(page, url: str) -> str | None:
    wait_for_htmx_idle(page)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        return f"{url}: {widths[0]} px wide in a {widths[1]} px window"
    scrolling = page.evaluate(_SCROLLING_REGIONS)
    if scrolling:
        return f"{url}: scrolls sideways inside {scrolling}"
    return None


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_no_page_scrolls_sideways(
    width, superuser, audit_entries, number_index, page, signed_in, dashboard_url, telnyx_settings
):
    # number_index: /numbers/ lists its table only once the index is built.
    signed_in(page, superuser.username)
    page.set_viewport_size({"width": width, "height": 844})

    too_wide = [
        problem for _, path in _pages(telnyx_settings) if (problem := _too_wide(page, dashboard_url + path))
    ]
    for start, preview in PREVIEWS:
        page.goto(dashboard_url + start)
        wait_for_htmx_idle(page)
        preview(page)
        if problem := _too_wide_now(page, f"preview from {start}"):
            too_wide.append(problem)

    assert too_wide == []


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_the_audit_log_shows_whole_failure_messages_and_the_request(
    width, auditor, audit_entries, page, signed_in, dashboard_url
):
    signed_in(page, auditor.username)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"{dashboard_url}/audit/")

    failure = page.get_by_text("more detail more detail", exact=False).first
    box = failure.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    request = page.get_by_text("4d9c7f0e", exact=False).first
    request.scroll_into_view_if_needed()
    request_box = request.bounding_box()
    assert request_box is not None and request_box["x"] + request_box["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_profile_tabs_fit_a_phone(support_user, page, signed_in, dashboard_url, telnyx_settings):
    bulk = telnyx_settings.profile_named(BULK_PROFILE_NAME)["id"]
    signed_in(page, support_user.username)
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(f"{dashboard_url}/profiles/{bulk}/")
    wait_for_htmx_idle(page)

    for tab in ("Phone numbers", "Short codes", "History"):
        page.get_by_role("tab", name=tab).click()
        wait_for_htmx_idle(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE, tab


def test_stacked_number_rows_name_their_values(auditor, number_index, page, signed_in, dashboard_url):
    signed_in(page, auditor.username)
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(f"{dashboard_url}/numbers/")
    row = page.get_by_test_id("number-row").first
    row.wait_for()

    # Under the phone layout each cell but the number shows its column's name before the value.
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content.replaceAll('\"', ''))"
    )
    assert labels == ["none", "Profile", "Type", "Country", "Messages", "Delivered", "Spam", "Tags"]


WEBHOOK_URL = (
    "https://hooks.telnyx-customer-example.com/webhooks/messaging/delivery-receipts/"
    "acme-bulk-notifications?account=acme&format=json"
)
# Line breaks inside an element, as the characters either side of each (text only screen readers hear
# is left out); a character's line is the top of its box.
_LINE_BREAKS = """element => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const chars = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('.visually-hidden')) continue;
        for (let i = 0; i < node.data.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (rect && rect.width > 0) chars.push([node.data[i], rect.top]);
        }
    }
    const breaks = [];
    for (let i = 1; i < chars.length; i++) {
        if (chars[i][1] > chars[i - 1][1] + 2) breaks.push(chars[i - 1][0] + chars[i][0]);
    }
    return breaks;
}"""


def _assert_wraps_between_parts(element, where: str) -> None:
    breaks = element.evaluate(_LINE_BREAKS)
    assert breaks, f"{where}: the URL fits one line, so the test shows nothing"
    assert all(pair[0] in "/.-?&=" for pair in breaks), f"{where}: breaks inside a word: {breaks}"


def test_long_urls_wrap_only_between_their_parts_and_money_stays_whole(
    superuser, page, signed_in, dashboard_url, make_profile
):
    profile = make_profile(webhook_url=WEBHOOK_URL, daily_spend_limit="1500.00")
    AuditEntry.objects.create(
        actor=superuser,
        actor_username=superuser.username,
        action="profile.update",
        object_type="messaging_profile",
        object_id=profile["id"],
        object_label=profile["name"],
        outcome="success",
        changes={
            "webhook_url": {"before": "https://hooks.example.com/before", "after": WEBHOOK_URL},
            "daily_spend_limit": {"before": "1000.00", "after": "1500.00"},
        },
    )
    signed_in(page, superuser.username)
    page.set_viewport_size({"width": PHONE, "height": 844})

    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    _assert_wraps_between_parts(page.locator("dd.cell-url").first, "profile detail")
    for name, path in (
        ("history", f"/audit/history/messaging_profile/{profile['id']}/"),
        ("audit log", "/audit/"),
    ):
        page.goto(dashboard_url + path)
        wait_for_htmx_idle(page)
        changes = page.locator(".cell-changes").first
        _assert_wraps_between_parts(changes.locator(".after").filter(has_text="https://"), name)
        # "USD 1,500.00": never the currency at a line's end and the amount on the next.
        for amount in changes.locator(".before, .after").filter(has_text="USD").all():
            assert amount.evaluate(_LINE_BREAKS) == [], f"{name}: {amount.inner_text()!r} wraps"
