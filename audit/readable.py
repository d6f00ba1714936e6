"""Audit entries written for people: field labels instead of API names, values formatted, profile ids
shown as names, a deletion as a short summary with its full snapshot behind a disclosure.

Entries store raw API values (the CSV export keeps them); this module only decides how they are shown.
Apps describe their objects' fields once at start-up (`register_fields`), and say how to name the
objects an id points at (`register_names`), so the audit app needs to know nothing about them:

    register_fields("messaging_profile", {"enabled": Field("Enabled", BOOLEAN), ...})
    register_names(PROFILE_REF, lambda: {"<id>": "Acme", ...})   # never calls Telnyx
    register_object_labels({"profile.spend_limit_job": lambda after, name_of: ...})

The same labels and formats serve other pages that show a field's value (a write conflict's panel),
through `field_label` and `field_text`.

A view describes one page of entries at once (`describe_entries`), so names are looked up once per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from audit.models import AuditEntry
from audit.services import OBJECT_TYPES
from telnyx_admin import formatting

TEXT = "text"
BOOLEAN = "boolean"
MONEY = "money"
TIME = "time"
CODES = "codes"  # a list of short codes (countries, tags): joined by commas
NESTED = "nested"  # an object of sub-fields: "Label: value" pairs
PROFILE_REF = "profile"  # a messaging profile id: shown as the profile's name
OBJECT_TYPE = "object_type"  # an API record type (`messaging_profile`): shown by its registered name

# The fields a deletion's summary shows first, when the object has them; the rest is in the snapshot.
SUMMARY_FIELDS = ("name", "enabled", "whitelisted_destinations", "daily_spend_limit", "webhook_url")


@dataclass(frozen=True)
class Field:
    label: StrOrPromise
    kind: str = TEXT
    # For NESTED: labels of the sub-fields (by their API names).
    parts: Mapping[str, StrOrPromise] = field(default_factory=dict)
    # For a code from a fixed set (a job's `source`): what each value is called.
    choices: Mapping[str, StrOrPromise] = field(default_factory=dict)


_FIELDS: dict[str, dict[str, Field]] = {}
_NAMES: dict[str, Callable[[], Mapping[str, str] | None]] = {}
_ACTIONS: dict[str, StrOrPromise] = {}
# (the entry's `after` values, a profile id -> name lookup) -> the object's name, or None.
ObjectLabel = Callable[[Mapping[str, Any], Callable[[str], str | None]], str | None]
_OBJECT_LABELS: dict[str, ObjectLabel] = {}


def object_type_label(object_type: str) -> str:
    """The object type's name for people ("Messaging profile"), or its code when it has none."""
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


def register_fields(object_type: str, fields: Mapping[str, Field]) -> None:
    """How the fields of one object type are labelled and formatted (called from an app's ready())."""
    _FIELDS.setdefault(object_type, {}).update(fields)


def register_actions(actions: Mapping[str, StrOrPromise]) -> None:
    """What each action code (`profile.update`) is called for people ("Settings changed")."""
    _ACTIONS.update(actions)


def action_label(action: str) -> str:
    """The action's name for people, or its code when none was registered."""
    label = _ACTIONS.get(action)
    return str(label) if label is not None else action


def register_object_labels(labels: Mapping[str, ObjectLabel]) -> None:
    """How entries of an action name their object for the reader, when what the entry stored is a
    sentence in the language of whoever made it (a job's "Spend limits of 3 profiles"): rebuilt
    from the entry's values. A labeller returning None leaves the stored label."""
    _OBJECT_LABELS.update(labels)


def register_names(kind: str, names: Callable[[], Mapping[str, str] | None]) -> None:
    """Where names of the objects an id of `kind` points at come from: a mapping id → name, or None
    when none are at hand (then the id is shown). It must not call Telnyx: it runs on every page."""
    _NAMES[kind] = names


@dataclass(frozen=True)
class Change:
    """One changed field, ready to print: `before` and `after` are safe HTML."""

    name: str
    label: str
    before: SafeString
    after: SafeString


@dataclass(frozen=True)
class Described:
    """An entry with its changes written for people. A deletion has `snapshot` (every field it had)
    and `summary` (the few that identify it); other entries have `changes`."""

    entry: AuditEntry
    changes: list[Change]
    summary: list[Change]
    snapshot: list[Change]
    # What the entry is about, in the reader's language where it can be rebuilt.
    object_label: str = ""

    @property
    def is_deletion(self) -> bool:
        return bool(self.snapshot)

    @property
    def action_label(self) -> str:
        return action_label(self.entry.action)

    @property
    def object_type_label(self) -> str:
        return object_type_label(self.entry.object_type)


def describe_entries(entries: Iterable[AuditEntry]) -> list[Described]:
    """Every entry of a page, described with one lookup of names for the page."""
    names = _Names()
    return [_describe(entry, names) for entry in entries]


class _Names:
    """Names per kind, fetched on first use and kept for one page."""

    def __init__(self) -> None:
        self._loaded: dict[str, Mapping[str, str]] = {}

    def name_of(self, kind: str, object_id: str) -> str | None:
        if kind not in self._loaded:
            source = _NAMES.get(kind)
            self._loaded[kind] = (source() if source else None) or {}
        return self._loaded[kind].get(object_id)


def _describe(entry: AuditEntry, names: _Names) -> Described:
    fields = _FIELDS.get(entry.object_type, {})
    changes = [
        Change(
            name=name,
            label=_label(name, fields),
            before=_value(change.get("before"), fields.get(name), names),
            after=_value(change.get("after"), fields.get(name), names),
        )
        for name, change in (entry.changes or {}).items()
        if isinstance(change, Mapping)
    ]
    label = _object_label(entry, names)
    if _is_deletion(entry):
        # The "after" of every field is empty: show what the object was, not a column of dashes.
        summary = [change for name in SUMMARY_FIELDS for change in changes if change.name == name]
        return Described(entry=entry, changes=[], summary=summary, snapshot=changes, object_label=label)
    return Described(entry=entry, changes=changes, summary=[], snapshot=[], object_label=label)


def _object_label(entry: AuditEntry, names: _Names) -> str:
    make = _OBJECT_LABELS.get(entry.action)
    after = {
        name: change.get("after")
        for name, change in (entry.changes or {}).items()
        if isinstance(change, Mapping)
    }
    label = make(after, lambda object_id: names.name_of(PROFILE_REF, object_id)) if make else None
    return label or entry.object_label or entry.object_id


def _is_deletion(entry: AuditEntry) -> bool:
    changes = entry.changes or {}
    return (
        entry.action.endswith(".delete")
        and bool(changes)
        and all(isinstance(change, Mapping) and change.get("after") is None for change in changes.values())
    )


def field_label(object_type: str, name: str) -> str:
    """A field's label, as the audit log shows it."""
    return _label(name, _FIELDS.get(object_type, {}))


def field_text(object_type: str, name: str, value: Any) -> str:
    """A field's value as plain text, formatted as the audit log formats it (Yes/No, money, codes,
    a nested object as "Label: value" pairs). Accepts the API's JSON or a record with `to_dict()`."""
    spec = _FIELDS.get(object_type, {}).get(name)
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    if _is_empty(value):
        return formatting.EMPTY
    if spec is not None and spec.kind == NESTED and isinstance(value, Mapping):
        return "; ".join(f"{_part_label(spec, key)}: {_plain(item, None)}" for key, item in value.items())
    return _plain(value, spec.kind if spec else None, spec)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def _part_label(spec: Field | None, key: str) -> str:
    label = spec.parts.get(key) if spec is not None else None
    return str(label) if label else _label(key, {})


def _label(name: str, fields: Mapping[str, Field]) -> str:
    spec = fields.get(name)
    if spec is not None:
        return str(spec.label)
    # A field no form shows (an id, a timestamp of a snapshot): its API name in words.
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _value(value: Any, spec: Field | None, names: _Names) -> SafeString:
    kind = spec.kind if spec else _guess_kind(value)
    if _is_empty(value):
        return format_html('<span class="muted">{}</span>', formatting.EMPTY)
    if kind == PROFILE_REF and isinstance(value, str):
        return _reference(value, names.name_of(PROFILE_REF, value))
    if kind == NESTED and isinstance(value, Mapping):
        pairs = ((_part_label(spec, key), _plain(item, None)) for key, item in value.items())
        return format_html_join("; ", "{}: {}", pairs)
    return format_html("{}", _plain(value, kind, spec))


def _plain(value: Any, kind: str | None, spec: Field | None = None) -> str:
    """A value as text: Yes/No, money, a time, codes joined by commas, a choice by its name."""
    kind = kind or _guess_kind(value)
    if value is None or value == "":
        return formatting.EMPTY
    if spec is not None and isinstance(value, str) and value in spec.choices:
        return str(spec.choices[value])
    if kind == BOOLEAN or isinstance(value, bool):
        return formatting.yes_no(value)
    if kind == MONEY:
        return formatting.money(value)
    if kind == TIME:
        return formatting.when(value) or str(value)
    if kind == OBJECT_TYPE:
        return object_type_label(str(value))
    if isinstance(value, list | tuple):
        return (
            formatting.code_list(value) if kind == CODES else ", ".join(_plain(item, None) for item in value)
        )
    if isinstance(value, Mapping):
        return "; ".join(f"{_label(str(key), {})}: {_plain(item, None)}" for key, item in value.items())
    return str(value)


def _guess_kind(value: Any) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, list | tuple):
        return CODES
    if isinstance(value, Mapping):
        return NESTED
    return TEXT


def _reference(object_id: str, name: str | None) -> SafeString:
    """A profile by name, its id on hover and in a data attribute for copying; the id when unnamed."""
    if name:
        return format_html('<span class="ref" title="{}" data-id="{}">{}</span>', object_id, object_id, name)
    return format_html(
        '<span class="ref" data-id="{}"><code>{}</code> <span class="muted">({})</span></span>',
        object_id,
        object_id,
        _("profile not in the directory"),
    )
