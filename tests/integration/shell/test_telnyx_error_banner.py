"""TelnyxErrorMiddleware: Telnyx failures and write-path outcomes become the banner, never a 500."""

import pytest

from audit.models import AuditEntry
from devservers.fault_proxy import FaultProxy
from loadtests.soak.pages import told_in_place

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.integration.shell.urls_raising")]

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/profiles/?q=acme"}


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("connection", "We could not connect to Telnyx, so nothing was sent."),
        ("broken", "The connection to Telnyx broke before it answered."),
        ("timeout", "Telnyx did not answer in time."),
        ("server-error", "Telnyx answered with a server error."),
        ("auth", "Telnyx refused our credentials"),
        ("forbidden", "Telnyx refused our credentials"),
        ("unexpected", "Telnyx answered with status 302."),
    ],
)
def test_a_full_page_request_gets_the_503_page_with_the_banner(support_client, kind, text):
    response = support_client.get(f"/_test/fail/{kind}/?page=2")
    assert response.status_code == 503
    body = response.content.decode()
    assert text in body
    assert f'href="/_test/fail/{kind}/?page=2"' in body  # the retry link
    assert "<nav" in body  # the site's layout, not a bare error


def test_rate_limiting_answers_429_with_retry_after(support_client):
    response = support_client.get("/_test/fail/rate-limited/")
    assert response.status_code == 429
    assert response["Retry-After"] == "8"
    assert "Retry in 8 s." in response.content.decode()


def test_an_htmx_request_gets_the_banner_retargeted_into_messages(support_client):
    response = support_client.get("/_test/fail/rate-limited/", **HTMX)
    assert response.status_code == 200  # htmx 2 ignores the body of error statuses
    assert response["HX-Retarget"] == "#messages"
    assert response["HX-Reswap"] == "innerHTML"
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-testid="telnyx-banner"' in body
    assert 'href="/profiles/?q=acme"' in body


def test_an_htmx_post_keeps_the_form_in_place(support_client):
    response = support_client.post("/_test/fail/connection/", {"name": "x"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#messages"
    assert "nothing was sent" in response.content.decode()


def test_a_plain_telnyx_failure_on_a_save_says_nothing_was_changed(support_client):
    """Writes go through the write path, which turns "may have been applied" into its own outcomes;
    a plain Telnyx failure reaching the middleware from a save was a read before sending."""
    body = support_client.post("/_test/fail/timeout/", {"name": "x"}, **HTMX).content.decode()
    assert "Telnyx did not answer in time. Nothing was changed." in body
    # A read that timed out is not about changes at all.
    assert "Nothing was changed" not in support_client.get("/_test/fail/timeout/", **HTMX).content.decode()


@pytest.mark.parametrize(
    ("referer", "link"),
    [
        ("http://testserver/short-codes/abc/?page=2", 'href="/short-codes/abc/?page=2"'),
        ("https://elsewhere.example/short-codes/abc/", None),
        ("", None),
    ],
    ids=["this-site", "another-site", "none"],
)
def test_a_full_page_save_tries_again_from_the_page_the_form_was_on(support_client, referer, link):
    """Not the save's own address: many answer only POST, and a link to one was a 405."""
    headers = {"HTTP_REFERER": referer} if referer else {}
    body = support_client.post("/_test/fail/server-error/", {"name": "x"}, **headers).content.decode()
    assert "Nothing was changed." in body
    if link is None:
        assert "Try again" not in body
    else:
        assert link in body and "Try again" in body


@pytest.mark.parametrize(
    ("kind", "status", "text"),
    [
        ("unknown", 503, "We do not know yet whether the change was applied"),
        ("not-applied", 503, "We read the object back from Telnyx: the change was not applied."),
        ("busy", 409, "Another save of this object is still in progress, so nothing was sent."),
        ("not-recorded", 503, "The audit log could not record this change, so nothing was sent to Telnyx."),
        ("validation", 409, "Telnyx refused the request"),
        ("teapot", 409, "Telnyx answered with status 418."),
        ("stale", 409, "was changed by someone else"),
    ],
)
def test_write_outcomes_and_refusals_nobody_caught_are_a_banner(support_client, kind, status, text):
    response = support_client.post(f"/_test/fail/{kind}/", {"name": "x"})
    assert response.status_code == status
    assert text in response.content.decode()
    htmx = support_client.post(f"/_test/fail/{kind}/", {"name": "x"}, **HTMX)
    assert htmx.status_code == 200 and htmx["HX-Retarget"] == "#messages"
    assert text in htmx.content.decode()


def test_an_uncaught_not_found_is_the_404_page(support_client):
    response = support_client.get("/_test/fail/not-found/")
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()


def test_the_failure_is_logged_without_the_message_or_key(support_client, caplog, settings):
    settings.TELNYX_API_KEY = "KEY-secret-value-123456"
    support_client.get("/_test/fail/auth/")
    logged = " ".join(
        record.getMessage() for record in caplog.records if record.name == "telnyx_admin.middleware"
    )
    assert "AuthFailed" in logged
    assert "/_test/fail/auth/" in logged
    assert "KEY-secret-value-123456" not in logged


def test_a_real_outage_of_the_sandbox_shows_the_banner(support_client, telnyx_settings):
    assert support_client.get("/_test/list/").status_code == 200
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    response = support_client.get("/_test/list/")
    assert response.status_code == 503
    assert "Telnyx is unavailable" in response.content.decode()


def test_a_real_rate_limit_from_the_sandbox_shows_retry_in(support_client, telnyx_settings, settings):
    settings.TELNYX_MAX_RETRY_AFTER = 1
    telnyx_settings.set_faults(rate_limit={"limit": 1, "window_seconds": 60}, retry_after_seconds=30)
    support_client.get("/_test/list/")
    response = support_client.get("/_test/list/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#messages"
    assert "Retry in 30 s." in response.content.decode()


def _a_short_code(sandbox) -> dict:
    return sandbox.get("/short_codes", params={"page[size]": 1}).json()["data"][0]


def test_a_read_failing_after_an_applied_write_says_the_change_was_applied(support_client, telnyx_settings):
    code = _a_short_code(telnyx_settings)
    response = support_client.post(f"/_test/write-then-fail/{code['id']}/", {"tag": "applied"}, **HTMX)

    body = response.content.decode()
    assert "Your change was applied at Telnyx before this" in body
    assert "Nothing was changed" not in body and "Try again" not in body
    assert told_in_place(response.status_code, body).outcome == "saved"  # as the soak reads it
    assert telnyx_settings.get(f"/short_codes/{code['id']}").json()["data"]["tags"] == ["applied"]


def test_a_read_failing_after_a_refused_write_says_nothing_was_changed(support_client, telnyx_settings):
    code = _a_short_code(telnyx_settings)
    response = support_client.post(f"/_test/write-then-fail/{code['id']}/", {"tag": "x" * 500}, **HTMX)

    body = response.content.decode()
    assert "The connection to Telnyx broke before it answered. Nothing was changed." in body
    assert told_in_place(response.status_code, body).outcome == "failed"
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.resolution) == ("failure", "answered")  # sent, and Telnyx refused it


def test_a_read_failing_after_an_undecided_write_says_so(support_client, telnyx_settings, settings):
    code = _a_short_code(telnyx_settings)
    settings.TELNYX_MAX_RETRIES = 0
    with FaultProxy(telnyx_settings.base_url) as proxy:
        settings.TELNYX_API_BASE_URL = proxy.api_url
        proxy.lose_answers(count=1, then_lose_reads=1)  # the write's answer, then the read-back's
        response = support_client.post(f"/_test/write-then-fail/{code['id']}/", {"tag": "maybe"}, **HTMX)

    body = response.content.decode()
    assert "We do not know yet whether the change was applied" in body
    assert "Nothing was changed" not in body
    assert told_in_place(response.status_code, body).outcome == "unknown"
    assert AuditEntry.objects.get().outcome == "unknown"
