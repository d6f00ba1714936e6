"""The official telnyx SDK drives the sandbox's messaging-profile operations (1-7) as the seed shows them."""

import uuid
from datetime import datetime

import pytest

from tests.contract import SDK_TESTS

pytestmark = SDK_TESTS

ACME = "Acme Bulk Notifications"


@pytest.fixture
def acme(fresh_sandbox):
    return fresh_sandbox.profile_named(ACME)


def test_list_auto_paginates_across_three_pages(fresh_sandbox, telnyx_sdk):
    fresh_sandbox.clear_stats()
    profiles = list(telnyx_sdk.messaging_profiles.list())
    assert len(profiles) == 57
    assert len({profile.id for profile in profiles}) == 57
    assert profiles[0].name == ACME
    assert fresh_sandbox.stats()["requests"] == {"GET /v2/messaging_profiles": 3}


def test_list_pages_by_number_and_size(fresh_sandbox, telnyx_sdk):
    page = telnyx_sdk.messaging_profiles.list(page_number=2, page_size=25)
    assert (page.meta.page_number, page.meta.page_size, page.meta.total_pages, page.meta.total_results) == (
        2,
        25,
        3,
        57,
    )
    assert len(page.data) == 25
    assert not telnyx_sdk.messaging_profiles.list(page_number=4).data


def test_list_filters_by_name(fresh_sandbox, telnyx_sdk):
    assert [p.name for p in telnyx_sdk.messaging_profiles.list(filter_name_eq=ACME)] == [ACME]
    assert [p.name for p in telnyx_sdk.messaging_profiles.list(filter={"name": ACME})] == [ACME]
    contains = [p.name for p in telnyx_sdk.messaging_profiles.list(filter_name_contains="acme")]
    assert ACME in contains and all("acme" in name.lower() for name in contains)


def test_retrieve_returns_every_field_typed(acme, telnyx_sdk):
    profile = telnyx_sdk.messaging_profiles.retrieve(acme["id"]).data
    assert profile.id == acme["id"]
    assert profile.name == ACME
    assert profile.record_type == "messaging_profile"
    assert isinstance(profile.daily_spend_limit, str)
    assert isinstance(profile.created_at, datetime) and isinstance(profile.updated_at, datetime)
    assert profile.whitelisted_destinations == acme["whitelisted_destinations"]
    assert profile.v1_secret == acme["v1_secret"]
    assert profile.webhook_api_version == acme["webhook_api_version"]


def test_create_update_delete(sandbox, telnyx_sdk):
    created = telnyx_sdk.messaging_profiles.create(
        name="SDK contract profile",
        whitelisted_destinations=["US", "CA"],
        webhook_url="https://hooks.example.com/sdk",
        daily_spend_limit="75.50",
        daily_spend_limit_enabled=True,
        number_pool_settings={"toll_free_weight": 10, "long_code_weight": 2, "skip_unhealthy": True},
        url_shortener_settings={"domain": "acct.fyi", "prefix": "sdk"},
        alpha_sender="SDKTEST",
    ).data
    assert uuid.UUID(created.id)
    assert created.daily_spend_limit == "75.50"
    assert created.number_pool_settings.long_code_weight == 2
    assert created.number_pool_settings.sticky_sender is False
    assert created.url_shortener_settings.prefix == "sdk"
    assert telnyx_sdk.messaging_profiles.retrieve(created.id).data.name == "SDK contract profile"

    updated = telnyx_sdk.messaging_profiles.update(
        created.id, name="SDK contract profile (renamed)", number_pool_settings=None, enabled=False
    ).data
    assert (updated.name, updated.number_pool_settings, updated.enabled) == (
        "SDK contract profile (renamed)",
        None,
        False,
    )
    assert updated.daily_spend_limit == "75.50"
    assert updated.updated_at > created.updated_at
    assert telnyx_sdk.messaging_profiles.update(created.id).data.updated_at > updated.updated_at

    deleted = telnyx_sdk.messaging_profiles.delete(created.id).data
    assert deleted.id == created.id
    assert sandbox.get(f"/messaging_profiles/{created.id}").status_code == 404


def test_list_phone_numbers_auto_paginates_thousands(acme, telnyx_sdk):
    numbers = list(telnyx_sdk.messaging_profiles.list_phone_numbers(acme["id"], page_size=250))
    assert len(numbers) >= 5000
    assert len({number.id for number in numbers}) == len(numbers)
    assert {number.messaging_profile_id for number in numbers} == {acme["id"]}
    assert {number.type for number in numbers} == {"longcode", "tollfree"}
    first = numbers[0]
    assert first.phone_number.startswith("+")
    assert 0 <= first.health.success_ratio <= 1
    assert isinstance(first.features.sms.domestic_two_way, bool)


def test_list_short_codes_of_a_profile(acme, telnyx_sdk):
    codes = list(telnyx_sdk.messaging_profiles.list_short_codes(acme["id"]))
    assert codes
    assert {code.messaging_profile_id for code in codes} == {acme["id"]}
    assert all(code.record_type == "short_code" for code in codes)
