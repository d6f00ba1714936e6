"""The settings forms of a profile: create (`POST /messaging_profiles`) and edit (`PATCH …/{id}`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from profiles.countries import DESTINATION_CHOICES
from profiles.forms.fields import ApiTextField, ApiUrlField, WeightField
from profiles.forms.nested import (
    NUMBER_POOL,
    NUMBER_POOL_FIELDS,
    URL_SHORTENER,
    URL_SHORTENER_FIELDS,
    ProfileLike,
    initial_from_profile,
    is_api_attribute,
    nested_name,
    profile_dict,
)
from profiles.forms.patch import PatchForm
from profiles.forms.spend_limit import SPEND_LIMIT_FIELD_NAMES, SpendLimitFields, drop_spend_limit_unless
from profiles.forms.widgets import RevealToggle, SearchableCheckboxes
from profiles.validators import (
    ALPHA_SENDER_MAX_LENGTH,
    validate_alpha_sender,
    validate_destinations,
    validate_identifier_length,
    validate_not_blank,
)

WEBHOOK_API_VERSION_CHOICES = [
    ("2", _("2 — Telnyx API v2")),
    ("1", _("1 — Telnyx API v1")),
    ("2010-04-01", _("2010-04-01 — legacy format")),
]


@dataclass(frozen=True)
class Fieldset:
    """A group of fields as the detail page groups them. `hidden` is True for a nested object's fieldset
    while its toggle is off, so the page renders it hidden before any script runs."""

    id: str
    legend: StrOrPromise
    fields: list[forms.BoundField]
    hidden: bool = False


# --- forms ---------------------------------------------------------------------------------------------


class ProfileFormBase(SpendLimitFields):
    """Fields shared by the create and update contracts, the nested-object toggles and their cleaning.

    Subclasses add create-only fields (`ProfileCreateForm`) or the staleness stamp (`ProfileEditForm`).
    """

    # 422 pointers that name a whole nested object land on its toggle (used by add_api_errors).
    api_pointer_fields = {
        f"/{NUMBER_POOL}": "number_pool_enabled",
        f"/{URL_SHORTENER}": "url_shortener_enabled",
    }

    # General
    name = ApiTextField(label=_("Name"), required=True, validators=[validate_not_blank])
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    # Webhooks
    webhook_url = ApiUrlField(label=_("Webhook URL"), help_text=_("Leave blank for none."))
    webhook_failover_url = ApiUrlField(label=_("Webhook failover URL"), help_text=_("Leave blank for none."))
    webhook_api_version = forms.ChoiceField(
        label=_("Webhook API version"), choices=WEBHOOK_API_VERSION_CHOICES, initial="2"
    )
    # Outbound
    whitelisted_destinations = forms.MultipleChoiceField(
        label=_("Destinations"),
        choices=DESTINATION_CHOICES,
        validators=[validate_destinations],
        widget=SearchableCheckboxes(),
        help_text=_("Countries this profile may send to, or “All destinations (*)” alone."),
    )
    alpha_sender = ApiTextField(
        label=_("Alpha sender"),
        empty_value=None,
        validators=[validate_alpha_sender],
        widget=forms.TextInput(
            attrs={
                "maxlength": ALPHA_SENDER_MAX_LENGTH,
                "pattern": "[A-Za-z0-9 ]{1,11}",
                "autocomplete": "off",
            }
        ),
        help_text=_("Up to 11 letters, digits or spaces. Leave blank for none."),
    )
    number_pool_enabled = forms.BooleanField(
        label=_("Use a number pool"), required=False, widget=RevealToggle(reveals="fieldset-number-pool")
    )
    number_pool_settings__toll_free_weight = WeightField(label=_("Toll-free weight"), required=False)
    number_pool_settings__long_code_weight = WeightField(label=_("Long code weight"), required=False)
    number_pool_settings__skip_unhealthy = forms.BooleanField(
        label=_("Skip unhealthy numbers"), required=False
    )
    number_pool_settings__sticky_sender = forms.BooleanField(label=_("Sticky sender"), required=False)
    number_pool_settings__geomatch = forms.BooleanField(label=_("Geomatch"), required=False)
    # URL shortener
    url_shortener_enabled = forms.BooleanField(
        label=_("Use the URL shortener"),
        required=False,
        widget=RevealToggle(reveals="fieldset-url-shortener"),
    )
    url_shortener_settings__domain = ApiTextField(
        label=_("Domain"), help_text=_("A Telnyx shortener domain.")
    )
    url_shortener_settings__prefix = ApiTextField(label=_("Prefix"), help_text=_("Optional."))
    url_shortener_settings__replace_blacklist_only = forms.BooleanField(
        label=_("Replace blacklisted links only"), required=False
    )
    url_shortener_settings__send_webhooks = forms.BooleanField(label=_("Send click webhooks"), required=False)
    # MMS and encoding
    mms_fall_back_to_sms = forms.BooleanField(label=_("Fall back to SMS for MMS"), required=False)
    mms_transcoding = forms.BooleanField(label=_("Transcode MMS media"), required=False)
    mobile_only = forms.BooleanField(label=_("Send to mobile numbers only"), required=False)
    smart_encoding = forms.BooleanField(label=_("Smart encoding"), required=False)

    # (fieldset id, legend, field names, toggle that reveals it or None); names missing from a form are
    # skipped, so create and edit share the layout.
    layout: tuple[tuple[str, StrOrPromise, tuple[str, ...], str | None], ...] = (
        ("fieldset-general", _("General"), ("name", "enabled"), None),
        (
            "fieldset-webhooks",
            _("Webhooks"),
            ("webhook_url", "webhook_failover_url", "webhook_api_version", "health_webhook_url"),
            None,
        ),
        (
            "fieldset-outbound",
            _("Outbound"),
            ("whitelisted_destinations", "alpha_sender", "number_pool_enabled"),
            None,
        ),
        (
            "fieldset-number-pool",
            _("Number pool"),
            tuple(nested_name(NUMBER_POOL, name) for name in NUMBER_POOL_FIELDS),
            "number_pool_enabled",
        ),
        ("fieldset-spend-limit", _("Spend limit"), ("daily_spend_limit", "daily_spend_limit_enabled"), None),
        ("fieldset-url-shortener-toggle", _("URL shortener"), ("url_shortener_enabled",), None),
        (
            "fieldset-url-shortener",
            _("URL shortener settings"),
            tuple(nested_name(URL_SHORTENER, name) for name in URL_SHORTENER_FIELDS),
            "url_shortener_enabled",
        ),
        (
            "fieldset-mms",
            _("MMS and encoding"),
            ("mms_fall_back_to_sms", "mms_transcoding", "mobile_only", "smart_encoding"),
            None,
        ),
        ("fieldset-identifiers", _("Identifiers"), ("resource_group_id", "ai_assistant_id"), None),
    )

    # The fields in the order of the page, whichever form adds them.
    field_order = [name for _, _, names, _ in layout for name in names]

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
        super().clean()
        cleaned = self.cleaned_data
        self._clean_nested(
            toggle="number_pool_enabled",
            parent=NUMBER_POOL,
            children=NUMBER_POOL_FIELDS,
            required={"toll_free_weight": _("Enter a weight."), "long_code_weight": _("Enter a weight.")},
        )
        self._clean_nested(
            toggle="url_shortener_enabled",
            parent=URL_SHORTENER,
            children=URL_SHORTENER_FIELDS,
            required={"domain": _("Enter the shortener domain.")},
        )
        return cleaned

    def _clean_nested(
        self, *, toggle: str, parent: str, children: tuple[str, ...], required: dict[str, StrOrPromise]
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
            if is_api_attribute(name):
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

    health_webhook_url = ApiUrlField(label=_("Health webhook URL"), help_text=_("Leave blank for none."))
    resource_group_id = ApiTextField(
        label=_("Resource group ID"), empty_value=None, validators=[validate_identifier_length]
    )
    ai_assistant_id = ApiTextField(
        label=_("AI assistant ID"), empty_value=None, validators=[validate_identifier_length]
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, with_spend_limit: bool = False, **kwargs: Any
    ):
        super().__init__(data, **kwargs)
        drop_spend_limit_unless(self, with_spend_limit)

    @classmethod
    def copying(cls, profile: ProfileLike, *, with_spend_limit: bool = False) -> ProfileCreateForm:
        """An unbound create form filled in with another profile's settings, to duplicate it.

        Only the form's own fields are taken, so the id, secrets and timestamps never are; the name
        gets " (copy)". The spend limit is taken only for those who may set it (else its fields are
        not in the form at all).
        """
        source = profile_dict(profile)
        names = [name for name in cls.base_fields if with_spend_limit or name not in SPEND_LIMIT_FIELD_NAMES]
        initial = initial_from_profile(source, names)
        initial["name"] = _("%(name)s (copy)") % {"name": source.get("name") or ""}
        return cls(initial=initial, with_spend_limit=with_spend_limit)

    def to_payload(self) -> dict[str, Any]:
        """The create request body. A blank spend limit is left out so the API applies its default."""
        payload = self.api_values()
        if payload.get("daily_spend_limit") == "":
            del payload["daily_spend_limit"]
        return payload


class ProfileEditForm(ProfileFormBase, PatchForm):
    """Every writable attribute of the update contract (`PATCH /messaging_profiles/{id}`), initialised from
    a profile (a `MessagingProfile` or its `to_dict()`), with a hidden `updated_at`.

    `api_values()` gives every attribute; the write path sends only those Telnyx does not hold already.
    The create-only attributes (resource group, AI assistant, health webhook URL) are not here. A
    spend limit that is already set cannot be blanked.

        form = ProfileEditForm(request.POST, profile=profile)
        if form.is_valid():
            profile_update(..., changes=form.api_values(), expected_updated_at=form.expected_updated_at)
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        profile: ProfileLike,
        with_spend_limit: bool = False,
        **kwargs: Any,
    ):
        super().__init__(data, profile=profile, **kwargs)
        drop_spend_limit_unless(self, with_spend_limit)
        api_names = [name for name in self.fields if is_api_attribute(name)]
        self.remember_current([*api_names, NUMBER_POOL, URL_SHORTENER])
