"""Account managers changing spend limits from the overview, in Chromium: inline edit (keyboard),
a bulk change previewed, confirmed, followed and cancelled, and a CSV import with a bad row."""

from __future__ import annotations

import secrets

import pytest

from audit.models import AuditEntry
from jobs.models import Job, JobRow
from profiles import catalog
from tests.fixtures.axe import axe_violations, describe_violations
from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def batch(make_profile):
    tag = f"Browser {secrets.token_hex(3)}"
    return tag, [make_profile(name=f"{tag} {n:02d}") for n in range(12)]


@pytest.fixture
def overview(batch, account_manager, page, signed_in, dashboard_url):
    tag, _ = batch
    catalog.invalidate()
    signed_in(page, account_manager.username)
    page.goto(f"{dashboard_url}/spend-limits/?q={tag.replace(' ', '+')}")
    yield page
    catalog.invalidate()


def _row(page, profile: dict):
    return page.locator(f"#spend-row-{profile['id']}")


def test_inline_edit_by_keyboard_with_a_conflict(overview, batch, telnyx_settings, dashboard_url):
    from playwright.sync_api import expect

    page = overview
    _, profiles = batch
    first, second = profiles[0], profiles[1]

    _row(page, first).get_by_test_id("spend-edit").click()
    amount = page.get_by_test_id("inline-limit")
    amount.wait_for()
    assert amount.evaluate("element => element === document.activeElement")
    amount.fill("64.50")
    amount.press("Enter")
    page.wait_for_selector(f"#spend-row-{first['id']}[data-testid=spend-row]")
    wait_for_htmx_idle(page)
    assert "64.50" in _row(page, first).inner_text()
    assert (
        _row(page, first)
        .get_by_test_id("spend-edit")
        .evaluate("element => element === document.activeElement")
    )

    # Escape puts the row back as it was.
    _row(page, second).get_by_test_id("spend-edit").click()
    page.get_by_test_id("inline-limit").fill("1")
    page.get_by_test_id("inline-limit").press("Escape")  # at once: the row may still be settling
    page.wait_for_selector(f"#spend-row-{second['id']}[data-testid=spend-row]")
    assert "100.00" in _row(page, second).inner_text()

    # Someone else changes the profile while its row is open: the conflict panel, input kept.
    _row(page, second).get_by_test_id("spend-edit").click()
    page.get_by_test_id("inline-limit").fill("12")
    telnyx_settings.patch(f"/messaging_profiles/{second['id']}", json={"daily_spend_limit": "500"})
    page.get_by_test_id("inline-limit").press("Enter")
    conflict = _row(page, second).get_by_test_id("conflict")
    conflict.wait_for()
    # The structured panel of the profile forms, focused, inside the row: a title, what changed
    # (now at Telnyx against the value typed), save-anyway and reload.
    page.wait_for_function("() => document.activeElement.dataset.testid === 'conflict'")
    assert conflict.get_attribute("role") == "alert"
    title = "Not saved: this profile changed while you were editing"
    expect(conflict.get_by_role("heading")).to_have_text(title)
    changed = conflict.get_by_test_id("conflict-fields")
    expect(changed.get_by_role("row")).to_have_count(2)  # the header and the limit
    expect(changed.get_by_role("row").nth(1)).to_contain_text("500")
    expect(changed.get_by_role("row").nth(1)).to_contain_text("12")
    expect(conflict.get_by_test_id("conflict-reload")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe_violations({"inline conflict": violations})
    assert page.get_by_test_id("inline-limit").input_value() == "12"
    page.get_by_test_id("conflict-overwrite").click()
    page.wait_for_selector(f"#spend-row-{second['id']}[data-testid=spend-row]")
    assert "12.00" in _row(page, second).inner_text()
    assert AuditEntry.objects.filter(action="profile.spend_limit", outcome="success").count() == 2
    assert page.console_errors == []


def test_bulk_preview_confirm_progress_and_cancel(overview, job_worker_factory):
    # A slow budget (2 calls a second for jobs), so the job is still running when it is cancelled.
    job_worker_factory(TELNYX_RATE_LIMIT="4", TELNYX_RATE_BURST="1", TELNYX_JOB_SHARE="0.5")
    page = overview

    page.get_by_test_id("bulk-scope-matching").check()
    page.get_by_test_id("bulk-limit").fill("99")
    page.get_by_test_id("bulk-enforce").select_option("on")
    with page.expect_navigation():
        page.get_by_test_id("bulk-preview").click()
    assert "12 to change, 0 already as wanted, 0 invalid." in page.get_by_test_id("plan-counts").inner_text()
    assert page.locator("[data-testid=plan-row][data-status=change]").count() == 12
    assert not Job.objects.exists()  # nothing started before the confirmation

    with page.expect_navigation():
        page.get_by_test_id("plan-confirm").click()
    assert "Started" in page.inner_text("#messages")
    page.wait_for_selector("[data-testid=job-progress][data-status=running]", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=count-applied] strong').textContent.startsWith('0')",
        timeout=60_000,
    )
    with page.expect_navigation():
        page.get_by_test_id("job-cancel").click()
    with page.expect_navigation():
        page.get_by_test_id("confirm-cancel").click()
    page.wait_for_selector("[data-testid=job-progress][data-status=cancelled]", timeout=60_000)

    job = Job.objects.get()
    applied = JobRow.objects.filter(job=job, status="applied").count()
    assert 0 < applied < 12 and job.not_done == 12 - applied
    # One audit entry per profile sent, plus the job's.
    assert AuditEntry.objects.filter(action="profile.spend_limit", outcome="success").count() == applied
    assert AuditEntry.objects.filter(action="profile.spend_limit_job").count() == 1
    assert page.console_errors == []


def test_import_with_a_bad_row(overview, batch, dashboard_url, job_worker, tmp_path):
    page = overview
    _, profiles = batch
    upload = tmp_path / "limits.csv"
    upload.write_text(
        "profile_id,daily_spend_limit,daily_spend_limit_enabled\n"
        f"{profiles[0]['id']},150,true\n"
        f"{profiles[1]['id']},-5,true\n"
    )
    with page.expect_navigation():
        page.get_by_test_id("spend-import-link").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    with page.expect_navigation():
        page.get_by_test_id("import-dry-run").click()

    invalid = page.locator("[data-testid=plan-row][data-status=invalid]")
    assert invalid.count() == 1 and "Enter an amount in USD" in invalid.inner_text()
    assert page.locator("[data-testid=plan-row][data-status=change]").count() == 1
    with page.expect_navigation():
        page.get_by_test_id("plan-confirm").click()
    page.wait_for_selector("[data-testid=job-progress][data-status=done]", timeout=60_000)
    assert "Applied: 1" in page.get_by_test_id("job-progress").inner_text()
    assert page.console_errors == []
