"""Profile writes in Chromium: create (error beside the field, then fix), edit with the number-pool
toggle, the account managers' spend limit, delete with typed confirmation, and an auditor's view."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _profile(sandbox, profile_id: str) -> dict:
    return sandbox.get(f"/messaging_profiles/{profile_id}").json()["data"]


def test_create_shows_the_error_beside_the_field_then_saves(
    role_users, page, signed_in, dashboard_url, telnyx_settings
):
    name = f"Browser created {uuid.uuid4().hex[:6]}"
    signed_in(page, role_users["support"].username)
    page.goto(f"{dashboard_url}/profiles/")
    page.get_by_role("link", name="New profile").click()

    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("United States (US)").check()
    page.get_by_label("Germany (DE)").check()  # a second click adds, it does not replace
    chosen = page.locator("[data-multiselect-chosen] .chip")
    expect(chosen).to_have_text(["Germany (DE)", "United States (US)"])  # kept in sight while scrolling
    # Support staff do not set spend limits: the field is not even on their form.
    expect(page.get_by_label("Daily spend limit (USD)")).to_have_count(0)
    sender = page.get_by_label("Alpha sender")
    sender.evaluate("input => input.removeAttribute('maxlength')")  # the server's rule, not the browser's
    sender.fill("TOO-LONG-SENDER")
    page.get_by_role("button", name="Create profile").click()

    error = page.locator('[data-field="alpha_sender"] .field-error')
    expect(error).to_be_visible()
    # Everything typed is still there, and the error sits inside the field's own box.
    expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    expect(page.get_by_label("Alpha sender")).to_have_value("TOO-LONG-SENDER")
    expect(page.get_by_label("Alpha sender")).to_have_attribute("aria-invalid", "true")
    assert page.locator("input[name=whitelisted_destinations]:checked").evaluate_all(
        "boxes => boxes.map(b => b.value)"
    ) == ["DE", "US"]
    expect(chosen).to_have_text(["Germany (DE)", "United States (US)"])  # rendered by the server too

    page.get_by_label("Alpha sender").fill("ACME")
    page.get_by_role("button", name="Create profile").click()

    page.wait_for_url(re.compile(r"/profiles/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("status").filter(has_text="was created successfully")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    created = telnyx_settings.profile_named(name)
    assert created["alpha_sender"] == "ACME"
    assert sorted(created["whitelisted_destinations"]) == ["DE", "US"]
    assert page.console_errors == []


def test_edit_with_the_number_pool_toggle(
    role_users, page, signed_in, dashboard_url, make_profile, telnyx_settings
):
    profile = make_profile()
    signed_in(page, role_users["support"].username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    page.get_by_role("link", name="Edit settings").click()

    pool = page.locator("#fieldset-number-pool")
    expect(pool).to_be_hidden()
    toggle = page.get_by_label("Use a number pool")
    toggle.focus()
    page.keyboard.press("Space")  # keyboard only
    expect(toggle).to_be_checked()
    expect(pool).to_be_visible()
    page.get_by_label("Toll-free weight").fill("1")
    page.get_by_label("Long code weight").fill("4")
    page.get_by_label("Skip unhealthy numbers").check()
    page.get_by_label("Webhook URL", exact=True).fill("https://hooks.example.com/browser")

    # While Telnyx is slow, the button is disabled and the indicator is on.
    telnyx_settings.set_faults(latency_ms=600)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("button", name="Save changes")).to_be_disabled()
    page.wait_for_url(f"{dashboard_url}/profiles/{profile['id']}/")
    telnyx_settings.clear_faults()
    expect(page.get_by_role("status").filter(has_text="was changed successfully")).to_be_visible()

    now = _profile(telnyx_settings, profile["id"])
    assert now["webhook_url"] == "https://hooks.example.com/browser"
    assert now["number_pool_settings"]["long_code_weight"] == 4
    assert now["number_pool_settings"]["skip_unhealthy"] is True

    # Switching it off hides the fields again and sends null.
    page.get_by_role("link", name="Edit settings").click()
    expect(pool).to_be_visible()
    page.get_by_label("Use a number pool").uncheck()
    expect(pool).to_be_hidden()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{dashboard_url}/profiles/{profile['id']}/")
    assert _profile(telnyx_settings, profile["id"])["number_pool_settings"] is None
    assert page.console_errors == []


def test_an_account_manager_sets_a_spend_limit(
    role_users, page, signed_in, dashboard_url, make_profile, telnyx_settings
):
    profile = make_profile(daily_spend_limit="100.00", daily_spend_limit_enabled=False)
    signed_in(page, role_users["account_manager"].username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    expect(page.get_by_role("link", name="Edit settings")).to_have_count(0)
    page.get_by_role("link", name="Change spend limit").click()

    expect(page.get_by_test_id("current-limit")).to_contain_text("USD 100.00")
    page.get_by_label("Daily spend limit (USD)").fill("80")
    page.get_by_label("Enforce the daily spend limit").check()
    page.get_by_role("button", name="Save spend limit").click()

    page.wait_for_url(f"{dashboard_url}/profiles/{profile['id']}/")
    expect(page.get_by_role("status").filter(has_text="spend limit")).to_be_visible()
    now = _profile(telnyx_settings, profile["id"])
    assert (now["daily_spend_limit"], now["daily_spend_limit_enabled"]) == ("80", True)
    assert page.console_errors == []


def test_delete_needs_the_typed_name(
    role_users, page, signed_in, dashboard_url, make_profile, telnyx_settings
):
    profile = make_profile()
    signed_in(page, role_users["support"].username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    page.get_by_role("link", name="Delete").click()

    expect(page.get_by_test_id("delete-impact")).to_contain_text("0 phone numbers")
    field = page.get_by_label("Type the profile's name to confirm")
    field.fill("not the name")
    page.get_by_role("button", name="Delete this profile").click()
    expect(page.locator('[data-field="confirm_name"] .field-error')).to_contain_text("not the profile's name")
    page.wait_for_function("() => document.activeElement.dataset.testid === 'error-summary'")
    assert _profile(telnyx_settings, profile["id"])["id"] == profile["id"]

    page.get_by_label("Type the profile's name to confirm").fill(profile["name"])
    page.keyboard.press("Enter")

    page.wait_for_url(f"{dashboard_url}/profiles/")
    expect(page.get_by_role("status").filter(has_text="was deleted successfully")).to_contain_text(
        profile["name"]
    )
    assert telnyx_settings.get(f"/messaging_profiles/{profile['id']}").status_code == 404
    assert page.console_errors == []


def test_an_auditor_sees_no_edit_controls(role_users, page, signed_in, dashboard_url, make_profile):
    profile = make_profile()
    signed_in(page, role_users["auditor"].username)
    page.goto(f"{dashboard_url}/profiles/")
    expect(page.get_by_role("link", name="New profile")).to_have_count(0)

    page.goto(f"{dashboard_url}/profiles/{profile['id']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(profile["name"])
    actions = page.get_by_test_id("profile-actions")
    for name in ("Edit settings", "Change spend limit", "Delete"):
        expect(actions.get_by_role("link", name=name)).to_have_count(0)

    for path in ("edit/", "spend-limit/", "delete/"):
        response = page.goto(f"{dashboard_url}/profiles/{profile['id']}/{path}")
        assert response.status == 403


def test_a_conflict_keeps_the_input_and_save_anyway_overwrites(
    role_users, page, signed_in, dashboard_url, make_profile, telnyx_settings
):
    profile = make_profile()
    signed_in(page, role_users["support"].username)
    page.goto(f"{dashboard_url}/profiles/{profile['id']}/edit/")
    page.get_by_label("Alpha sender").fill("MINE")
    # Someone changes the profile through the API while the form is open.
    telnyx_settings.patch(f"/messaging_profiles/{profile['id']}", json={"alpha_sender": "THEIRS"})

    page.get_by_role("button", name="Save changes").click()

    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_contain_text("Alpha sender")
    # A structured panel: a heading, what changed (now at Telnyx, and yours), the actions; focus on it.
    expect(conflict.get_by_role("heading")).to_contain_text("changed while you were editing")
    expect(conflict.get_by_role("row", name="Alpha sender")).to_contain_text("THEIRS")
    expect(conflict.get_by_role("row", name="Alpha sender")).to_contain_text("MINE")
    page.wait_for_function("() => document.activeElement.dataset.testid === 'conflict'")
    # Only what differs is listed: destinations come back in option order, which is no change.
    expect(conflict).not_to_contain_text("Destinations")
    expect(page.get_by_label("Alpha sender")).to_have_value("MINE")
    assert _profile(telnyx_settings, profile["id"])["alpha_sender"] == "THEIRS"

    page.get_by_role("button", name="Save my values anyway").click()
    page.wait_for_url(f"{dashboard_url}/profiles/{profile['id']}/")
    assert _profile(telnyx_settings, profile["id"])["alpha_sender"] == "MINE"
    assert page.console_errors == []
