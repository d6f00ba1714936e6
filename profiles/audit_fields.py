"""How a messaging profile's fields read in its history and the audit log: the forms' labels, and the
kind of each value (money, yes/no, country codes, a nested object), registered with audit.readable.
Also the fields of a spend-limit job's entry (the job starts many profiles' changes at once)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.forms.utils import pretty_name
from django.utils.translation import gettext_lazy as _

from audit import readable
from audit.readable import Field
from audit.services import OBJECT_TYPE_JOB, OBJECT_TYPE_PROFILE
from profiles import directory
from profiles.forms import ProfileCreateForm
from profiles.forms.nested import NUMBER_POOL, URL_SHORTENER
from profiles.services import ACTION_CREATE, ACTION_DELETE, ACTION_SPEND_LIMIT, ACTION_UPDATE
from profiles.spend_plans import ACTION_JOB, job_label

# Where the form's label says more than a history line needs, or the API field has no form field
# (a deletion's snapshot holds every attribute Telnyx returned, form field or not).
_LABELS = {
    "daily_spend_limit": _("Daily spend limit"),
    NUMBER_POOL: _("Number pool"),
    URL_SHORTENER: _("URL shortener"),
    "id": _("Profile id"),
    "record_type": _("Record type"),
    "organization_id": _("Organization ID"),
    "redaction_enabled": _("Redact message content"),
    "redaction_level": _("Redaction level"),
    "created_at": _("Created"),
    "updated_at": _("Updated"),
    "v1_secret": _("v1 secret"),
}
_KINDS = {
    "daily_spend_limit": readable.MONEY,
    "whitelisted_destinations": readable.CODES,
    "record_type": readable.OBJECT_TYPE,
    "redaction_enabled": readable.BOOLEAN,
    "created_at": readable.TIME,
    "updated_at": readable.TIME,
}


def profile_fields() -> dict[str, Field]:
    """Every field of a profile as the create form labels it (the edit form is the same but smaller)."""
    form_fields = ProfileCreateForm.base_fields
    result: dict[str, Field] = {}
    for nested in (NUMBER_POOL, URL_SHORTENER):
        prefix = f"{nested}__"
        parts = {
            name.removeprefix(prefix): f.label or pretty_name(name.removeprefix(prefix))
            for name, f in form_fields.items()
            if name.startswith(prefix)
        }
        result[nested] = Field(_LABELS[nested], readable.NESTED, parts)
    for name, form_field in form_fields.items():
        if "__" in name or name in result:
            continue
        kind = _KINDS.get(name) or (
            readable.BOOLEAN if isinstance(form_field, forms.BooleanField) else readable.TEXT
        )
        result[name] = Field(_LABELS.get(name) or form_field.label or pretty_name(name), kind)
    for name, label in _LABELS.items():
        result.setdefault(name, Field(label, _KINDS.get(name, readable.TEXT)))
    return result


def spend_limit_job_fields() -> dict[str, Field]:
    """The entry of a started spend-limit job: how many profiles, from where, and (for a bulk
    change, which sets the same values everywhere) the values."""
    profile = profile_fields()
    return {
        "profiles": Field(_("Profiles")),
        "source": Field(_("Source"), choices={"bulk": _("Bulk change"), "import": _("CSV import")}),
        "daily_spend_limit": profile["daily_spend_limit"],
        "daily_spend_limit_enabled": profile["daily_spend_limit_enabled"],
    }


def _job_label(after: Mapping[str, Any], name_of: Callable[[str], str | None]) -> str | None:
    count = after.get("profiles")
    return job_label(count) if isinstance(count, int) else None


def _profile_names() -> Mapping[str, str] | None:
    found = directory.cached_directory()
    return found.names if found is not None else None


ACTIONS = {
    ACTION_CREATE: _("Profile created"),
    ACTION_UPDATE: _("Settings changed"),
    ACTION_SPEND_LIMIT: _("Spend limit changed"),
    ACTION_DELETE: _("Profile deleted"),
    ACTION_JOB: _("Spend limits job started"),
}


def register() -> None:
    readable.register_fields(OBJECT_TYPE_PROFILE, profile_fields())
    readable.register_fields(OBJECT_TYPE_JOB, spend_limit_job_fields())
    readable.register_actions(ACTIONS)
    readable.register_names(readable.PROFILE_REF, _profile_names)
    readable.register_object_labels({ACTION_JOB: _job_label})
