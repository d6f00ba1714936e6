"""PATCH /messaging_profiles/{id}: only the changed fields travel."""

import uuid

import pytest

from telnyx_admin.telnyx import errors, profiles


def test_it_changes_only_what_was_sent(telnyx_settings, fresh_sandbox, bulk_profile_id):
    before = profiles.retrieve_profile(profile_id=bulk_profile_id)
    after = profiles.update_profile(
        profile_id=bulk_profile_id, changes={"daily_spend_limit": "77.00", "daily_spend_limit_enabled": True}
    )
    assert (after.daily_spend_limit, after.daily_spend_limit_enabled) == ("77.00", True)
    assert after.updated_at > before.updated_at
    unchanged = {
        k: v
        for k, v in before.to_dict().items()
        if k not in {"daily_spend_limit", "daily_spend_limit_enabled", "updated_at"}
    }
    assert {k: after.to_dict()[k] for k in unchanged} == unchanged


def test_null_disables_nested_settings(telnyx_settings, fresh_sandbox):
    with_pool = next(p for p in profiles.list_profiles(page_size=100) if p.number_pool_settings is not None)
    after = profiles.update_profile(profile_id=with_pool.id, changes={"number_pool_settings": None})
    assert after.number_pool_settings is None


def test_invalid_changes_are_rejected_with_pointers(telnyx_settings, sandbox, bulk_profile_id):
    with pytest.raises(errors.ValidationFailed) as caught:
        profiles.update_profile(profile_id=bulk_profile_id, changes={"webhook_api_version": "3"})
    assert list(caught.value.field_errors()) == ["/webhook_api_version"]


def test_an_unknown_profile_is_not_found(telnyx_settings, sandbox):
    with pytest.raises(errors.NotFound):
        profiles.update_profile(profile_id=str(uuid.uuid4()), changes={"name": "x"})
