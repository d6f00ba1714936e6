"""add_api_errors: a 422's JSON pointers land beside the right form field, everything else on top."""

from __future__ import annotations

import pytest

from profiles.forms import ProfileCreateForm, ProfileEditForm
from telnyx_admin.forms import add_api_errors, field_for_pointer
from telnyx_admin.telnyx.errors import ApiError, ValidationFailed
from tests.unit.profiles.form_inputs import PROFILE, VALID_CREATE, post, resubmission


def valid_create_form(**overrides) -> ProfileCreateForm:
    form = ProfileCreateForm(post({**VALID_CREATE, **overrides}), with_spend_limit=True)
    assert form.is_valid(), form.errors
    return form


def rejected(*errors: ApiError) -> ValidationFailed:
    return ValidationFailed("Validation failed", status=422, errors=errors)


def error(pointer=None, parameter=None, detail="is invalid") -> ApiError:
    return ApiError(code="10015", title="Bad Request", detail=detail, pointer=pointer, parameter=parameter)


@pytest.mark.parametrize(
    ("pointer", "field"),
    [
        ("/webhook_url", "webhook_url"),
        ("/name", "name"),
        ("/daily_spend_limit", "daily_spend_limit"),
        ("/number_pool_settings/long_code_weight", "number_pool_settings__long_code_weight"),
        ("/url_shortener_settings/domain", "url_shortener_settings__domain"),
        ("/number_pool_settings", "number_pool_enabled"),
        ("/url_shortener_settings", "url_shortener_enabled"),
    ],
)
def test_it_puts_the_message_beside_the_pointed_field(pointer, field):
    form = valid_create_form()
    placed = add_api_errors(form, rejected(error(pointer, detail="Telnyx says no")))
    assert placed == [field]
    assert form.errors[field] == ["Telnyx says no"]
    assert not form.non_field_errors()


def test_an_array_item_lands_on_the_list_field_naming_the_item():
    form = valid_create_form(whitelisted_destinations=["US", "CU"])
    add_api_errors(form, rejected(error("/whitelisted_destinations/1", detail="not allowed")))
    assert form.errors["whitelisted_destinations"] == ["“CU”: not allowed"]


def test_an_array_index_past_the_submitted_items_is_still_placed():
    form = valid_create_form()
    add_api_errors(form, rejected(error("/whitelisted_destinations/7", detail="bad")))
    assert form.errors["whitelisted_destinations"] == ["Item 8: bad"]


@pytest.mark.parametrize(
    "pointer",
    [
        "/no_such_field",
        "/number_pool_settings/long_code_weight/extra",
        "/whitelisted_destinations/01",  # not an RFC 6901 array index
        "/webhook_url/0",  # only list fields have items
        "/number_pool__settings/long_code_weight",
        "/number_pool_settings__long_code_weight",  # our field name is not an API pointer
        "",
        "/",
        "webhook_url",
    ],
)
def test_unknown_or_deeper_pointers_become_non_field_errors(pointer):
    form = valid_create_form()
    placed = add_api_errors(form, rejected(error(pointer, detail="odd")))
    assert placed == [None]
    assert form.non_field_errors() == [f"odd ({pointer})" if pointer else "odd"]


def test_query_parameter_errors_become_non_field_errors():
    form = valid_create_form()
    add_api_errors(form, rejected(error(parameter="page[size]", detail="too big")))
    assert form.non_field_errors() == ["too big (parameter page[size])"]


def test_errors_without_source_and_empty_bodies_become_non_field_errors():
    form = valid_create_form()
    add_api_errors(form, rejected(ApiError(code="10007", title="Unexpected error")))
    assert form.non_field_errors() == ["Unexpected error"]
    form = valid_create_form()
    add_api_errors(form, ValidationFailed("Validation failed", status=422))
    assert form.non_field_errors() == ["Telnyx rejected the change: Validation failed"]


def test_escaped_pointer_segments_are_decoded():
    form = valid_create_form()
    assert field_for_pointer(form, "/webhook~1url") == (None, None)  # "/webhook/url": no such field
    assert field_for_pointer(form, "/webhook_url") == ("webhook_url", None)


def test_a_pointer_to_a_hidden_field_goes_on_top():
    form = ProfileEditForm(
        resubmission(ProfileEditForm(profile=PROFILE, with_spend_limit=True)),
        profile=PROFILE,
        with_spend_limit=True,
    )
    assert form.is_valid()
    add_api_errors(form, rejected(error("/updated_at", detail="stale")))
    assert form.non_field_errors() == ["stale (/updated_at)"]


def test_several_errors_are_all_shown_and_the_input_is_kept():
    form = valid_create_form(webhook_url="http://a", alpha_sender="ACME")
    add_api_errors(
        form,
        rejected(
            error("/webhook_url", detail="unreachable"),
            error("/alpha_sender", detail="not registered"),
            error("/alpha_sender", detail="reserved"),
        ),
    )
    assert form.errors["webhook_url"] == ["unreachable"]
    assert form.errors["alpha_sender"] == ["not registered", "reserved"]
    assert form["webhook_url"].value() == "http://a"
    assert 'value="ACME"' in str(form["alpha_sender"])
