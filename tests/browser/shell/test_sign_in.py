"""Sign in through the real form as each role, see only that role's navigation, sign out, lock out."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _exists(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def _expected_nav(*sections: tuple[str, str]) -> list[str]:
    # Sections whose pages are not built yet have no link for anyone.
    return [label for label, url_name in sections if _exists(url_name)]


PROFILES = ("Profiles", "profiles:list")
SPEND_LIMITS = ("Spend limits", "spend_limits:overview")
NUMBERS = ("Numbers", "numbers:list")
SHORT_CODES = ("Short codes", "shortcodes:list")
JOBS = ("Jobs", "jobs:list")
AUDIT = ("Audit log", "audit:log")
ADMIN = ("Users & groups", "admin:index")

NAV_BY_ROLE = {
    "support": [PROFILES, SPEND_LIMITS, NUMBERS, SHORT_CODES, JOBS],
    "account_manager": [PROFILES, SPEND_LIMITS, NUMBERS, SHORT_CODES, JOBS],
    "auditor": [PROFILES, SPEND_LIMITS, NUMBERS, SHORT_CODES, JOBS, AUDIT],
    "superuser": [PROFILES, SPEND_LIMITS, NUMBERS, SHORT_CODES, JOBS, AUDIT, ADMIN],
}
ROLE_CHIPS = {
    "support": ["Support staff"],
    "account_manager": ["Account managers"],
    "auditor": ["Auditors"],
    "superuser": ["Administrator"],
}


@pytest.mark.parametrize("role", sorted(NAV_BY_ROLE))
def test_each_role_sees_only_its_navigation(role, role_users, page, sign_in, dashboard_url):
    user = role_users[role]
    sign_in(page, user.username)

    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == _expected_nav(*NAV_BY_ROLE[role])
    assert page.get_by_test_id("signed-in-user").inner_text() == user.username
    chips = page.locator(".session .chip").all_inner_texts()
    assert chips == ROLE_CHIPS[role]
    assert page.console_errors == []  # no CSP violation, no script error


def test_an_auditor_can_open_the_audit_log_and_a_support_user_cannot(
    role_users, page, sign_in, dashboard_url
):
    from playwright.sync_api import expect

    sign_in(page, role_users["auditor"].username)
    page.get_by_role("link", name="Audit log").click()
    # Waits for the page the click opens (is_visible() would look once, maybe at the old page).
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, role_users["support"].username)
    response = page.goto(f"{dashboard_url}/audit/")
    assert response.status == 403
    assert page.get_by_role("heading", name="You may not do that").is_visible()


def test_sign_out_ends_the_session(role_users, page, sign_in, dashboard_url):
    sign_in(page, role_users["auditor"].username)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert re.search(r"/accounts/login/$", page.url)
    assert page.get_by_role("heading", name="Sign in").is_visible()

    page.goto(f"{dashboard_url}/audit/")
    assert "/accounts/login/?next=/audit/" in page.url


def test_a_user_without_a_role_gets_a_polite_page_and_can_sign_out(role_users, page, sign_in, dashboard_url):
    sign_in(page, role_users["groupless"].username)
    assert page.get_by_role("heading", name="Your account has no role yet").is_visible()
    assert page.get_by_role("navigation", name="Main").get_by_role("link").count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.url.endswith("/accounts/login/")


def test_wrong_password_shows_an_error_and_keeps_the_username(role_users, page, sign_in, no_lockouts):
    sign_in(page, role_users["support"].username, password="not-the-password")
    assert page.get_by_role("alert").inner_text().startswith("Please enter a correct username and password")
    assert page.get_by_label("Username").input_value() == role_users["support"].username


def test_too_many_failures_lock_the_account_with_a_clear_message(
    role_users, page, sign_in, settings, no_lockouts
):
    username = role_users["support"].username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(page, username, password="wrong-password")
        assert page.get_by_role("heading", name="Sign in").is_visible()
    sign_in(page, username, password="wrong-password")
    lockout = page.get_by_test_id("lockout")
    assert "Too many failed sign-in attempts" in page.get_by_role("heading").first.inner_text()
    assert "Try again in 15 minutes" in lockout.inner_text()

    # Even the right password is refused while locked.
    sign_in(page, username)
    assert page.get_by_test_id("lockout").is_visible()
