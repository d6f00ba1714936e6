"""axe-core finds no violations, of any impact, on any page: every role, English and Chinese.

Each test is one role in one language: one signed-in browser context walks every page that role
may open (and one it may not, for the 403 page), with the states worth seeing: every tab of a
profile, a form's errors, a 404, Telnyx unavailable. Violations are collected across the walk and
reported together. The pages of an account that cannot work yet (no role, locked out) are one more
walk per language.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from devservers.html_forms import form_values, with_values
from jobs.kinds import PlannedRow
from jobs.services import job_create
from tests.fixtures.axe import axe_violations, describe_violations, with_axe
from tests.fixtures.browser import type_until_answered, wait_for_htmx_idle
from tests.fixtures.users import USER_PASSWORD, client_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

SUPPORT, ACCOUNTS, AUDITOR = "support", "account_manager", "auditor"
# The browser's Accept-Language, and the <html lang> the dashboard must answer with.
LANGUAGES = {"en": ("en-US", "en"), "zh-hans": ("zh-CN", "zh-hans")}
MISSING_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def site(telnyx_settings, make_profile, role_users) -> dict[str, Any]:
    """Ids of the objects the pages show, and one audited edit so history and audit log have rows."""
    sandbox = telnyx_settings
    codes = sandbox.get("/short_codes", params={"page[size]": 100}).json()["data"]
    bound = next(code for code in codes if code.get("messaging_profile_id"))
    unbound = next(code for code in codes if not code.get("messaging_profile_id"))
    scratch = make_profile()

    client = client_for(role_users[SUPPORT])
    edit_url = f"/profiles/{scratch['id']}/edit/"
    form = form_values(client.get(edit_url).content.decode(), form_id="profile-form")
    saved = client.post(edit_url, dict(with_values(form, webhook_url="https://hooks.example.com/after")))
    assert saved.status_code == 302, saved.content.decode()[:2000]

    job = job_create(
        kind="profiles.count_phone_numbers",
        actor=role_users[SUPPORT],
        rows=[PlannedRow(object_id=scratch["id"], label=scratch["name"])],
    )
    return {
        "profile": bound["messaging_profile_id"],
        "profile_name": sandbox.get(f"/messaging_profiles/{bound['messaging_profile_id']}").json()["data"][
            "name"
        ],
        "scratch": scratch["id"],
        "bound_code": bound["id"],
        "unbound_code": unbound["id"],
        "job": job.pk,
    }


def pages_for(role: str, ids: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, path) of every page `role` may open, plus the audit log (a 403 page for most roles)."""
    everyone = [
        ("profile list", "/profiles/"),
        ("profile list, searched with no match", "/profiles/?q=no-such-profile-anywhere"),
        ("spend-limit overview", "/spend-limits/"),
        ("short-code list", "/short-codes/"),
        ("short-code detail (bound)", f"/short-codes/{ids['bound_code']}/"),
        ("short-code detail (unbound, bind form)", f"/short-codes/{ids['unbound_code']}/"),
        ("number lookup", "/numbers/"),
        ("number lookup, not found, a filter that is not one", "/numbers/?q=%2B19990000000&spam_above=lots"),
        ("job list", "/jobs/"),
        ("job detail", f"/jobs/{ids['job']}/"),
        ("audit log", "/audit/"),
        ("not found", f"/profiles/{MISSING_ID}/"),
    ]
    by_role = {
        SUPPORT: [
            ("new profile", "/profiles/new/"),
            ("edit profile", f"/profiles/{ids['scratch']}/edit/"),
            ("duplicate profile", f"/profiles/{ids['scratch']}/duplicate/"),
            ("delete profile", f"/profiles/{ids['scratch']}/delete/"),
        ],
        ACCOUNTS: [
            ("spend limit", f"/profiles/{ids['scratch']}/spend-limit/"),
            ("spend-limit import", "/spend-limits/import/"),
        ],
        AUDITOR: [("audit log, filtered", "/audit/?action=profile.update")],
    }
    return everyone + by_role[role]


def _check(page, where: str, found: dict[str, list]) -> None:
    violations = axe_violations(page)
    if violations:
        found[where] = violations


def _sign_in(page, base_url: str, username: str) -> None:
    # By field name, not label: the labels are in the page's language.
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", USER_PASSWORD)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")


@pytest.fixture
def axe_context(browser, request):
    locale = LANGUAGES[request.node.callspec.params["language"]][0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    context.set_default_timeout(15_000)
    with_axe(context)
    try:
        yield context
    finally:
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", [SUPPORT, ACCOUNTS, AUDITOR])
def test_no_axe_violations_on_any_page(
    role, language, role_users, site, axe_context, dashboard_url, telnyx_settings
):
    page = axe_context.new_page()
    found: dict[str, list] = {}

    page.goto(f"{dashboard_url}/accounts/login/")
    assert page.get_attribute("html", "lang") == LANGUAGES[language][1]
    _check(page, "sign-in", found)
    page.click("form.form button[type=submit]")  # empty: the form's errors
    page.wait_for_load_state()
    _check(page, "sign-in with errors", found)
    _sign_in(page, dashboard_url, role_users[role].username)

    for name, path in pages_for(role, site):
        page.goto(f"{dashboard_url}{path}")
        wait_for_htmx_idle(page)
        _check(page, f"{name} ({path})", found)

    # Every tab of a profile, each loaded by htmx into the page.
    page.goto(f"{dashboard_url}/profiles/{site['profile']}/")
    tabs = page.locator('[role="tablist"] [role="tab"]')
    assert tabs.count() >= 2
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        tab.click()
        wait_for_htmx_idle(page)
        _check(page, f"profile detail, tab {tab.get_attribute('id')}", found)

    # Telnyx down: the page that says so, with its banner.
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    try:
        page.goto(f"{dashboard_url}/short-codes/")
        assert page.locator("[data-testid=telnyx-banner]").count() == 1
        _check(page, "Telnyx unavailable (/short-codes/)", found)
    finally:
        telnyx_settings.clear_faults()

    if role == SUPPORT:
        page.goto(f"{dashboard_url}/profiles/new/")
        page.click("[data-testid=profile-save]")
        page.wait_for_selector(".field-error")
        wait_for_htmx_idle(page)
        _check(page, "new profile, submitted empty (errors)", found)
        # The preview of a bulk bind: two short codes ticked, the profile found by name.
        page.goto(f"{dashboard_url}/short-codes/?profile=unassigned")
        page.locator('input[name="short_code_id"]').nth(0).check()
        page.locator('input[name="short_code_id"]').nth(1).check()
        type_until_answered(page, page.locator("[data-testid=bulk-picker-search]"), "Acme", delay=20)
        page.locator("[data-testid=bulk-picker-options] input[type=radio]").first.check()
        with page.expect_navigation():
            page.click("[data-testid=bulk-preview]")
        page.wait_for_selector("[data-testid=bulk-preview-table]")
        _check(page, "bulk short-code preview", found)

    if role == ACCOUNTS:
        # A row of the overview opened for inline edit, then the preview of a bulk change.
        # The site's own profile, by name: the first row of the cached overview may be a profile
        # another test on this worker has deleted since, whose edit row would never come.
        page.goto(f"{dashboard_url}/spend-limits/?{urlencode({'q': site['profile_name']})}")
        page.locator(f"#spend-row-{site['profile']} [data-testid=spend-edit]").click()
        page.wait_for_selector("[data-testid=spend-edit-row]")
        wait_for_htmx_idle(page)
        _check(page, "spend-limit overview, a row in inline edit", found)
        page.goto(f"{dashboard_url}/spend-limits/?{urlencode({'q': site['profile_name']})}")
        page.locator("[data-testid=spend-select]").first.check()
        page.fill("[data-testid=bulk-limit]", "120")
        with page.expect_navigation():
            page.click("[data-testid=bulk-preview]")
        page.wait_for_selector("[data-testid=plan-table]")
        _check(page, "bulk spend-limit preview", found)

    # On a phone the layout changes, and with it some of what axe checks (contrast over other content).
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (("profile list", "/profiles/"), ("profile detail", f"/profiles/{site['profile']}/")):
        page.goto(f"{dashboard_url}{path}")
        wait_for_htmx_idle(page)
        _check(page, f"{name} at 390 px ({path})", found)

    assert not found, f"axe-core violations ({role}, {language}):\n" + describe_violations(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations_on_the_no_role_and_lockout_pages(
    language, groupless_user, axe_context, dashboard_url, settings, no_lockouts
):
    page = axe_context.new_page()
    found: dict[str, list] = {}

    # Signed in, but in no group yet: every page is the polite 403.
    _sign_in(page, dashboard_url, groupless_user.username)
    page.goto(f"{dashboard_url}/profiles/")
    assert page.locator("[data-testid=error-403]").count() == 1
    _check(page, "no role yet (403)", found)

    # Too many wrong passwords: the lockout page.
    axe_context.clear_cookies()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{dashboard_url}/accounts/login/")
        page.fill("input[name=username]", groupless_user.username)
        page.fill("input[name=password]", "not-the-password")
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
    assert page.locator("[data-testid=lockout]").count() == 1
    _check(page, "locked out", found)

    assert not found, f"axe-core violations ({language}):\n" + describe_violations(found)
