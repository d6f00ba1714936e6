"""A background job in Chromium: started from the jobs page, followed by polling, cancelled."""

from __future__ import annotations

import pytest

from profiles import catalog
from tests.fixtures.browser import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]

COUNT = "profiles.count_phone_numbers"


@pytest.fixture
def jobs_page(fresh_sandbox, auditor, page, signed_in, dashboard_url):
    # The seed's 57 profiles exactly: other tests leave profiles of their own in the shared sandbox.
    catalog.invalidate()
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/jobs/")
    yield page
    catalog.invalidate()


def test_the_progress_bar_follows_the_job_to_the_end(jobs_page, job_worker):
    page = jobs_page
    with page.expect_navigation():
        page.get_by_test_id(f"start-{COUNT}").click()
    assert "Started: Count each profile's phone numbers (57 rows)." in page.inner_text("#messages")
    progress = page.get_by_test_id("job-progress")
    # htmx polls until the job is done; the rows table then reloads with every outcome.
    page.wait_for_selector("[data-testid=job-progress][data-status=done]", timeout=60_000)
    assert "57 of 57 rows finished (100%)" in progress.inner_text()
    page.wait_for_selector("#job-rows[data-finished=true]", timeout=30_000)
    wait_for_htmx_idle(page)
    assert page.locator("[data-testid=job-row][data-status=applied]").count() == 20
    assert "counted" in page.get_by_test_id("job-rows").inner_text()
    assert page.get_by_test_id("job-cancel").count() == 0
    # Stopped polling: nothing asks for the progress or the rows any more.
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url))
    page.wait_for_timeout(2500)
    assert polls == []
    assert page.console_errors == []


def test_cancel_asks_first_then_stops_the_job(jobs_page, job_worker_factory):
    job_worker_factory(TELNYX_RATE_LIMIT="4", TELNYX_RATE_BURST="1", TELNYX_JOB_SHARE="0.5")
    page = jobs_page
    with page.expect_navigation():
        page.get_by_test_id(f"start-{COUNT}").click()
    page.wait_for_selector("[data-testid=job-progress][data-status=running]", timeout=60_000)
    with page.expect_navigation():
        page.get_by_test_id("job-cancel").click()
    assert "Cancel this job?" in page.inner_text("h1")
    with page.expect_navigation():
        page.get_by_test_id("confirm-cancel").click()
    page.wait_for_selector("[data-testid=job-progress][data-status=cancelled]", timeout=60_000)
    text = page.get_by_test_id("job-progress").inner_text()
    assert "Not done:" in text and "Not done: 0" not in text
    assert page.console_errors == []
