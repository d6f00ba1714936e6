"""Use cases of the audit log: recording an entry, and the queries behind the log and history pages.

Every write attempted through the dashboard calls `entry_record()` exactly once, after the Telnyx
call has succeeded or failed, with the same `changes` either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AuditEntry
from telnyx_admin.client_ip import client_ip

# Object types used across the dashboard, so history URLs and filters agree.
OBJECT_TYPE_PROFILE = "messaging_profile"
OBJECT_TYPE_SHORT_CODE = "short_code"

_MAX_ERROR_LENGTH = 2000


def entry_record(
    *,
    request: HttpRequest,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    changes: Mapping[str, tuple[Any, Any]] | None,
    outcome: Literal["success", "failure"],
    error: str = "",
) -> AuditEntry:
    """Append one audit entry for a write attempted by `request.user`.

    `changes` maps each field the write tried to change to `(before, after)`; values must be
    JSON-serialisable (Decimal, datetime and UUID are fine). `error` is the API's message on failure:
    never pass anything that could contain a secret. Request id and client IP come from `request`.

    Raises:
        ValueError: `outcome` is not "success" or "failure".
    """
    if outcome not in AuditEntry.Outcome.values:
        raise ValueError(f"outcome must be 'success' or 'failure', not {outcome!r}")
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=_storable((object_label or "")[:255]),
        changes=_storable(
            {field: {"before": before, "after": after} for field, (before, after) in (changes or {}).items()}
        ),
        outcome=outcome,
        error=_storable((error or "")[:_MAX_ERROR_LENGTH]),
        request_id=getattr(request, "id", "")[:64],
        client_ip=client_ip(request),
    )


def _storable(value: Any) -> Any:
    """`value` with NUL characters shown as U+2400 (␀). The API accepts NUL in names and tags, but
    PostgreSQL text and jsonb cannot hold it, and an entry that fails to save would lose the record."""
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
