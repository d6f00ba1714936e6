"""SpendLimitForm (account managers) and ProfileDeleteForm (typed-name confirmation)."""

from __future__ import annotations

import pytest

from profiles.forms import ProfileDeleteForm, SpendLimitForm
from profiles.readback import PROFILE as PROFILE_KIND
from telnyx_admin.telnyx.profiles import MessagingProfile
from tests.unit.profiles.form_inputs import PROFILE, post, resubmission


def sent_for(form: SpendLimitForm) -> dict:
    # What the write path sends for the form's values: those the profile does not hold already.
    return PROFILE_KIND.differing(MessagingProfile.from_api(PROFILE), form.api_values())


def spend_form(**changes) -> SpendLimitForm:
    return SpendLimitForm(resubmission(SpendLimitForm(profile=PROFILE), **changes), profile=PROFILE)


def test_it_shows_the_current_limit_and_stamp():
    form = SpendLimitForm(profile=PROFILE)
    assert list(form.fields) == ["daily_spend_limit", "daily_spend_limit_enabled", "updated_at"]
    assert form["daily_spend_limit"].value() == "100.00"
    assert form["daily_spend_limit_enabled"].value() is True
    assert form["updated_at"].value() == PROFILE["updated_at"]


def test_unchanged_patches_nothing():
    form = spend_form()
    assert form.is_valid(), form.errors
    assert sent_for(form) == {}


def test_it_patches_only_what_changed():
    form = spend_form(daily_spend_limit="250.5")
    assert form.is_valid()
    assert sent_for(form) == {"daily_spend_limit": "250.5"}
    form = spend_form(daily_spend_limit_enabled=False)
    assert form.is_valid()
    assert sent_for(form) == {"daily_spend_limit_enabled": False}
    assert form.expected_updated_at == PROFILE["updated_at"]


@pytest.mark.parametrize("limit", ["-5", "5.", "1e2", "5 ", "$5", "5\n"])
def test_it_applies_the_api_rule_and_keeps_the_input(limit):
    form = spend_form(daily_spend_limit=limit)
    assert not form.is_valid()
    assert form.errors["daily_spend_limit"]
    assert form["daily_spend_limit"].value() == limit


def test_a_set_limit_cannot_be_blanked():
    form = spend_form(daily_spend_limit="")
    assert not form.is_valid()
    assert "daily_spend_limit" in form.errors


def test_a_missing_stamp_is_a_non_field_error():
    form = spend_form(updated_at="")
    assert not form.is_valid()
    assert form.non_field_errors()


# --- delete ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Acme support"])
def test_delete_accepts_the_exact_name(typed):
    assert ProfileDeleteForm(post({"confirm_name": typed}), profile_name="Acme support").is_valid()


@pytest.mark.parametrize(
    "typed", ["", "acme support", "Acme support ", " Acme support", "Acme  support", "Acme"]
)
def test_delete_rejects_anything_else(typed):
    form = ProfileDeleteForm(post({"confirm_name": typed}), profile_name="Acme support")
    assert not form.is_valid()
    assert form.errors["confirm_name"]


def test_delete_handles_names_with_surrounding_spaces_exactly():
    assert ProfileDeleteForm(post({"confirm_name": " padded "}), profile_name=" padded ").is_valid()
    assert not ProfileDeleteForm(post({"confirm_name": "padded"}), profile_name=" padded ").is_valid()
