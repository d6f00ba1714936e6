"""The SDK raises its typed exceptions where the real API would make it: 401, 404, 422, 429, 5xx, dropped."""

from types import ModuleType

import pytest

from tests.contract import SDK_TESTS

pytestmark = SDK_TESTS
MISSING = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"


@pytest.fixture
def telnyx() -> ModuleType:
    """The SDK, for its exception classes: imported when a test here runs, not at collection."""
    import telnyx

    return telnyx


def test_a_wrong_key_raises_authentication_error(telnyx, sandbox):
    client = telnyx.Telnyx(api_key="not-the-key", base_url=sandbox.api_url, max_retries=0)
    with pytest.raises(telnyx.AuthenticationError) as raised:
        client.messaging_profiles.list()
    assert raised.value.status_code == 401
    assert raised.value.body["errors"][0]["code"] == "10009"


@pytest.mark.parametrize(
    "call",
    [
        lambda sdk: sdk.messaging_profiles.retrieve(MISSING),
        lambda sdk: sdk.messaging_profiles.update(MISSING, name="x"),
        lambda sdk: sdk.messaging_profiles.delete(MISSING),
        lambda sdk: sdk.messaging_profiles.list_phone_numbers(MISSING),
        lambda sdk: sdk.messaging_profiles.list_short_codes(MISSING),
        lambda sdk: sdk.short_codes.retrieve(MISSING),
        lambda sdk: sdk.short_codes.update(MISSING, messaging_profile_id=None),
    ],
    ids=[
        "retrieve",
        "update",
        "delete",
        "phone-numbers",
        "profile-short-codes",
        "short-code",
        "short-code-update",
    ],
)
def test_unknown_ids_raise_not_found(telnyx, sandbox, telnyx_sdk, call):
    with pytest.raises(telnyx.NotFoundError) as raised:
        call(telnyx_sdk)
    assert raised.value.body["errors"][0]["code"] == "10005"


def test_invalid_bodies_raise_unprocessable_entity_with_pointers(telnyx, sandbox, telnyx_sdk):
    with pytest.raises(telnyx.UnprocessableEntityError) as raised:
        telnyx_sdk.messaging_profiles.create(
            name="Invalid", whitelisted_destinations=["US", "*"], daily_spend_limit="ten"
        )
    pointers = {error["source"]["pointer"] for error in raised.value.body["errors"]}
    assert pointers == {"/whitelisted_destinations/1", "/daily_spend_limit"}


def test_binding_to_a_missing_profile_raises_unprocessable_entity(telnyx, fresh_sandbox, telnyx_sdk):
    code = telnyx_sdk.short_codes.list().data[0]
    with pytest.raises(telnyx.UnprocessableEntityError) as raised:
        telnyx_sdk.short_codes.update(code.id, messaging_profile_id=MISSING)
    assert raised.value.body["errors"][0]["source"] == {"pointer": "/messaging_profile_id"}


def test_rate_limiting_raises_rate_limit_error_with_retry_after(telnyx, sandbox, telnyx_sdk):
    sandbox.set_faults(rate_limit={"limit": 2, "window_seconds": 60})
    telnyx_sdk.short_codes.list()
    telnyx_sdk.short_codes.list()
    with pytest.raises(telnyx.RateLimitError) as raised:
        telnyx_sdk.short_codes.list()
    assert raised.value.status_code == 429
    assert 1 <= int(raised.value.response.headers["Retry-After"]) <= 60
    assert raised.value.body["errors"][0]["code"] == "10011"


def test_injected_server_errors_raise_internal_server_error(telnyx, sandbox, telnyx_sdk):
    sandbox.set_faults(error_rate=1, error_status=503)
    with pytest.raises(telnyx.InternalServerError) as raised:
        telnyx_sdk.messaging_profiles.list()
    assert raised.value.status_code == 503


def test_dropped_connections_raise_api_connection_error(telnyx, sandbox, telnyx_sdk):
    sandbox.set_faults(drop_rate=1)
    with pytest.raises(telnyx.APIConnectionError):
        telnyx_sdk.messaging_profiles.list()


def test_the_sdks_own_retries_get_through_an_intermittent_failure(telnyx, sandbox):
    sandbox.set_faults(error_rate=0.5, error_status=503, retry_after_seconds=0)
    with telnyx.Telnyx(api_key=sandbox.api_key, base_url=sandbox.api_url, max_retries=2) as client:
        assert client.short_codes.list().data  # request 1 succeeds
        assert client.short_codes.list().data  # request 2 gets a 503, its retry succeeds
    stats = sandbox.stats()
    assert stats["requests"]["GET /v2/short_codes"] == 3
    assert stats["faults"]["error"] == 1
