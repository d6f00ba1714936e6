"""Every failure class, produced by a real server: the sandbox, or a local HTML server where it cannot."""

import time
import uuid

import pytest

from devservers.ports import free_port
from telnyx_admin.telnyx import errors, profiles
from tests.fixtures.telnyx import requests_to


def test_a_wrong_key_is_auth_failed(telnyx_settings, settings):
    settings.TELNYX_API_KEY = "not-the-sandbox-key"
    with pytest.raises(errors.AuthFailed) as caught:
        profiles.list_profiles()
    assert caught.value.status == 401 and caught.value.errors[0].code == "10009"


def test_403_is_forbidden(telnyx_settings, sandbox):
    sandbox.set_faults(error_rate=1.0, error_status=403)
    with pytest.raises(errors.Forbidden) as caught:
        profiles.list_profiles()
    assert caught.value.status == 403


def test_404_is_not_found(telnyx_settings):
    with pytest.raises(errors.NotFound):
        profiles.retrieve_profile(profile_id=str(uuid.uuid4()))


def test_422_carries_code_title_detail_and_pointer(telnyx_settings):
    with pytest.raises(errors.ValidationFailed) as caught:
        profiles.create_profile(
            fields={"name": "x", "whitelisted_destinations": ["US"], "alpha_sender": "way too long!"}
        )
    (error,) = caught.value.errors
    assert (error.code, error.title, error.pointer) == ("10015", "Bad Request", "/alpha_sender")
    assert error.detail
    assert caught.value.field_errors() == {"/alpha_sender": [error.detail]}


def test_429_carries_retry_after(telnyx_settings, sandbox, settings):
    settings.TELNYX_MAX_RETRY_AFTER = 3
    sandbox.set_faults(rate_limit={"limit": 1, "window_seconds": 60}, retry_after_seconds=42)
    profiles.list_profiles()
    started = time.monotonic()
    with pytest.raises(errors.RateLimited) as caught:
        profiles.list_profiles()
    assert caught.value.retry_after == 42
    assert time.monotonic() - started < 1, "a Retry-After above TELNYX_MAX_RETRY_AFTER is not slept on"
    assert requests_to(sandbox, "GET /v2/messaging_profiles") == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_api_unavailable(telnyx_settings, sandbox, settings, status):
    settings.TELNYX_MAX_RETRIES = 1
    sandbox.set_faults(error_rate=1.0, error_status=status)
    with pytest.raises(errors.ApiUnavailable) as caught:
        profiles.list_profiles()
    assert type(caught.value) is errors.ApiUnavailable and caught.value.status == status


def test_another_status_is_unexpected(telnyx_settings, sandbox):
    sandbox.set_faults(error_rate=1.0, error_status=409)
    with pytest.raises(errors.UnexpectedStatus) as caught:
        profiles.list_profiles()
    assert caught.value.status == 409


def test_an_html_error_page_is_handled(settings, html_server):
    settings.TELNYX_API_BASE_URL = html_server.base_url
    settings.TELNYX_MAX_RETRIES = 0
    html_server.status = 502
    with pytest.raises(errors.ApiUnavailable) as caught:
        profiles.list_profiles()
    assert caught.value.status == 502 and caught.value.errors == ()
    assert "<html" not in caught.value.message


def test_an_html_page_with_200_is_not_mistaken_for_data(settings, html_server):
    settings.TELNYX_API_BASE_URL = html_server.base_url
    html_server.status = 200
    with pytest.raises(errors.UnexpectedStatus):
        profiles.retrieve_profile(profile_id=str(uuid.uuid4()))


def test_an_html_404_is_not_found(settings, html_server):
    settings.TELNYX_API_BASE_URL = html_server.base_url
    html_server.status = 404
    with pytest.raises(errors.NotFound):
        profiles.retrieve_profile(profile_id=str(uuid.uuid4()))


def test_nobody_listening_is_connection_failed(settings):
    settings.TELNYX_API_BASE_URL = f"http://127.0.0.1:{free_port()}/v2"
    settings.TELNYX_MAX_RETRIES = 1
    with pytest.raises(errors.ConnectionFailed):
        profiles.list_profiles()


def test_every_error_is_a_telnyx_error():
    for kind in (
        errors.ApiUnavailable,
        errors.ConnectionFailed,
        errors.RequestTimeout,
        errors.AuthFailed,
        errors.Forbidden,
        errors.NotFound,
        errors.ValidationFailed,
        errors.RateLimited,
        errors.UnexpectedStatus,
    ):
        assert issubclass(kind, errors.TelnyxError)
