"""Resolving writes whose answer was lost: entries left `unknown` are read back from Telnyx.

- `reconcile_open()` is `manage.py reconcile_writes`: every open entry old enough to have settled,
  each under its object's write lock (so an in-flight write is never judged half-way). Idempotent and
  safe on any number of instances at once: an entry is resolved at most once (AuditEntry.resolve).
- `reconcile_on_view()` runs when someone opens the object: it judges that object's open entries
  against the object the page has just fetched, costing no extra Telnyx call.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from audit.models import AuditEntry
from writes import judge as reading
from writes.errors import WriteBusy, WriteNotRecorded
from writes.kinds import kind_of
from writes.locks import object_lock, object_lock_if_free
from writes.path import apply_reading

logger = logging.getLogger(__name__)

Resolution = AuditEntry.Resolution


def open_entries() -> Any:
    return AuditEntry.objects.filter(outcome=AuditEntry.Outcome.UNKNOWN, resolved_at__isnull=True)


def _settled_before() -> Any:
    return timezone.now() - timedelta(seconds=float(settings.WRITE_SETTLE_SECONDS))


def reconcile_open(*, limit: int = 1000, lock_wait: float = 5.0) -> Counter[str]:
    """Read back every settled open entry (oldest first, at most `limit`); counts by result."""
    counts: Counter[str] = Counter()
    candidates = list(open_entries().filter(created_at__lte=_settled_before()).order_by("created_at")[:limit])
    for entry in candidates:
        counts[_reconcile_one(entry, lock_wait=lock_wait)] += 1
    return counts


def _reconcile_one(entry: AuditEntry, *, lock_wait: float) -> str:
    try:
        kind = kind_of(entry.object_type)
    except KeyError:
        logger.warning("audit entry %s: no object kind %r registered", entry.pk, entry.object_type)
        return "skipped"
    lock = entry.intent.get("lock") or f"{entry.account}:{entry.object_type}:{entry.object_id}"
    try:
        with object_lock(lock, wait=lock_wait):
            entry.refresh_from_db()
            if not entry.is_open:
                return "already resolved"
            found = reading.judge(entry, kind, settled=True)
            if apply_reading(entry, kind, found, resolution=Resolution.RECONCILED):
                return found.verdict.value
            return "still unknown"
    except (WriteBusy, WriteNotRecorded):
        return "busy"


def open_entries_for(*, object_type: str, object_id: str) -> list[AuditEntry]:
    """This object's writes whose outcome is still open (an indexed query; no Telnyx call)."""
    try:
        return list(
            open_entries().filter(object_type=object_type, object_id=object_id).order_by("created_at")
        )
    except DatabaseError:
        logger.warning("open entries of %s %s could not be read", object_type, object_id)
        return []


def reconcile_on_view(*, object_type: str, object_id: str, current: Any) -> list[AuditEntry]:
    """Judge this object's open entries against `current` (as the page just fetched it). Returns the
    entries that are still open afterwards, for the page to mention."""
    pending = open_entries_for(object_type=object_type, object_id=object_id)
    if not pending:
        return []
    kind = kind_of(object_type)
    settled_before = _settled_before()
    still_open = []
    for entry in pending:
        lock = entry.intent.get("lock") or f"{entry.account}:{object_type}:{object_id}"
        with object_lock_if_free(lock) as free:
            if free:
                found = reading.judge(
                    entry, kind, settled=entry.created_at <= settled_before, current=current
                )
                if apply_reading(entry, kind, found, resolution=Resolution.ON_VIEW):
                    continue
        still_open.append(entry)
    return still_open
