"""How a short code's fields read in its history and the audit log (registered with audit.readable):
the bound profile by name, tags joined by commas, labels from the forms. Also the fields of a bulk
bind/unbind job's entry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from audit import readable
from audit.readable import Field
from audit.services import OBJECT_TYPE_JOB, OBJECT_TYPE_SHORT_CODE
from shortcodes.bulk import ACTION_BULK_BIND, ACTION_BULK_UNBIND, job_label
from shortcodes.forms import BindForm, TagsForm
from shortcodes.services import ACTION_BIND, ACTION_TAGS, ACTION_UNBIND


def short_code_fields() -> dict[str, Field]:
    return {
        "messaging_profile_id": Field(
            BindForm.base_fields["messaging_profile_id"].label or "", readable.PROFILE_REF
        ),
        "tags": Field(TagsForm.base_fields["tags"].label or "", readable.CODES),
    }


def bulk_job_fields() -> dict[str, Field]:
    """The entry of a started bulk job: the profile bound to (none for an unbind), how many codes."""
    return {
        "messaging_profile_id": short_code_fields()["messaging_profile_id"],
        "short_codes": Field(_("Short codes")),
    }


def _bind_label(after: Mapping[str, Any], name_of: Callable[[str], str | None]) -> str | None:
    count, profile_id = after.get("short_codes"), after.get("messaging_profile_id")
    name = name_of(profile_id) if isinstance(profile_id, str) else None
    if not isinstance(count, int) or not name:
        return None  # the stored label names the profile as it was called then
    return job_label(binding=True, count=count, profile_name=name)


def _unbind_label(after: Mapping[str, Any], name_of: Callable[[str], str | None]) -> str | None:
    count = after.get("short_codes")
    return job_label(binding=False, count=count, profile_name="") if isinstance(count, int) else None


ACTIONS = {
    ACTION_BIND: _("Bound to a profile"),
    ACTION_UNBIND: _("Unbound"),
    ACTION_TAGS: _("Tags changed"),
    ACTION_BULK_BIND: _("Bulk bind started"),
    ACTION_BULK_UNBIND: _("Bulk unbind started"),
}


def register() -> None:
    readable.register_fields(OBJECT_TYPE_SHORT_CODE, short_code_fields())
    readable.register_fields(OBJECT_TYPE_JOB, bulk_job_fields())
    readable.register_object_labels({ACTION_BULK_BIND: _bind_label, ACTION_BULK_UNBIND: _unbind_label})
    readable.register_actions(ACTIONS)
