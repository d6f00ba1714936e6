"""ProfileCreateForm: every validation rule, accepted and rejected, and the payload it builds."""

from __future__ import annotations

from typing import Any

import pytest

from profiles.forms import ProfileCreateForm
from tests.unit.profiles.form_inputs import VALID_CREATE, post


def create_form(**overrides: Any) -> ProfileCreateForm:
    return ProfileCreateForm(post({**VALID_CREATE, **overrides}), with_spend_limit=True)


def payload_for(**overrides: Any) -> dict[str, Any]:
    form = create_form(**overrides)
    assert form.is_valid(), form.errors
    return form.to_payload()


def errors_for(field: str, /, **overrides: Any) -> list[str]:
    form = create_form(**overrides)
    assert not form.is_valid()
    assert field in form.errors, form.errors
    return form.errors[field]


def test_it_builds_the_minimal_payload_with_api_defaults_made_explicit():
    assert payload_for() == {
        "name": "Acme support",
        "whitelisted_destinations": ["US"],
        "enabled": False,
        "webhook_url": "",
        "webhook_failover_url": "",
        "webhook_api_version": "2",
        "alpha_sender": None,
        "daily_spend_limit_enabled": False,
        "mms_fall_back_to_sms": False,
        "mms_transcoding": False,
        "mobile_only": False,
        "smart_encoding": False,
        "number_pool_settings": None,
        "url_shortener_settings": None,
        "resource_group_id": None,
        "health_webhook_url": "",
        "ai_assistant_id": None,
    }


def test_unbound_form_starts_enabled_with_api_version_2():
    form = ProfileCreateForm(with_spend_limit=True)
    assert form["enabled"].value() is True
    assert form["webhook_api_version"].value() == "2"


# --- name ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Acme", " Acme ", "Ünïcödé 名前", "x" * 500, "tab\tinside"])
def test_it_accepts_names_and_sends_them_exactly_as_typed(name):
    assert payload_for(name=name)["name"] == name


@pytest.mark.parametrize(
    "field", ["name", "webhook_url", "resource_group_id", "url_shortener_settings__domain"]
)
def test_it_refuses_nul_characters_beside_the_field(field):
    form = create_form(**{field: "a\x00b", "url_shortener_enabled": "on"})
    assert not form.is_valid()
    assert "Null characters are not allowed." in form.errors[field]


def test_spend_limit_fields_are_left_out_unless_the_user_may_set_them():
    data = post({**VALID_CREATE, "daily_spend_limit": "999", "daily_spend_limit_enabled": "on"})
    form = ProfileCreateForm(data)
    assert form.is_valid(), form.errors
    payload = form.to_payload()
    assert "daily_spend_limit" not in payload and "daily_spend_limit_enabled" not in payload
    assert "daily_spend_limit" not in form.fields


@pytest.mark.parametrize("name", ["", " ", "\t\n", "\u3000", "\u00a0 "])
def test_it_rejects_empty_or_whitespace_only_names(name):
    assert errors_for("name", name=name)


def test_name_is_required_on_create():
    form = ProfileCreateForm(
        post({"whitelisted_destinations": ["US"], "webhook_api_version": "2"}), with_spend_limit=True
    )
    assert form.errors["name"] == ["This field is required."]


# --- whitelisted_destinations --------------------------------------------------------------------------


@pytest.mark.parametrize("destinations", [["US"], ["US", "GB", "DE"], ["*"], ["AX"], ["GB", "GB"]])
def test_it_accepts_assigned_country_codes_or_all(destinations):
    assert payload_for(whitelisted_destinations=destinations)["whitelisted_destinations"] == destinations


@pytest.mark.parametrize(
    "destinations",
    [[], ["us"], ["XX"], ["UK"], ["EU"], ["XK"], ["USA"], [""], ["*", "US"], ["US", "*"], ["US\n"]],
)
def test_it_rejects_unknown_codes_empty_lists_and_star_mixed_with_countries(destinations):
    assert errors_for("whitelisted_destinations", whitelisted_destinations=destinations)


def test_star_with_countries_explains_itself():
    (message,) = errors_for("whitelisted_destinations", whitelisted_destinations=["*", "US"])
    assert "cannot be combined" in message


def test_destinations_render_as_searchable_checkboxes_with_all_first():
    html = str(ProfileCreateForm(with_spend_limit=True)["whitelisted_destinations"])
    assert '<input type="checkbox" name="whitelisted_destinations" value="US"' in html
    assert "<select" not in html  # no Ctrl-click needed to choose several
    assert "data-multiselect-filter" in html and 'aria-controls="id_whitelisted_destinations"' in html
    assert html.index("All destinations (*)") < html.index("United States (US)")
    assert "<script" not in html  # strict CSP: behaviour comes from static/js via form.media
    assert "js/multiselect-filter.js" in str(ProfileCreateForm(with_spend_limit=True).media)


# --- URLs ----------------------------------------------------------------------------------------------

URL_FIELDS = ["webhook_url", "webhook_failover_url", "health_webhook_url"]
LONGEST_URL = "https://example.com/" + "a" * (2000 - len("https://example.com/"))


@pytest.mark.parametrize("field", URL_FIELDS)
@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/hooks",
        "http://hooks",  # no dot: Django's URLValidator would refuse, the API does not
        "HTTPS://EXAMPLE.COM",
        "http://127.0.0.1:8080/x?y=1#z",
        "http://example.com:65535/",
        "http://example.com:/",
        "http://[::1]/",
        "https://例え.jp/パス",
        "http://user:pw@example.com",
        LONGEST_URL,
    ],
)
def test_it_accepts_http_urls_with_a_host(field, url):
    assert payload_for(**{field: url})[field] == url


@pytest.mark.parametrize("field", URL_FIELDS)
def test_a_blank_url_is_sent_as_empty_string_which_clears_it(field):
    assert payload_for(**{field: ""})[field] == ""


@pytest.mark.parametrize("field", URL_FIELDS)
@pytest.mark.parametrize(
    "url",
    [
        LONGEST_URL + "a",
        "ftp://example.com",
        "javascript:alert(1)",
        "example.com",
        "http://",
        "http:///path",
        "http://:80",
        "https://exa mple.com",
        " https://example.com",
        "https://example.com ",
        "https://example.com/\n",
        "https://example.com/\x7f",
        "https://example.com/\x85",
        "http://[::1",
        "http://example.com:99999",
        "http://example.com:http",
        "   ",
    ],
)
def test_it_rejects_bad_urls(field, url):
    assert errors_for(field, **{field: url})


def test_too_long_url_says_the_limit():
    (message,) = errors_for("webhook_url", webhook_url=LONGEST_URL + "a")
    assert "2000" in message


# --- alpha_sender --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sender", ["ACME", "Acme 123", " ", "ABCDEFGHIJK", "0"])
def test_it_accepts_alpha_senders(sender):
    assert payload_for(alpha_sender=sender)["alpha_sender"] == sender


def test_a_blank_alpha_sender_is_sent_as_null():
    assert payload_for(alpha_sender="")["alpha_sender"] is None


@pytest.mark.parametrize(
    "sender", ["ABCDEFGHIJKL", "ACME\n", "ACME!", "Ünï", "ACME-1", "ACME\t", "\uff21\uff23\uff2d\uff25"]
)
def test_it_rejects_bad_alpha_senders(sender):
    assert errors_for("alpha_sender", alpha_sender=sender)


# --- daily_spend_limit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "100", "25.50", "0007", "1" * 30, "0.000001"])
def test_it_accepts_spend_limits_and_sends_them_as_strings(limit):
    assert payload_for(daily_spend_limit=limit)["daily_spend_limit"] == limit


def test_a_blank_spend_limit_is_left_out_on_create():
    assert "daily_spend_limit" not in payload_for(daily_spend_limit="")


@pytest.mark.parametrize(
    "limit",
    ["1.", ".5", "-1", "+1", "1e3", " 10", "10 ", "1,000", "\u0661\u0660", "10\n", "NaN", "ten", "1.2.3"],
)
def test_it_rejects_bad_spend_limits(limit):
    assert errors_for("daily_spend_limit", daily_spend_limit=limit)


# --- webhook_api_version -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1", "2", "2010-04-01"])
def test_it_accepts_the_three_webhook_versions(version):
    assert payload_for(webhook_api_version=version)["webhook_api_version"] == version


@pytest.mark.parametrize("version", ["", "3", "v2", "2 ", "2010-04-02"])
def test_it_rejects_other_webhook_versions(version):
    assert errors_for("webhook_api_version", webhook_api_version=version)


# --- identifiers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["resource_group_id", "ai_assistant_id"])
@pytest.mark.parametrize("value", ["rg-1", "x" * 64, " ", "é" * 64])
def test_it_accepts_identifiers_up_to_64_characters(field, value):
    assert payload_for(**{field: value})[field] == value


@pytest.mark.parametrize("field", ["resource_group_id", "ai_assistant_id"])
def test_blank_identifiers_are_sent_as_null(field):
    assert payload_for(**{field: ""})[field] is None


@pytest.mark.parametrize("field", ["resource_group_id", "ai_assistant_id"])
def test_it_rejects_identifiers_over_64_characters(field):
    (message,) = errors_for(field, **{field: "x" * 65})
    assert "64" in message


# --- booleans ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    [
        "enabled",
        "daily_spend_limit_enabled",
        "mms_fall_back_to_sms",
        "mms_transcoding",
        "mobile_only",
        "smart_encoding",
    ],
)
def test_checked_boxes_send_true(field):
    assert payload_for(**{field: True})[field] is True
    assert payload_for(**{field: False})[field] is False


# --- number pool ---------------------------------------------------------------------------------------

POOL_ON = {
    "number_pool_enabled": True,
    "number_pool_settings__toll_free_weight": "10",
    "number_pool_settings__long_code_weight": "2.5",
}


def test_number_pool_off_sends_null_and_ignores_its_fields():
    payload = payload_for(
        number_pool_settings__toll_free_weight="-5",
        number_pool_settings__long_code_weight="banana",
        number_pool_settings__skip_unhealthy=True,
    )
    assert payload["number_pool_settings"] is None


def test_number_pool_on_sends_the_whole_object():
    payload = payload_for(
        **POOL_ON, number_pool_settings__skip_unhealthy=True, number_pool_settings__geomatch=True
    )
    assert payload["number_pool_settings"] == {
        "toll_free_weight": 10,
        "long_code_weight": 2.5,
        "skip_unhealthy": True,
        "sticky_sender": False,
        "geomatch": True,
    }


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("0", 0),
        ("10", 10),
        ("2.5", 2.5),
        (" 3 ", 3),
        ("1e3", 1000.0),
        ("-0", 0),
        (".5", 0.5),
        ("10.", 10.0),
        ("1" * 40, int("1" * 40)),
        ("1e-400", 0.0),
    ],
)
def test_weights_are_sent_as_json_numbers(typed, sent):
    payload = payload_for(**{**POOL_ON, "number_pool_settings__long_code_weight": typed})
    value = payload["number_pool_settings"]["long_code_weight"]
    assert value == sent and type(value) is type(sent)


@pytest.mark.parametrize(
    "weight",
    [
        "-1",
        "-0.5",
        "1e400",
        "nan",
        "NaN",
        "inf",
        "Infinity",
        "abc",
        "\u0661",
        "0x10",
        "1_000",
        "1,5",
        "",
        " ",
    ],
)
@pytest.mark.parametrize(
    "field", ["number_pool_settings__toll_free_weight", "number_pool_settings__long_code_weight"]
)
def test_it_rejects_negative_non_finite_non_numeric_and_missing_weights(field, weight):
    assert errors_for(field, **{**POOL_ON, field: weight})


def test_fieldset_of_a_toggle_renders_hidden_while_off_and_shown_while_on():
    hidden = {fs.id: fs.hidden for fs in create_form().fieldsets}
    assert hidden["fieldset-number-pool"] is True and hidden["fieldset-url-shortener"] is True
    shown = {fs.id: fs.hidden for fs in create_form(**POOL_ON).fieldsets}
    assert shown["fieldset-number-pool"] is False
    toggle_html = str(create_form()["number_pool_enabled"])
    assert 'data-reveals="fieldset-number-pool"' in toggle_html


# --- URL shortener -------------------------------------------------------------------------------------


def test_url_shortener_off_sends_null_and_ignores_its_fields():
    assert (
        payload_for(url_shortener_settings__domain="", url_shortener_settings__prefix="x")[
            "url_shortener_settings"
        ]
        is None
    )


def test_url_shortener_on_sends_the_whole_object_with_prefix_as_typed():
    payload = payload_for(
        url_shortener_enabled=True,
        url_shortener_settings__domain="acct.fyi",
        url_shortener_settings__prefix="",
        url_shortener_settings__replace_blacklist_only=True,
    )
    assert payload["url_shortener_settings"] == {
        "domain": "acct.fyi",
        "prefix": "",
        "replace_blacklist_only": True,
        "send_webhooks": False,
    }


def test_url_shortener_on_requires_a_domain():
    assert errors_for(
        "url_shortener_settings__domain", url_shortener_enabled=True, url_shortener_settings__domain=""
    )


def test_url_shortener_domain_is_sent_as_typed():
    payload = payload_for(url_shortener_enabled=True, url_shortener_settings__domain=" acct.fyi")
    assert payload["url_shortener_settings"]["domain"] == " acct.fyi"


# --- failure keeps input -------------------------------------------------------------------------------


def test_an_invalid_form_keeps_everything_the_user_typed():
    form = create_form(
        name="Acme",
        alpha_sender="WAY TOO LONG SENDER",
        daily_spend_limit="12,50",
        webhook_url="ftp://x",
        **{**POOL_ON, "number_pool_settings__long_code_weight": "-3"},
    )
    assert not form.is_valid()
    assert set(form.errors) == {
        "alpha_sender",
        "daily_spend_limit",
        "webhook_url",
        "number_pool_settings__long_code_weight",
    }
    assert form["alpha_sender"].value() == "WAY TOO LONG SENDER"
    assert form["daily_spend_limit"].value() == "12,50"
    assert form["number_pool_settings__long_code_weight"].value() == "-3"
    assert 'value="12,50"' in str(form["daily_spend_limit"])


def test_to_payload_refuses_an_invalid_form():
    with pytest.raises(ValueError, match="valid form"):
        create_form(name="").to_payload()


def test_every_field_carries_the_api_attribute_name():
    api_attributes = {
        "name", "whitelisted_destinations", "enabled", "webhook_url", "webhook_failover_url",
        "webhook_api_version", "alpha_sender", "daily_spend_limit", "daily_spend_limit_enabled",
        "mms_fall_back_to_sms", "mms_transcoding", "mobile_only", "smart_encoding", "resource_group_id",
        "health_webhook_url", "ai_assistant_id",
    }  # fmt: skip
    assert api_attributes <= set(ProfileCreateForm.base_fields)
    assert set(payload_for()) == api_attributes - {"daily_spend_limit"} | {
        "number_pool_settings",
        "url_shortener_settings",
    }
