"""ProfileEditForm: initial values from a profile, the PATCH bodies its values make (the write path
sends only what differs), toggles, the stamp."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from profiles.forms import ProfileCreateForm, ProfileEditForm
from profiles.readback import PROFILE as PROFILE_KIND
from telnyx_admin.telnyx.profiles import MessagingProfile
from tests.unit.profiles.form_inputs import PROFILE, post, resubmission


class FrozenProfile:
    """Stands in for the service layer's MessagingProfile: the form only needs `to_dict()`."""

    def __init__(self, data: dict[str, Any]):
        self._data = copy.deepcopy(data)

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)


def submitted(profile: dict[str, Any] = PROFILE, **changes: Any) -> ProfileEditForm:
    shown = ProfileEditForm(profile=FrozenProfile(profile), with_spend_limit=True)
    return ProfileEditForm(
        resubmission(shown, **changes), profile=FrozenProfile(profile), with_spend_limit=True
    )


def patch_for(profile: dict[str, Any] = PROFILE, **changes: Any) -> dict[str, Any]:
    form = submitted(profile, **changes)
    assert form.is_valid(), form.errors
    return sent_for(MessagingProfile.from_api(profile), form)


def sent_for(record: MessagingProfile, form: ProfileEditForm) -> dict[str, Any]:
    # What the write path sends for the form's values: those the profile does not hold already.
    return PROFILE_KIND.differing(record, form.api_values())


def test_it_shows_the_profile_values():
    form = ProfileEditForm(profile=FrozenProfile(PROFILE), with_spend_limit=True)
    assert form["name"].value() == "Acme support"
    assert form["whitelisted_destinations"].value() == ["US", "CA"]
    assert form["webhook_url"].value() == "https://hooks.example.com/telnyx"
    assert form["webhook_failover_url"].value() == ""
    assert form["alpha_sender"].value() == ""
    assert form["daily_spend_limit"].value() == "100.00"
    assert form["number_pool_enabled"].value() is True
    assert form["number_pool_settings__toll_free_weight"].value() == "10"
    assert form["number_pool_settings__long_code_weight"].value() == "2.5"
    assert form["url_shortener_enabled"].value() is False
    assert form["updated_at"].value() == PROFILE["updated_at"]
    assert 'type="hidden" name="updated_at"' in str(form["updated_at"])


def test_it_accepts_a_plain_dict_as_the_profile():
    assert ProfileEditForm(profile=PROFILE, with_spend_limit=True)["name"].value() == "Acme support"


def test_it_takes_the_service_layers_messaging_profile():
    record = MessagingProfile.from_api(PROFILE)
    form = ProfileEditForm(
        resubmission(ProfileEditForm(profile=record, with_spend_limit=True)),
        profile=record,
        with_spend_limit=True,
    )
    assert form.is_valid(), form.errors
    assert sent_for(record, form) == {}
    form = ProfileEditForm(
        resubmission(
            ProfileEditForm(profile=record, with_spend_limit=True), number_pool_settings__geomatch=True
        ),
        profile=record,
        with_spend_limit=True,
    )
    assert form.is_valid(), form.errors
    assert sent_for(record, form) == {
        "number_pool_settings": {**PROFILE["number_pool_settings"], "geomatch": True}
    }


def test_it_has_only_the_update_contract_fields():
    names = set(ProfileEditForm.base_fields)
    assert not names & {"resource_group_id", "ai_assistant_id", "health_webhook_url"}
    assert set(ProfileCreateForm.base_fields) - names == {
        "resource_group_id",
        "ai_assistant_id",
        "health_webhook_url",
    }
    assert names - set(ProfileCreateForm.base_fields) == {"updated_at"}


def test_an_unchanged_form_patches_nothing():
    assert patch_for() == {}


def test_it_patches_only_the_changed_field():
    assert patch_for(name="Acme billing") == {"name": "Acme billing"}
    assert patch_for(enabled=False) == {"enabled": False}
    assert patch_for(whitelisted_destinations=["*"]) == {"whitelisted_destinations": ["*"]}
    assert patch_for(webhook_api_version="1") == {"webhook_api_version": "1"}
    assert patch_for(alpha_sender="ACME") == {"alpha_sender": "ACME"}
    assert patch_for(daily_spend_limit="250") == {"daily_spend_limit": "250"}


def test_clearing_a_url_patches_empty_string():
    assert patch_for(webhook_url="") == {"webhook_url": ""}


def test_a_null_url_left_blank_is_not_a_change():
    assert "webhook_failover_url" not in patch_for(webhook_failover_url="")


def test_clearing_the_alpha_sender_patches_null():
    profile = {**PROFILE, "alpha_sender": "ACME"}
    assert patch_for(profile, alpha_sender="") == {"alpha_sender": None}


def test_changing_one_weight_sends_the_whole_pool_object():
    assert patch_for(number_pool_settings__long_code_weight="3") == {
        "number_pool_settings": {
            "toll_free_weight": 10,
            "long_code_weight": 3,
            "skip_unhealthy": True,
            "sticky_sender": False,
            "geomatch": False,
        }
    }


def test_retyping_a_weight_as_an_equal_number_is_no_change():
    assert patch_for(number_pool_settings__toll_free_weight="10.0") == {}


def test_turning_the_pool_off_sends_null_even_with_invalid_leftovers():
    assert patch_for(number_pool_enabled=False, number_pool_settings__long_code_weight="-1") == {
        "number_pool_settings": None
    }


def test_turning_the_shortener_on_sends_the_object():
    assert patch_for(url_shortener_enabled=True, url_shortener_settings__domain="acct.fyi") == {
        "url_shortener_settings": {
            "domain": "acct.fyi",
            "prefix": "",
            "replace_blacklist_only": False,
            "send_webhooks": False,
        }
    }


def test_turning_the_shortener_on_without_a_domain_is_an_error():
    form = submitted(url_shortener_enabled=True)
    assert not form.is_valid()
    assert "url_shortener_settings__domain" in form.errors


def test_an_existing_spend_limit_cannot_be_blanked():
    form = submitted(daily_spend_limit="")
    assert not form.is_valid()
    assert form.errors["daily_spend_limit"] == ["Enter an amount in USD, e.g. 100 or 25.50."]


@pytest.mark.parametrize("missing", [None, ""])
def test_a_profile_without_a_spend_limit_can_be_edited_leaving_it_blank(missing):
    profile = {**PROFILE, "daily_spend_limit": missing}
    assert patch_for(profile, name="Other") == {"name": "Other"}


def test_a_blank_name_is_an_error_on_edit_too():
    form = submitted(name="  ")
    assert not form.is_valid()
    assert "name" in form.errors


def test_a_missing_stamp_is_a_non_field_error():
    form = submitted(updated_at="")
    assert not form.is_valid()
    assert "updated_at" not in form.errors
    assert "reload the page" in form.non_field_errors()[0]


def test_the_stamp_comes_from_the_form_not_the_profile():
    # The view builds the form with the profile as it is now; the stamp the user loaded travels in the form.
    form = submitted(updated_at="2026-11-19T00:00:00Z")
    assert form.is_valid()
    assert form.expected_updated_at == "2026-11-19T00:00:00Z"


def test_an_invalid_edit_keeps_the_users_input():
    form = ProfileEditForm(
        post({"name": "New name", "whitelisted_destinations": ["US", "*"], "webhook_api_version": "2",
              "updated_at": PROFILE["updated_at"], "daily_spend_limit": "1.2.3"}),
        profile=FrozenProfile(PROFILE), with_spend_limit=True
    )  # fmt: skip
    assert not form.is_valid()
    assert form["name"].value() == "New name"
    assert form["whitelisted_destinations"].value() == ["US", "*"]
    assert form["daily_spend_limit"].value() == "1.2.3"


def test_api_values_refuses_an_invalid_form():
    with pytest.raises(ValueError, match="valid form"):
        submitted(name="").api_values()


def test_destinations_in_another_order_are_no_change():
    # PROFILE holds ["US", "CA"]; a browser posts the multi-select in option order.
    assert patch_for(whitelisted_destinations=["CA", "US"]) == {}


def test_adding_a_destination_patches_the_whole_list():
    added = ["CA", "GB", "US"]
    assert patch_for(whitelisted_destinations=added) == {"whitelisted_destinations": added}
