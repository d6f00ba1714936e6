"""Use cases of the audit log: writing entries, and the queries behind the log and history pages.

The write path (`writes.path`) opens an entry before a write is sent (`entry_open`, outcome
`unknown`) and resolves it once the outcome is known. Attempts refused before anything was sent
(a conflict, a busy object, Telnyx unreachable while reading the object first) are recorded whole
by `entry_record`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from audit.context import AuditContext
from audit.models import AuditEntry

# Object types used across the dashboard, so history URLs and filters agree.
OBJECT_TYPE_PROFILE = "messaging_profile"
OBJECT_TYPE_SHORT_CODE = "short_code"
OBJECT_TYPE_JOB = "job"  # a background job's start: a bulk change of many objects
# What each is called for people: the audit log's Object column, its filter, a history's title.
OBJECT_TYPES: dict[str, StrOrPromise] = {
    OBJECT_TYPE_PROFILE: gettext_lazy("Messaging profile"),
    OBJECT_TYPE_SHORT_CODE: gettext_lazy("Short code"),
    OBJECT_TYPE_JOB: gettext_lazy("Background job"),
}

_MAX_ERROR_LENGTH = 2000
# Each before/after value is kept up to this many characters (as JSON); longer ones are cut with a
# note of their length, so a crafted 2 MB name cannot make every audit page megabytes long.
MAX_VALUE_CHARS = 4096
_ELLIPSIS = "…"

Actor = AbstractBaseUser | AnonymousUser | None


class EntrySubject(TypedDict):
    """Who did what to which object: what every entry records, however its outcome is known.

    `changes` maps each field the write tried to change to `(before, after)`; values must be
    JSON-serialisable (Decimal, datetime and UUID are fine).
    """

    actor: Actor
    audit: AuditContext
    action: str
    object_type: str
    object_id: str
    object_label: str
    changes: Mapping[str, tuple[Any, Any]] | None


def _fields(subject: EntrySubject) -> dict[str, Any]:
    actor, audit = subject["actor"], subject["audit"]
    known = actor if actor is not None and actor.is_authenticated else None
    return {
        "actor": known,
        "actor_username": clip(known.get_username() if known else "", 150),
        "action": clip(subject["action"], 64),
        "object_type": clip(subject["object_type"], 64),
        "object_id": clip(str(subject["object_id"] or ""), 128),
        "object_label": clip(subject["object_label"] or "", 255),
        "changes": storable_changes(subject["changes"]),
        "request_id": clip(audit.request_id, 64),
        "client_ip": audit.client_ip,
        "account": clip(audit.account, 64),
    }


def entry_open(*, intent: Mapping[str, Any], **subject: Unpack[EntrySubject]) -> AuditEntry:
    """Commit the intent of a write about to be sent: outcome `unknown` until it is resolved.

    Raises:
        DatabaseError: the entry could not be stored; the caller must then send nothing.
    """
    return AuditEntry.objects.create(
        **_fields(subject), outcome=AuditEntry.Outcome.UNKNOWN, intent=_storable(dict(intent))
    )


def entry_record(
    *,
    outcome: str,
    resolution: str = AuditEntry.Resolution.ANSWERED,
    error: str = "",
    **subject: Unpack[EntrySubject],
) -> AuditEntry:
    """Append one finished entry (an attempt whose outcome is known at once). `error` is the API's
    message on failure: never pass anything that could contain a secret.

    Raises:
        ValueError: `outcome` is not "success" or "failure".
        DatabaseError: the entry could not be stored.
    """
    if outcome not in (AuditEntry.Outcome.SUCCESS, AuditEntry.Outcome.FAILURE):
        raise ValueError(f"outcome must be 'success' or 'failure', not {outcome!r}")
    return AuditEntry.objects.create(
        **_fields(subject),
        outcome=outcome,
        resolution=resolution,
        resolved_at=timezone.now(),
        error=error_text(error),
    )


def error_text(error: str) -> str:
    return clip(_storable(error or ""), _MAX_ERROR_LENGTH)


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the cut marked with an ellipsis (columns never overflow)."""
    text = _storable(text)
    return text if len(text) <= limit else text[: limit - 1] + _ELLIPSIS


def storable_changes(changes: Mapping[str, tuple[Any, Any]] | None) -> dict[str, dict[str, Any]]:
    return {
        clip(str(field), 128): {"before": _bounded(before), "after": _bounded(after)}
        for field, (before, after) in (changes or {}).items()
    }


def _bounded(value: Any) -> Any:
    """A value as stored in `changes`: as is up to MAX_VALUE_CHARS of JSON, else a cut text with the
    original length noted."""
    value = _storable(value)
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if len(text) <= MAX_VALUE_CHARS:
        return value
    shown = value if isinstance(value, str) else text
    return f"{shown[:MAX_VALUE_CHARS]}{_ELLIPSIS} [truncated: {len(shown):,} characters in all]"


def _storable(value: Any) -> Any:
    """`value` with NUL characters shown as U+2400 (␀). PostgreSQL text and jsonb cannot hold NUL,
    and an entry that fails to save would lose the record."""
    if isinstance(value, str):
        return value.replace("\x00", "\u2400")
    if isinstance(value, Mapping):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def entry_search(
    *,
    user: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    outcome: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries matching every given filter, newest first. Dates are whole days in the site's time zone."""
    entries = AuditEntry.objects.all()
    if user:
        entries = entries.filter(actor_username__iexact=user)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if outcome:
        entries = entries.filter(outcome=outcome)
    if date_from:
        entries = entries.filter(created_at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(created_at__lt=_start_of(date_to + timedelta(days=1)))
    return entries


def entry_history(*, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """Every entry about one object, newest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=object_id)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
