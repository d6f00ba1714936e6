"""DELETE /messaging_profiles/{id}."""

import uuid

import pytest

from telnyx_admin.telnyx import errors, profiles


def test_it_deletes_and_returns_the_profile(telnyx_settings, fresh_sandbox):
    created = profiles.create_profile(fields={"name": "Doomed", "whitelisted_destinations": ["US"]})
    deleted = profiles.delete_profile(profile_id=created.id)
    assert deleted.id == created.id and deleted.name == "Doomed"
    with pytest.raises(errors.NotFound):
        profiles.retrieve_profile(profile_id=created.id)


def test_deleting_twice_is_not_found(telnyx_settings, fresh_sandbox):
    created = profiles.create_profile(fields={"name": "Once", "whitelisted_destinations": ["US"]})
    profiles.delete_profile(profile_id=created.id)
    with pytest.raises(errors.NotFound):
        profiles.delete_profile(profile_id=created.id)


def test_an_unknown_profile_is_not_found(telnyx_settings, sandbox):
    with pytest.raises(errors.NotFound):
        profiles.delete_profile(profile_id=str(uuid.uuid4()))
