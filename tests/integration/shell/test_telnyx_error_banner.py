"""TelnyxErrorMiddleware: Telnyx failures become the banner, never a 500."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.integration.shell.urls_raising")]

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/profiles/?q=acme"}


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("connection", "We could not connect to Telnyx, so nothing was sent."),
        ("timeout", "Telnyx did not answer in time."),
        ("server-error", "Telnyx answered with a server error."),
        ("auth", "Telnyx refused our credentials"),
        ("forbidden", "Telnyx refused our credentials"),
        ("unexpected", "Telnyx answered with status 418."),
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


def test_a_timed_out_write_does_not_claim_nothing_changed(support_client):
    body = support_client.post("/_test/fail/timeout/", {"name": "x"}, **HTMX).content.decode()
    assert "reload the page to see whether it was applied" in body
    assert "nothing was sent" not in body
    # A read that timed out changed nothing, so it does not ask the user to check.
    assert "whether it was applied" not in support_client.get("/_test/fail/timeout/", **HTMX).content.decode()


@pytest.mark.parametrize(("kind", "error"), [("validation", "ValidationFailed"), ("not-found", "NotFound")])
def test_errors_that_views_handle_are_left_to_the_views(support_client, kind, error):
    # Unhandled here, they propagate (the test client re-raises instead of rendering 500).
    with pytest.raises(Exception, match=r"bad input|gone") as caught:
        support_client.get(f"/_test/fail/{kind}/")
    assert type(caught.value).__name__ == error


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
