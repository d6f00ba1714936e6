"""Forms for messaging profiles: create, edit settings, spend limit, delete confirmation.

Field names are the API's attribute names (`name`, `whitelisted_destinations`, `daily_spend_limit`, …) so
422 pointers, audit entries and form errors line up. Nested objects use a double underscore where
the JSON pointer has a slash: `number_pool_settings__long_code_weight` is
`/number_pool_settings/long_code_weight`.
(A dot would be closer to the API, but Django templates split variable names on dots, so
`{{ form.number_pool_settings.long_code_weight }}` could never render a dotted field.)

Representation decisions, applied the same way by every form here:
- Text is sent exactly as typed (`strip=False`): the form never silently changes a value.
- Blank URLs are sent as "" (the API's "clear"); blank `alpha_sender`, `resource_group_id`,
  `ai_assistant_id` are sent as null; a blank `daily_spend_limit` is left out on create.
- `number_pool_enabled` / `url_shortener_enabled` are the form's own toggles (not API attributes): off sends
  `null` for the whole object and ignores its fields; on sends the whole object.
- Weights are sent as JSON numbers: int when typed as an integer, float otherwise.

Validation mirrors the API's 422 rules (see profiles/validators.py); anything the API still rejects is put
beside the right field by `telnyx_admin.forms.add_api_errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django import forms

from profiles.countries import DESTINATION_CHOICES
from profiles.validators import (
    ALPHA_SENDER_MAX_LENGTH,
    parse_weight,
    validate_alpha_sender,
    validate_api_url,
    validate_destinations,
    validate_identifier_length,
    validate_not_blank,
    validate_spend_limit,
)

WEBHOOK_API_VERSION_CHOICES = [
    ("2", "2 — Telnyx API v2"),
    ("1", "1 — Telnyx API v1"),
    ("2010-04-01", "2010-04-01 — legacy format"),
]

NUMBER_POOL = "number_pool_settings"
URL_SHORTENER = "url_shortener_settings"
NUMBER_POOL_FIELDS = ("toll_free_weight", "long_code_weight", "skip_unhealthy", "sticky_sender", "geomatch")
URL_SHORTENER_FIELDS = ("domain", "prefix", "replace_blacklist_only", "send_webhooks")
BOOLEAN_FIELDS = (
    "enabled",
    "daily_spend_limit_enabled",
    "mms_fall_back_to_sms",
    "mms_transcoding",
    "mobile_only",
    "smart_encoding",
)
URL_FIELDS = ("webhook_url", "webhook_failover_url", "health_webhook_url")
# HTML `pattern` attributes are anchored by the browser; they only give early feedback, the server decides.
SPEND_LIMIT_HTML_PATTERN = r"[0-9]+(\.[0-9]+)?"


def nested_name(parent: str, child: str) -> str:
    """Form field name of a nested API attribute: ("number_pool_settings", "geomatch") -> "…__geomatch"."""
    return f"{parent}__{child}"


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


ProfileLike = HasToDict | Mapping[str, Any]


def _profile_dict(profile: ProfileLike) -> dict[str, Any]:
    return dict(profile) if isinstance(profile, Mapping) else profile.to_dict()


# --- widgets -------------------------------------------------------------------------------------------


class SearchableSelectMultiple(forms.SelectMultiple):
    """A `<select multiple>` with a filter box above it; static/js/multiselect-filter.js hides the options
    that do not match what is typed (selected options stay visible). No inline script, so the CSP holds;
    without JavaScript it is a plain multi-select."""

    template_name = "profiles/widgets/searchable_select_multiple.html"

    class Media:
        js = ["js/multiselect-filter.js"]


class RevealToggle(forms.CheckboxInput):
    """A checkbox that shows the element whose id is in `data-reveals` only while checked
    (static/js/reveal-toggle.js). The fieldsets in `ProfileFormBase.fieldsets` carry that id."""

    class Media:
        js = ["js/reveal-toggle.js"]

    def __init__(self, reveals: str, attrs: dict[str, Any] | None = None):
        super().__init__(attrs={**(attrs or {}), "data-reveals": reveals, "aria-controls": reveals})


# --- fields --------------------------------------------------------------------------------------------


class ApiTextField(forms.CharField):
    """A CharField that sends exactly what was typed (`strip=False`: stripping would change the value
    the API gets).

    Django's ban on NUL characters stays, although the API's rules do not forbid them: nobody types
    one on purpose, PostgreSQL cannot store one in the audit log, and a profile named with one could
    not be told apart from its look-alike. This is the one place the forms are stricter than the API
    (the form-vs-API comparison test leaves NUL out, and the README lists it).
    """

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ApiUrlField(ApiTextField):
    """A webhook URL. Blank means "clear" and is sent as ""; otherwise the API's URL rule applies."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("validators", [validate_api_url])
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}))
        super().__init__(**kwargs)


class WeightField(forms.Field):
    """A number-pool weight, typed as text and cleaned to an int or float (see `parse_weight`).
    Blank cleans to None; whether it is required depends on the number-pool toggle (checked in `clean`)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> int | float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise forms.ValidationError("Enter a number, e.g. 10 or 2.5.", code="invalid")
        if isinstance(value, int | float):
            value = repr(value)
        return parse_weight(str(value))


def _weight_text(value: Any) -> str:
    """The text to show in a weight input for a number the API returned."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


# --- rendering groups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fieldset:
    """A group of fields as the detail page groups them. `hidden` is True for a nested object's fieldset
    while its toggle is off, so the page renders it hidden before any script runs."""

    id: str
    legend: str
    fields: list[forms.BoundField]
    hidden: bool = False


# --- forms ---------------------------------------------------------------------------------------------


class ProfileFormBase(forms.Form):
    """Fields shared by the create and update contracts, the nested-object toggles and their cleaning.

    Subclasses add create-only fields (`ProfileCreateForm`) or the staleness stamp (`ProfileEditForm`).
    """

    # 422 pointers that name a whole nested object land on its toggle (used by add_api_errors).
    api_pointer_fields = {
        f"/{NUMBER_POOL}": "number_pool_enabled",
        f"/{URL_SHORTENER}": "url_shortener_enabled",
    }

    # General
    name = ApiTextField(required=True, validators=[validate_not_blank])
    enabled = forms.BooleanField(required=False, initial=True)
    # Webhooks
    webhook_url = ApiUrlField(label="Webhook URL", help_text="Leave blank for none.")
    webhook_failover_url = ApiUrlField(label="Webhook failover URL", help_text="Leave blank for none.")
    webhook_api_version = forms.ChoiceField(
        label="Webhook API version", choices=WEBHOOK_API_VERSION_CHOICES, initial="2"
    )
    # Outbound
    whitelisted_destinations = forms.MultipleChoiceField(
        label="Destinations",
        choices=DESTINATION_CHOICES,
        validators=[validate_destinations],
        widget=SearchableSelectMultiple(attrs={"size": 10}),
        help_text="Countries this profile may send to, or “All destinations (*)” alone.",
    )
    alpha_sender = ApiTextField(
        empty_value=None,
        validators=[validate_alpha_sender],
        widget=forms.TextInput(
            attrs={
                "maxlength": ALPHA_SENDER_MAX_LENGTH,
                "pattern": "[A-Za-z0-9 ]{1,11}",
                "autocomplete": "off",
            }
        ),
        help_text="Up to 11 letters, digits or spaces. Leave blank for none.",
    )
    number_pool_enabled = forms.BooleanField(
        label="Use a number pool", required=False, widget=RevealToggle(reveals="fieldset-number-pool")
    )
    number_pool_settings__toll_free_weight = WeightField(label="Toll-free weight", required=False)
    number_pool_settings__long_code_weight = WeightField(label="Long code weight", required=False)
    number_pool_settings__skip_unhealthy = forms.BooleanField(label="Skip unhealthy numbers", required=False)
    number_pool_settings__sticky_sender = forms.BooleanField(label="Sticky sender", required=False)
    number_pool_settings__geomatch = forms.BooleanField(label="Geomatch", required=False)
    # Spend limit
    daily_spend_limit = ApiTextField(
        label="Daily spend limit (USD)",
        validators=[validate_spend_limit],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "pattern": SPEND_LIMIT_HTML_PATTERN}),
    )
    daily_spend_limit_enabled = forms.BooleanField(label="Enforce the daily spend limit", required=False)
    # URL shortener
    url_shortener_enabled = forms.BooleanField(
        label="Use the URL shortener", required=False, widget=RevealToggle(reveals="fieldset-url-shortener")
    )
    url_shortener_settings__domain = ApiTextField(label="Domain", help_text="A Telnyx shortener domain.")
    url_shortener_settings__prefix = ApiTextField(label="Prefix", help_text="Optional.")
    url_shortener_settings__replace_blacklist_only = forms.BooleanField(
        label="Replace blacklisted links only", required=False
    )
    url_shortener_settings__send_webhooks = forms.BooleanField(label="Send click webhooks", required=False)
    # MMS and encoding
    mms_fall_back_to_sms = forms.BooleanField(label="Fall back to SMS for MMS", required=False)
    mms_transcoding = forms.BooleanField(label="Transcode MMS media", required=False)
    mobile_only = forms.BooleanField(label="Send to mobile numbers only", required=False)
    smart_encoding = forms.BooleanField(label="Smart encoding", required=False)

    # (fieldset id, legend, field names, toggle that reveals it or None); names missing from a form are
    # skipped, so create and edit share the layout.
    layout: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
        ("fieldset-general", "General", ("name", "enabled"), None),
        (
            "fieldset-webhooks",
            "Webhooks",
            ("webhook_url", "webhook_failover_url", "webhook_api_version", "health_webhook_url"),
            None,
        ),
        (
            "fieldset-outbound",
            "Outbound",
            ("whitelisted_destinations", "alpha_sender", "number_pool_enabled"),
            None,
        ),
        (
            "fieldset-number-pool",
            "Number pool",
            tuple(nested_name(NUMBER_POOL, name) for name in NUMBER_POOL_FIELDS),
            "number_pool_enabled",
        ),
        ("fieldset-spend-limit", "Spend limit", ("daily_spend_limit", "daily_spend_limit_enabled"), None),
        ("fieldset-url-shortener-toggle", "URL shortener", ("url_shortener_enabled",), None),
        (
            "fieldset-url-shortener",
            "URL shortener settings",
            tuple(nested_name(URL_SHORTENER, name) for name in URL_SHORTENER_FIELDS),
            "url_shortener_enabled",
        ),
        (
            "fieldset-mms",
            "MMS and encoding",
            ("mms_fall_back_to_sms", "mms_transcoding", "mobile_only", "smart_encoding"),
            None,
        ),
        ("fieldset-identifiers", "Identifiers", ("resource_group_id", "ai_assistant_id"), None),
    )

    @property
    def fieldsets(self) -> list[Fieldset]:
        """The visible fields grouped for rendering: `{% for fs in form.fieldsets %}<fieldset id="{{ fs.id }}"
        {% if fs.hidden %}hidden{% endif %}>…{% for field in fs.fields %}`. Empty groups are left out."""
        groups = []
        for fieldset_id, legend, names, toggle in self.layout:
            bound = [self[name] for name in names if name in self.fields]
            if bound:
                hidden = toggle is not None and not self._toggle_is_on(toggle)
                groups.append(Fieldset(id=fieldset_id, legend=legend, fields=bound, hidden=hidden))
        return groups

    def _toggle_is_on(self, toggle: str) -> bool:
        bound_field = self[toggle]
        return bool(bound_field.field.to_python(bound_field.value()))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_nested(
            toggle="number_pool_enabled",
            parent=NUMBER_POOL,
            children=NUMBER_POOL_FIELDS,
            required={"toll_free_weight": "Enter a weight.", "long_code_weight": "Enter a weight."},
        )
        self._clean_nested(
            toggle="url_shortener_enabled",
            parent=URL_SHORTENER,
            children=URL_SHORTENER_FIELDS,
            required={"domain": "Enter the shortener domain."},
        )
        return cleaned

    def _clean_nested(
        self, *, toggle: str, parent: str, children: tuple[str, ...], required: dict[str, str]
    ) -> None:
        names = [nested_name(parent, child) for child in children]
        if not self.cleaned_data.get(toggle):
            # Off sends null: whatever is in the hidden fields is neither validated nor sent, but it stays
            # in the form's data so switching back on shows what was typed.
            for name in names:
                self.errors.pop(name, None)
            return
        for child, message in required.items():
            name = nested_name(parent, child)
            if name not in self.errors and self.cleaned_data.get(name) in (None, ""):
                self.add_error(name, forms.ValidationError(message, code="required"))

    def _nested_value(self, *, toggle: str, parent: str, children: tuple[str, ...]) -> dict[str, Any] | None:
        if not self.cleaned_data[toggle]:
            return None
        return {child: self.cleaned_data[nested_name(parent, child)] for child in children}

    def api_values(self) -> dict[str, Any]:
        """Every API attribute this form edits, in the API's JSON shape (call only on a valid form).
        `daily_spend_limit` is included even when blank; callers decide what blank means."""
        if not self.is_valid():
            raise ValueError("api_values() needs a valid form; check is_valid() first")
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in self.fields:
            if name in ("number_pool_enabled", "url_shortener_enabled", "updated_at") or "__" in name:
                continue
            values[name] = data[name]
        values[NUMBER_POOL] = self._nested_value(
            toggle="number_pool_enabled", parent=NUMBER_POOL, children=NUMBER_POOL_FIELDS
        )
        values[URL_SHORTENER] = self._nested_value(
            toggle="url_shortener_enabled", parent=URL_SHORTENER, children=URL_SHORTENER_FIELDS
        )
        return values


class ProfileCreateForm(ProfileFormBase):
    """Every writable attribute of the create contract (`POST /messaging_profiles`).

    `to_payload()` gives the request body. Create-only attributes: `resource_group_id`,
    `health_webhook_url`, `ai_assistant_id`.
    """

    health_webhook_url = ApiUrlField(label="Health webhook URL", help_text="Leave blank for none.")
    resource_group_id = ApiTextField(
        label="Resource group ID", empty_value=None, validators=[validate_identifier_length]
    )
    ai_assistant_id = ApiTextField(
        label="AI assistant ID", empty_value=None, validators=[validate_identifier_length]
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, with_spend_limit: bool = False, **kwargs: Any
    ):
        super().__init__(data, **kwargs)
        _drop_spend_limit_unless(self, with_spend_limit)

    def to_payload(self) -> dict[str, Any]:
        """The create request body. A blank spend limit is left out so the API applies its default."""
        payload = self.api_values()
        if payload.get("daily_spend_limit") == "":
            del payload["daily_spend_limit"]
        return payload


SPEND_LIMIT_FIELD_NAMES = ("daily_spend_limit", "daily_spend_limit_enabled")


def _drop_spend_limit_unless(form: forms.Form, allowed: bool) -> None:
    """Spend limits belong to account managers: for anyone else the fields are not in the form at all,
    so they are neither shown nor accepted (a crafted POST of them is ignored, never sent)."""
    if not allowed:
        for name in SPEND_LIMIT_FIELD_NAMES:
            form.fields.pop(name, None)


def _current_values(profile: Mapping[str, Any], names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The profile's values for `names`, normalised so that two spellings of "nothing" compare equal:
    a null URL is "", a null spend limit is "" (the form shows both as an empty box)."""
    current = {name: profile.get(name) for name in names}
    for name in (*URL_FIELDS, "daily_spend_limit"):
        if name in current and current[name] is None:
            current[name] = ""
    return current


def _initial_from_profile(profile: Mapping[str, Any], field_names: list[str]) -> dict[str, Any]:
    """Form initial values for a profile in API shape."""
    initial: dict[str, Any] = {}
    for name in field_names:
        if "__" in name or name in ("number_pool_enabled", "url_shortener_enabled"):
            continue
        value = profile.get(name)
        initial[name] = "" if value is None else value
    for toggle, parent, children in (
        ("number_pool_enabled", NUMBER_POOL, NUMBER_POOL_FIELDS),
        ("url_shortener_enabled", URL_SHORTENER, URL_SHORTENER_FIELDS),
    ):
        if toggle not in field_names:
            continue
        settings = profile.get(parent)
        initial[toggle] = settings is not None
        for child in children:
            value = (settings or {}).get(child)
            if child.endswith("_weight"):
                initial[nested_name(parent, child)] = _weight_text(value)
            else:
                initial[nested_name(parent, child)] = "" if value is None else value
    return initial


class _PatchFormMixin:
    """Shared by the forms that change an existing profile: initial values from the profile, a hidden
    `updated_at` stamp, and `to_patch()` with only what changed. Mixed into a `forms.Form` that
    provides `api_values()`."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    errors: Any
    add_error: Any
    api_values: Any
    current: dict[str, Any]
    profile_data: dict[str, Any]

    @classmethod
    def _kwargs_for_profile(cls, profile: ProfileLike, kwargs: dict[str, Any]) -> tuple[dict, dict]:
        data = _profile_dict(profile)
        names = list(cls.base_fields)  # type: ignore[attr-defined]
        kwargs["initial"] = {
            **_initial_from_profile(data, names),
            "updated_at": data.get("updated_at") or "",
            **kwargs.get("initial", {}),
        }
        return data, kwargs

    def _remember_current(self, profile_data: dict[str, Any], api_names: list[str]) -> None:
        self.profile_data = profile_data
        self.current = _current_values(profile_data, api_names)

    def to_patch(self) -> dict[str, Any]:
        """The PATCH body: only attributes whose new value differs from the profile's, in API shape
        (a nested object is sent whole, or null when its toggle is off). Call only on a valid form."""
        values = self.api_values()
        current = self.current
        return {name: value for name, value in values.items() if not _same(name, value, current.get(name))}

    @property
    def expected_updated_at(self) -> str:
        """The profile's `updated_at` when the form was loaded, for the use case's staleness check."""
        return self.cleaned_data["updated_at"]

    def _clean_stamp_and_blank_limit(self) -> None:
        # The stamp is hidden: an error beside it would be invisible, so say it at the top of the form.
        if "updated_at" in self.errors:
            self.errors.pop("updated_at")
            self.add_error(None, "This form is missing its version stamp; reload the page and try again.")
        # The API has no "remove the limit": "" is not an amount. An empty box that was empty is no change.
        if self.cleaned_data.get("daily_spend_limit") == "" and self.current.get("daily_spend_limit") != "":
            self.add_error(
                "daily_spend_limit",
                forms.ValidationError("Enter an amount in USD, e.g. 100 or 25.50.", code="required"),
            )


def _same(name: str, new: Any, old: Any) -> bool:
    # A browser posts a multi-select in option order, the API keeps its own: destinations are a set.
    if name == "whitelisted_destinations" and isinstance(new, list) and isinstance(old, list | tuple):
        return sorted(new) == sorted(old)
    return new == old


class ProfileEditForm(_PatchFormMixin, ProfileFormBase):
    """Every writable attribute of the update contract (`PATCH /messaging_profiles/{id}`), initialised from
    a profile (a `MessagingProfile` or its `to_dict()`), with a hidden `updated_at`.

    `to_patch()` gives only what the user changed. The create-only attributes (resource group, AI
    assistant, health webhook URL) are not here. A spend limit that is already set cannot be blanked.

        form = ProfileEditForm(request.POST, profile=profile)
        if form.is_valid():
            profile_update(..., changes=form.to_patch(), expected_updated_at=form.expected_updated_at)
    """

    updated_at = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        profile: ProfileLike,
        with_spend_limit: bool = False,
        **kwargs: Any,
    ):
        profile_data, kwargs = self._kwargs_for_profile(profile, kwargs)
        super().__init__(data, **kwargs)
        _drop_spend_limit_unless(self, with_spend_limit)
        api_names = [
            name
            for name in self.fields
            if "__" not in name and name not in ("number_pool_enabled", "url_shortener_enabled", "updated_at")
        ]
        self._remember_current(profile_data, [*api_names, NUMBER_POOL, URL_SHORTENER])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_stamp_and_blank_limit()
        return cleaned


class SpendLimitForm(_PatchFormMixin, forms.Form):
    """The account managers' form: `daily_spend_limit` and `daily_spend_limit_enabled`, initialised from
    a profile, with a hidden `updated_at`; `to_patch()` gives only what changed."""

    daily_spend_limit = ApiTextField(
        label="Daily spend limit (USD)",
        validators=[validate_spend_limit],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "pattern": SPEND_LIMIT_HTML_PATTERN}),
    )
    daily_spend_limit_enabled = forms.BooleanField(label="Enforce the daily spend limit", required=False)
    updated_at = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, data: Mapping[str, Any] | None = None, *, profile: ProfileLike, **kwargs: Any):
        profile_data, kwargs = self._kwargs_for_profile(profile, kwargs)
        super().__init__(data, **kwargs)
        self._remember_current(profile_data, ["daily_spend_limit", "daily_spend_limit_enabled"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_stamp_and_blank_limit()
        return cleaned

    def api_values(self) -> dict[str, Any]:
        """The two spend-limit attributes in API shape (call only on a valid form)."""
        if not self.is_valid():
            raise ValueError("api_values() needs a valid form; check is_valid() first")
        return {name: self.cleaned_data[name] for name in ("daily_spend_limit", "daily_spend_limit_enabled")}


NUL_SHOWN_AS = "\u2400"  # ␀, how pages and the audit log show a NUL character


class ProfileDeleteForm(forms.Form):
    """Delete confirmation: the user types the profile's name, which must match exactly (case, spaces).

    A name holding NUL characters (possible at Telnyx, impossible to type) is confirmed by typing it as
    the page shows it, with ␀ for each NUL."""

    confirm_name = forms.CharField(label="Type the profile's name to confirm", strip=False)

    def __init__(self, data: Mapping[str, Any] | None = None, *, profile_name: str, **kwargs: Any):
        super().__init__(data, **kwargs)
        self.profile_name = profile_name
        self.fields["confirm_name"].widget.attrs["autocomplete"] = "off"

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if typed not in (self.profile_name, self.profile_name.replace("\x00", NUL_SHOWN_AS)):
            raise forms.ValidationError(
                "That is not the profile's name. Type it exactly as shown, including capitals and spaces.",
                code="mismatch",
            )
        return typed
