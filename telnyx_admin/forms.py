"""Form helpers shared by every app that writes to Telnyx (profiles, short codes).

The API reports a 422 as a list of errors, each pointing into the request body with an RFC 6901 JSON
pointer (`/webhook_url`, `/number_pool_settings/long_code_weight`, `/whitelisted_destinations/1`) or naming
a query parameter. `add_api_errors` puts each one beside the form field it concerns, or at the top of the
form when no visible field matches, so the user sees every message and keeps what they typed.

Field naming convention this relies on: a form field is named like the API attribute, with `__` where the
pointer has `/` (`number_pool_settings__long_code_weight`).
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext

from telnyx_admin.telnyx.errors import ApiError, ValidationFailed

_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")  # RFC 6901: no leading zeros


def _pointer_segments(pointer: str) -> list[str] | None:
    if not pointer.startswith("/"):
        return None  # "" is the whole document, anything else is not a pointer
    return [segment.replace("~1", "/").replace("~0", "~") for segment in pointer[1:].split("/")]


def _visible_field(form: forms.BaseForm, name: str) -> bool:
    field = form.fields.get(name)
    return field is not None and not field.widget.is_hidden


def field_for_pointer(form: forms.BaseForm, pointer: str) -> tuple[str | None, int | None]:
    """The visible form field a JSON pointer names, and the array index when it points at one item.

    `/webhook_url` -> ("webhook_url", None); `/number_pool_settings/long_code_weight` ->
    ("number_pool_settings__long_code_weight", None); `/whitelisted_destinations/1` ->
    ("whitelisted_destinations", 1). Unknown, hidden or deeper pointers give (None, None). A form may map
    extra pointers itself with an `api_pointer_fields` dict (e.g. a whole nested object to its toggle).
    """
    aliases: dict[str, str] = getattr(form, "api_pointer_fields", {})
    if pointer in aliases and _visible_field(form, aliases[pointer]):
        return aliases[pointer], None
    segments = _pointer_segments(pointer)
    if not segments or any(not segment or "__" in segment for segment in segments):
        return None, None  # "__" inside a segment would make the joined name ambiguous
    name = "__".join(segments)
    if _visible_field(form, name):
        return name, None
    *parent, last = segments
    parent_name = "__".join(parent)
    if (
        parent
        and _ARRAY_INDEX.fullmatch(last)
        and _visible_field(form, parent_name)
        and isinstance(form.fields[parent_name], forms.MultipleChoiceField)
    ):
        return parent_name, int(last)
    return None, None


def _item_label(form: forms.BaseForm, name: str, index: int) -> str:
    getlist = getattr(form.data, "getlist", None)
    items = getlist(name) if getlist else form.data.get(name)
    if isinstance(items, list | tuple) and index < len(items):
        return f"“{items[index]}”"
    return gettext("Item %(number)d") % {"number": index + 1}


def _unplaced_message(error: ApiError) -> str:
    if error.pointer:
        return f"{error.message} ({error.pointer})"
    if error.parameter:
        return gettext("%(message)s (parameter %(parameter)s)") % {
            "message": error.message,
            "parameter": error.parameter,
        }
    return error.message


def add_api_errors(form: forms.BaseForm, exc: ValidationFailed) -> list[str | None]:
    """Attach a 422's errors to a bound form: each beside the field its pointer names, else as a non-field
    error (unknown or deeper pointers, hidden fields, query parameters, errors without a source).

    Call after `form.is_valid()` returned True and the API still said 422; then re-render the form, which
    keeps the user's input. Returns, per error, the field it went to (None for non-field), for logging.
    """
    if not hasattr(form, "cleaned_data"):  # add_error needs cleaned_data: clean the form first
        form.full_clean()
    placed: list[str | None] = []
    if not exc.errors:
        form.add_error(None, gettext("Telnyx rejected the change: %(message)s") % {"message": exc.message})
        return [None]
    for error in exc.errors:
        name, index = field_for_pointer(form, error.pointer) if error.pointer is not None else (None, None)
        if name is None:
            form.add_error(None, _unplaced_message(error))
        elif index is not None:
            form.add_error(name, f"{_item_label(form, name, index)}: {error.message}")
        else:
            form.add_error(name, error.message)
        placed.append(name)
    return placed
