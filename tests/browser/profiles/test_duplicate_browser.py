"""Duplicating a profile in Chromium: "Duplicate" on its page opens the create form filled in with its
settings, the copy is created, and its history names the profile it came from."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duplicate_opens_the_filled_in_create_form_and_records_the_source(
    role_users, page, signed_in, dashboard_url, sandbox_profile, sandbox
):
    source = sandbox_profile(
        name=f"Browser source {uuid.uuid4().hex[:6]}",
        whitelisted_destinations=["US", "DE"],
        webhook_url="https://hooks.example.com/browser-source",
        alpha_sender="ACME",
        daily_spend_limit="42.00",
    )
    signed_in(page, role_users["support"].username)
    page.goto(f"{dashboard_url}/profiles/{source['id']}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Duplicate").click()

    expect(page).to_have_url(f"{dashboard_url}/profiles/{source['id']}/duplicate/")
    expect(page.get_by_test_id("duplicate-of")).to_contain_text(source["name"])
    expect(page.get_by_label("Name", exact=True)).to_have_value(f"{source['name']} (copy)")
    expect(page.get_by_label("Webhook URL", exact=True)).to_have_value(
        "https://hooks.example.com/browser-source"
    )
    expect(page.get_by_label("Alpha sender")).to_have_value("ACME")
    expect(page.locator("[data-multiselect-chosen] .chip")).to_have_text(
        ["Germany (DE)", "United States (US)"]
    )
    # Support staff do not set spend limits: not on their form, so not copied either.
    expect(page.get_by_label("Daily spend limit (USD)")).to_have_count(0)

    page.get_by_label("Name", exact=True).fill(f"{source['name']} (copy for EU)")
    page.get_by_role("button", name="Create profile").click()
    expect(page.locator("#messages")).to_contain_text("(copy for EU)")
    expect(page).to_have_url(re.compile(r"/profiles/[0-9a-f-]{36}/$"))
    copy_id = page.url.rstrip("/").rsplit("/", 1)[1]
    assert copy_id != source["id"]
    copy = sandbox.get(f"/messaging_profiles/{copy_id}").json()["data"]
    assert copy["webhook_url"] == "https://hooks.example.com/browser-source"
    assert copy["v1_secret"] != source["v1_secret"]

    page.get_by_role("tab", name="History").click()
    duplicated = page.get_by_test_id("duplicated-from")
    expect(duplicated).to_contain_text(source["id"])
    with page.expect_navigation():
        duplicated.get_by_role("link").click()
    expect(page).to_have_url(f"{dashboard_url}/profiles/{source['id']}/")
    assert page.console_errors == []
    sandbox.delete(f"/messaging_profiles/{copy_id}")
