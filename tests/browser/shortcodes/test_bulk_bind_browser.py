"""In Chromium: tick short codes on the list, bind them to a profile found by name, check the preview,
confirm, and follow the job on the real worker until each row has its outcome; one is refused
because someone changed it at Telnyx after the preview was confirmed."""

from __future__ import annotations

import re

import pytest

from audit.models import AuditEntry
from jobs.models import Job
from tests.fixtures.browser import type_until_answered, wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A lease long enough that a loaded machine never hands a row to a second run mid-send.
STEADY = {"JOBS_LEASE_SECONDS": "30"}


def test_bulk_bind_with_one_refused_row(
    page, dashboard_url, signed_in, support_user, seed_short_codes, job_worker_factory
):
    from playwright.sync_api import expect

    target = seed_short_codes.profile()  # "Acme Bulk Notifications"
    signed_in(page, support_user.username)
    page.goto(f"{dashboard_url}/short-codes/?profile=unassigned")
    rows = page.get_by_test_id("short-code-row")
    expect(rows).to_have_count(12)
    codes = seed_short_codes.unassigned()
    listed = [rows.nth(index).get_by_role("link").inner_text() for index in range(3)]
    chosen = [next(code for code in codes if code["short_code"] == number) for number in listed]

    # The header box ticks and clears the whole page.
    boxes = page.locator('input[name="short_code_id"]')
    page.get_by_test_id("select-page").check()
    expect(page.locator('input[name="short_code_id"]:checked')).to_have_count(12)
    page.get_by_test_id("select-page").uncheck()
    expect(page.locator('input[name="short_code_id"]:checked')).to_have_count(0)
    expect(boxes).to_have_count(12)

    # 1. Tick three: the first two with a click, the third from the keyboard.
    page.get_by_label(f"Tick {listed[0]}").check()
    page.get_by_label(f"Tick {listed[1]}").check()
    page.get_by_label(f"Tick {listed[2]}").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label(f"Tick {listed[2]}")).to_be_checked()

    # 2. The profile, found by typing part of its name; then the preview.
    type_until_answered(page, page.get_by_label("Bind to: find the profile by name"), "Acme Bulk")
    option = page.get_by_test_id("bulk-picker-options").get_by_role(
        "radio", name=re.compile(r"^Acme Bulk Notifications")
    )
    expect(option).to_be_visible()
    option.check()
    with page.expect_navigation():
        page.get_by_test_id("bulk-preview").click()
    expect(page.get_by_role("heading", name=f"Bind short codes to {target['name']}: preview")).to_be_visible()
    preview = page.get_by_test_id("bulk-row")
    expect(preview).to_have_count(3)
    for number in listed:
        row = preview.filter(has_text=number)
        expect(row).to_contain_text("Unassigned")
        expect(row).to_contain_text(target["name"])
    expect(page.get_by_test_id("bulk-summary")).to_contain_text("3 short codes will change.")

    # 3. Confirm. No worker runs yet: the job waits, and meanwhile someone edits one at Telnyx.
    with page.expect_navigation():
        page.get_by_test_id("bulk-confirm").click()
    expect(page.locator("#messages")).to_contain_text("Started: 3 short codes will be changed")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bind short codes to a profile")
    edited = chosen[1]
    seed_short_codes.sandbox.patch(
        f"/short_codes/{edited['id']}", json={"messaging_profile_id": None, "tags": ["edited-elsewhere"]}
    ).raise_for_status()
    job_worker_factory(**STEADY)

    # 4. The page follows the job to the end: two applied, one refused with the reason.
    page.wait_for_selector("[data-testid=job-progress][data-status=done]", timeout=60_000)
    page.wait_for_selector("#job-rows[data-finished=true]", timeout=30_000)
    wait_for_htmx_idle(page)
    expect(page.locator("[data-testid=job-row][data-status=applied]")).to_have_count(2)
    refused = page.locator("[data-testid=job-row][data-status=refused]")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text(edited["short_code"])
    expect(refused).to_contain_text("Changed meanwhile")
    expect(page.get_by_test_id("count-refused")).to_contain_text("1")

    # Telnyx holds the two changes; the edited one stays as its editor left it.
    for code in chosen:
        bound = seed_short_codes.short_code(code["id"])["messaging_profile_id"]
        assert bound == (None if code is edited else target["id"])
    job = Job.objects.get()
    assert AuditEntry.objects.filter(object_type="short_code").count() == 3
    assert AuditEntry.objects.filter(object_type="job", object_id=str(job.pk)).count() == 1
    assert page.console_errors == []
