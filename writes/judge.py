"""Was a write applied? Decided by reading Telnyx back and comparing with the entry's intent.

The intent (audit entry `intent`) says what kind of write it was and what it wanted:
- create: a profile of that name, created since the attempt, that no other entry has claimed;
- update: every wanted attribute holds its wanted value (then applied), or `updated_at` has not
  moved since the write was prepared (then not applied); anything else was changed again since by
  someone, and cannot be decided;
- delete: the object is gone (a 404 means applied).

"Not applied" is only trusted once the write has settled: a write whose answer timed out may still be
carried out a moment later, so too early a reading says UNKNOWN instead.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Any

from audit.models import AuditEntry
from telnyx_admin.telnyx import errors
from writes.kinds import ObjectKind

logger = logging.getLogger(__name__)

OP_CREATE = "create"
OP_UPDATE = "update"
OP_DELETE = "delete"


class Verdict(enum.Enum):
    APPLIED = "applied"
    NOT_APPLIED = "not_applied"
    UNDECIDABLE = "undecidable"
    UNKNOWN = "unknown"  # Telnyx could not be asked, or it is too early to call it not applied


@dataclass(frozen=True)
class Reading:
    verdict: Verdict
    object: Any = None  # what Telnyx holds now (the created object for a create), when read


def judge(entry: AuditEntry, kind: ObjectKind, *, settled: bool, current: Any = None) -> Reading:
    """Read Telnyx back for one open entry. `current`, if given, is the object as just fetched
    (a page view passes it, so judging costs no call)."""
    op = entry.intent.get("op")
    try:
        if op == OP_CREATE:
            return _judge_create(entry, kind, settled=settled)
        if op == OP_DELETE:
            return _judge_delete(entry, kind, settled=settled, current=current)
        if op == OP_UPDATE:
            return _judge_update(entry, kind, settled=settled, current=current)
    except errors.TelnyxError as exc:
        logger.info("read-back of audit entry %s failed: %s", entry.pk, type(exc).__name__)
        return Reading(Verdict.UNKNOWN)
    logger.warning("audit entry %s has no readable intent (%r)", entry.pk, op)
    return Reading(Verdict.UNDECIDABLE if settled else Verdict.UNKNOWN)


def _not_applied(settled: bool, current: Any = None) -> Reading:
    return Reading(Verdict.NOT_APPLIED if settled else Verdict.UNKNOWN, current)


def _judge_create(entry: AuditEntry, kind: ObjectKind, *, settled: bool) -> Reading:
    if kind.find_created is None:
        return Reading(Verdict.UNDECIDABLE)
    found = kind.find_created(entry)
    return Reading(Verdict.APPLIED, found) if found is not None else _not_applied(settled)


def _judge_delete(entry: AuditEntry, kind: ObjectKind, *, settled: bool, current: Any) -> Reading:
    if current is None:
        try:
            current = kind.fetch(entry.object_id)
        except errors.NotFound:
            return Reading(Verdict.APPLIED)
    return _not_applied(settled, current)


def _judge_update(entry: AuditEntry, kind: ObjectKind, *, settled: bool, current: Any) -> Reading:
    if current is None:
        try:
            current = kind.fetch(entry.object_id)
        except errors.NotFound:
            # Deleted since: whether this change was applied before that cannot be told any more.
            return Reading(Verdict.UNDECIDABLE if settled else Verdict.UNKNOWN)
    wanted: dict[str, str] = entry.intent.get("wanted") or {}
    if wanted and all(
        kind.digest(name, kind.value(current, name)) == digest for name, digest in wanted.items()
    ):
        return Reading(Verdict.APPLIED, current)
    if getattr(current, "updated_at", None) == entry.intent.get("updated_at"):
        return _not_applied(settled, current)
    return Reading(Verdict.UNDECIDABLE if settled else Verdict.UNKNOWN, current)
