"""POST /messaging_profiles."""

import pytest

from telnyx_admin.telnyx import errors, profiles


def test_it_creates_and_returns_the_profile(telnyx_settings, fresh_sandbox):
    created = profiles.create_profile(
        fields={
            "name": "Service layer test",
            "whitelisted_destinations": ["US", "CA"],
            "daily_spend_limit": "12.50",
            "number_pool_settings": profiles.NumberPoolSettings(
                toll_free_weight=2, long_code_weight=1, skip_unhealthy=True
            ),
        }
    )
    assert created.name == "Service layer test"
    assert created.whitelisted_destinations == ("US", "CA")
    assert created.daily_spend_limit == "12.50"
    assert created.number_pool_settings == profiles.NumberPoolSettings(
        toll_free_weight=2, long_code_weight=1, skip_unhealthy=True
    )
    assert profiles.retrieve_profile(profile_id=created.id) == created


def test_field_errors_are_keyed_by_json_pointer(telnyx_settings, sandbox):
    with pytest.raises(errors.ValidationFailed) as caught:
        profiles.create_profile(
            fields={
                "name": "Bad",
                "whitelisted_destinations": ["US", "usa"],
                "daily_spend_limit": "ten dollars",
                "number_pool_settings": {"toll_free_weight": 1},
            }
        )
    found = caught.value.field_errors()
    assert set(found) >= {
        "/whitelisted_destinations/1",
        "/daily_spend_limit",
        "/number_pool_settings/long_code_weight",
    }
    assert all(messages and all(messages) for messages in found.values())
    assert {e.code for e in caught.value.errors} <= {"10004", "10015", "10020"}
    assert caught.value.status == 422


def test_a_missing_required_field_points_at_it(telnyx_settings, sandbox):
    with pytest.raises(errors.ValidationFailed) as caught:
        profiles.create_profile(fields={"name": "No destinations"})
    assert "/whitelisted_destinations" in caught.value.field_errors()
