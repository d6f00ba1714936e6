"""GET /messaging_profiles/{id}."""

import uuid

import pytest

from telnyx_admin.telnyx import errors, profiles


def test_it_returns_the_profile(telnyx_settings, bulk_profile_id):
    profile = profiles.retrieve_profile(profile_id=bulk_profile_id)
    assert profile.id == bulk_profile_id
    assert profile.name == "Acme Bulk Notifications"
    assert profile.updated is not None and profile.created is not None


def test_nested_settings_become_frozen_records(telnyx_settings, sandbox):
    with_pool = [p for p in profiles.list_profiles(page_size=100) if p.number_pool_settings is not None]
    assert with_pool, "the seed has profiles with number pools"
    pool = with_pool[0].number_pool_settings
    assert isinstance(pool, profiles.NumberPoolSettings)
    raw = sandbox.get(f"/messaging_profiles/{with_pool[0].id}").json()["data"]
    assert with_pool[0].to_dict()["number_pool_settings"] == raw["number_pool_settings"]


def test_v1_secret_stays_out_of_repr(telnyx_settings, bulk_profile_id):
    profile = profiles.retrieve_profile(profile_id=bulk_profile_id)
    assert profile.v1_secret
    assert profile.v1_secret not in repr(profile)


def test_an_unknown_id_is_not_found(telnyx_settings):
    with pytest.raises(errors.NotFound) as caught:
        profiles.retrieve_profile(profile_id=str(uuid.uuid4()))
    assert caught.value.status == 404
    assert caught.value.errors[0].code == "10005"


def test_an_id_cannot_reach_another_path(telnyx_settings, sandbox):
    # Quoted into one path segment: "../short_codes" must not become GET /v2/short_codes.
    with pytest.raises(errors.NotFound):
        profiles.retrieve_profile(profile_id="../short_codes")
    assert "GET /v2/short_codes" not in sandbox.stats()["requests"]
