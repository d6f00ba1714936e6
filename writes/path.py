"""The write path: the one way every write to Telnyx is made (profiles, short codes, job rows).

    permission and field gate (the use case)
    → per-object lock, across instances (writes.locks)
    → re-read the object and compare `updated_at` (a stale form is refused: StaleObject)
    → commit the audit intent (outcome `unknown`); if it cannot be stored, nothing is sent
    → send the one request
    → record the outcome: `success` (Telnyx applied it) or `failure` (Telnyx refused or provably
      never received it)
    → no answer (timeout, broken connection, 5xx): read Telnyx back at once (writes.judge); what
      cannot be decided yet stays `unknown` and is resolved later (writes.reconcile).

A write is never retried blindly, and never reported as failed when it may have been applied.
Refusals found before sending (conflict, busy object, Telnyx unreachable for the re-read) are
recorded as finished `failure` entries.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from audit import services as audit
from audit.context import AuditContext
from audit.models import AuditEntry
from audit.services import EntrySubject
from telnyx_admin.telnyx import errors
from writes import judge as reading
from writes import succeeded, this_request
from writes.errors import (
    DuplicateCreate,
    EarlierWriteOpen,
    OutcomeUnknown,
    WriteBusy,
    WriteError,
    WriteNotRecorded,
)
from writes.kinds import ObjectKind
from writes.locks import lock_key, object_lock

logger = logging.getLogger(__name__)

Outcome = AuditEntry.Outcome
Resolution = AuditEntry.Resolution


class NotApplied(WriteError):
    """Telnyx did not answer the write, and reading it back showed the change was not applied."""

    title = _("The change was not applied")

    def __init__(self, cause: errors.TelnyxError) -> None:
        super().__init__(
            format_lazy(
                "{} {}",
                _cause_text(cause),
                _(
                    "We read the object back from Telnyx: the change was not applied. "
                    "Nothing changed; you can save again."
                ),
            )
        )
        self.cause = cause


def _cause_text(cause: errors.TelnyxError) -> Promise:
    if isinstance(cause, errors.RequestTimeout):
        return _("Telnyx did not answer in time.")
    if isinstance(cause, errors.ConnectionFailed):
        return _("The connection to Telnyx broke before it answered.")
    return _("Telnyx answered with a server error.")


@dataclass(frozen=True)
class Attempt:
    """Who writes what: shared by every step of one write."""

    actor: Any
    audit: AuditContext
    action: str
    kind: ObjectKind
    object_id: str = ""

    def subject(self, *, label: str, changes: Mapping[str, tuple[Any, Any]] | None) -> EntrySubject:
        """What the audit entry of this write records about it."""
        return EntrySubject(
            actor=self.actor,
            audit=self.audit,
            action=self.action,
            object_type=self.kind.object_type,
            object_id=self.object_id,
            object_label=label,
            changes=changes,
        )

    @property
    def lock(self) -> str:
        return lock_key(
            account=self.audit.account, object_type=self.kind.object_type, object_id=self.object_id
        )


@dataclass(frozen=True)
class Written[T]:
    """A write's result: the object as Telnyx now holds it, and its audit entry (None when nothing
    had to be sent because Telnyx already held every wanted value)."""

    object: T
    entry: AuditEntry | None = field(default=None)

    @property
    def sent(self) -> bool:
        return self.entry is not None

    @property
    def read_back(self) -> bool:
        """The answer was lost and reading Telnyx back showed the change applied."""
        return self.entry is not None and self.entry.resolution != Resolution.ANSWERED


# --- the three shapes of write ---------------------------------------------------------------------


def update[T](
    attempt: Attempt,
    *,
    expected_updated_at: str | None,
    values: Mapping[str, Any],
    send: Callable[[Any, Mapping[str, Any]], T],
    check: Callable[[Any], None] | None = None,
    current: Any = None,
) -> Written[Any]:
    """Change attributes of an existing object to `values` (a whole form's worth is fine).

    This is the one place that decides what a save changes: only the attributes whose value differs
    from the object as re-read under the lock are sent (`send(current, differing)`). When none
    differs, nothing is sent or recorded and the result's `sent` is False, so a caller says "no
    changes" from this answer, never from a comparison of its own. `check(current)` may refuse with
    StaleObject. `expected_updated_at` (None: do not compare) is the form's stamp.

    `current`: the object as the caller read it from Telnyx *after* taking the object's lock
    (writes.locks) and while still holding it, e.g. one list call re-reading many objects of a
    batch. The path then neither locks nor reads again; everything else (settling earlier writes,
    the stamp check, the audit intent first) is the same. Without the caller's lock it is unsafe.

    Raises:
        StaleObject: the object moved since the form was loaded, or `check` refused.
        NotFound, ValidationFailed, RateLimited, ... : Telnyx's own answer (recorded as failure).
        WriteBusy, WriteNotRecorded, NotApplied, OutcomeUnknown: see writes.errors.
    """
    kind = attempt.kind
    with _locked(attempt) if current is None else contextlib.nullcontext():
        if current is None:
            current = _reread(attempt)
        else:
            _settle_earlier_writes(attempt, current)
        differing = kind.differing(current, values)
        if not differing:
            return Written(current)
        label = kind.label(current)
        changes = {name: (kind.value(current, name), value) for name, value in differing.items()}
        try:
            if expected_updated_at is not None and current.updated_at != expected_updated_at:
                raise errors.StaleObject(
                    format_lazy(
                        _("The {noun} {label} was changed by someone else since this page was loaded."),
                        noun=_(kind.noun),
                        label=label,
                    ),
                    changed_fields=tuple(differing),
                    current=current,
                )
            if check is not None:
                check(current)
        except errors.StaleObject as exc:
            _record_refusal(attempt, label=label, changes=changes, error=exc)
            raise
        intent = {
            "op": reading.OP_UPDATE,
            "updated_at": current.updated_at,
            "wanted": {name: kind.digest(name, value) for name, value in differing.items()},
        }
        return _send(
            attempt, label=label, changes=changes, intent=intent, send=lambda: send(current, differing)
        )


def create[T](
    attempt: Attempt,
    *,
    name: str,
    fields: Mapping[str, Any],
    send: Callable[[], T],
    allow_duplicate: bool = False,
    origin: Mapping[str, Any] | None = None,
) -> Written[T]:
    """Create an object named `name` from `fields`.

    `origin` is recorded with the intent: where the values came from (e.g. the profile duplicated).

    A second create with the same name by the same user within WRITE_DUPLICATE_WINDOW is refused
    with DuplicateCreate while the first one was applied or may have been (unless `allow_duplicate`:
    the user saw the existing one and asked for another).

    Raises: DuplicateCreate, Telnyx's own answers, and the write path's errors (see `update`).
    """
    kind = attempt.kind
    name_digest = kind.digest("name", name)
    owner = getattr(attempt.actor, "pk", None) or "-"
    create_lock = lock_key(
        account=attempt.audit.account,
        object_type=f"{kind.object_type}.create",
        object_id=f"{owner}:{name_digest}",
    )
    with object_lock(create_lock):
        if not allow_duplicate:
            _refuse_duplicate(attempt, name_digest=name_digest)
        changes = {key: (None, value) for key, value in fields.items()}
        intent = {
            "op": reading.OP_CREATE,
            "lock": create_lock,
            "name_digest": name_digest,
            # Enough of the name to search for it; the digest decides.
            "name_prefix": name[:100],
            **dict(origin or {}),
        }
        return _send(attempt, label=name, changes=changes, intent=intent, send=send)


def delete[T](
    attempt: Attempt,
    *,
    send: Callable[[Any], T],
    snapshot: Callable[[Any], Mapping[str, Any]],
    check: Callable[[Any], None] | None = None,
) -> Written[Any]:
    """Delete an object; `snapshot(current)` gives its attributes for the entry (before, after None).

    Returns the object as it was before. Raises as `update`.
    """
    kind = attempt.kind
    with _locked(attempt):
        current = _reread(attempt)
        label = kind.label(current)
        changes = {name: (value, None) for name, value in snapshot(current).items()}
        if check is not None:
            try:
                check(current)
            except errors.StaleObject as exc:
                _record_refusal(attempt, label=label, changes=changes, error=exc)
                raise
        intent = {"op": reading.OP_DELETE, "updated_at": getattr(current, "updated_at", None)}
        written = _send(attempt, label=label, changes=changes, intent=intent, send=lambda: send(current))
        return Written(current, written.entry)


# --- steps ------------------------------------------------------------------------------------------


class _locked:
    """The object's write lock; a busy object is recorded as a refused attempt."""

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt
        self.held = object_lock(attempt.lock)

    def __enter__(self) -> None:
        try:
            self.held.__enter__()
        except WriteBusy as exc:
            _record_refusal(self.attempt, label="", changes=None, error=exc)
            raise

    def __exit__(self, *exc_info: Any) -> None:
        self.held.__exit__(*exc_info)


def _reread(attempt: Attempt) -> Any:
    """The object as Telnyx holds it now, read under the lock, after settling the object's earlier
    writes whose outcome is still open. A failure is a refused attempt."""
    try:
        current = attempt.kind.fetch(attempt.object_id)
    except errors.TelnyxError as exc:
        _record_refusal(attempt, label="", changes=None, error=exc)
        raise
    _settle_earlier_writes(attempt, current)
    return current


def _settle_earlier_writes(attempt: Attempt, current: Any) -> None:
    """Judge this object's open entries against `current` before anything new is sent.

    A later write would make an earlier one impossible to judge (the object would have moved on), so
    it is settled now, from the read just made. An earlier write that may still be in flight at
    Telnyx (a timed-out one, not settled yet) holds the new one back: sending now could be overtaken
    by it.
    """
    kind = attempt.kind
    pending = _db(
        lambda: list(
            AuditEntry.objects.filter(
                object_type=kind.object_type,
                object_id=attempt.object_id,
                outcome=Outcome.UNKNOWN,
                resolved_at__isnull=True,
            ).order_by("created_at")
        )
    )
    settled_before = timezone.now() - timedelta(seconds=float(settings.WRITE_SETTLE_SECONDS))
    for entry in pending:
        found = reading.judge(entry, kind, settled=entry.created_at <= settled_before, current=current)
        if not apply_reading(entry, kind, found, resolution=Resolution.NEXT_WRITE):
            error = EarlierWriteOpen()
            _record_refusal(attempt, label=kind.label(current), changes=None, error=error)
            raise error


def _send[T](
    attempt: Attempt,
    *,
    label: str,
    changes: Mapping[str, tuple[Any, Any]],
    intent: dict[str, Any],
    send: Callable[[], T],
) -> Written[Any]:
    intent.setdefault("lock", attempt.lock)
    entry = _open(attempt, label=label, changes=changes, intent=intent)
    try:
        result = send()
    except errors.TelnyxError as exc:
        if not exc.may_have_been_applied:
            resolution = Resolution.ANSWERED if exc.status is not None else Resolution.NOT_SENT
            _resolve(entry, outcome=Outcome.FAILURE, resolution=resolution, error=error_text(exc))
            raise
        return _read_back_at_once(attempt, entry, exc)
    _resolve(
        entry,
        outcome=Outcome.SUCCESS,
        resolution=Resolution.ANSWERED,
        object_id=str(getattr(result, "id", "") or ""),
        object_label=attempt.kind.label(result) if result is not None else "",
    )
    return Written(result, entry)


def _read_back_at_once(attempt: Attempt, entry: AuditEntry, exc: errors.TelnyxError) -> Written[Any]:
    # A timed-out write may still be carried out after this reading; a broken connection or a 5xx
    # answer means the other end has finished with it.
    settled = not isinstance(exc, errors.RequestTimeout)
    try:
        # Judging a create reads the audit log too, on a connection that may have died meanwhile.
        found = _db(lambda: reading.judge(entry, attempt.kind, settled=settled))
    except DatabaseError:
        raise _unknown(attempt, entry, exc) from exc
    logger.warning(
        "write %s (entry %s) got no answer (%s); read back: %s",
        attempt.action,
        entry.pk,
        type(exc).__name__,
        found.verdict.value,
    )
    if found.verdict is reading.Verdict.APPLIED:
        _resolve(
            entry,
            outcome=Outcome.SUCCESS,
            resolution=Resolution.READ_BACK,
            object_id=str(getattr(found.object, "id", "") or ""),
            object_label=attempt.kind.label(found.object) if found.object is not None else "",
        )
        return Written(found.object, entry)
    if found.verdict is reading.Verdict.NOT_APPLIED:
        _resolve(entry, outcome=Outcome.FAILURE, resolution=Resolution.READ_BACK, error=error_text(exc))
        raise NotApplied(exc) from exc
    raise _unknown(attempt, entry, exc) from exc


def _unknown(attempt: Attempt, entry: AuditEntry, exc: errors.TelnyxError) -> OutcomeUnknown:
    if entry.intent.get("op") == reading.OP_CREATE:
        noun = _(attempt.kind.noun)
        return OutcomeUnknown.of_create(entry_id=entry.pk, noun=noun, name=entry.object_label, cause=exc)
    return OutcomeUnknown(entry_id=entry.pk, cause=exc)


def _refuse_duplicate(attempt: Attempt, *, name_digest: str) -> None:
    since = timezone.now() - timedelta(seconds=float(settings.WRITE_DUPLICATE_WINDOW))
    actor = attempt.actor if attempt.actor is not None and attempt.actor.is_authenticated else None
    recent = AuditEntry.objects.filter(
        action=attempt.action,
        actor=actor,
        account=attempt.audit.account,
        outcome__in=(Outcome.SUCCESS, Outcome.UNKNOWN),
        created_at__gte=since,
        intent__name_digest=name_digest,
    ).order_by("-created_at")
    for entry in _db(lambda: list(recent)):
        if entry.is_open:
            _settle(entry, attempt.kind)
        if entry.outcome == Outcome.SUCCESS:
            raise DuplicateCreate(existing=entry.object_id, entry_id=entry.pk, pending=False)
        if entry.is_open:
            raise DuplicateCreate(existing=None, entry_id=entry.pk, pending=True)


def _settle(entry: AuditEntry, kind: ObjectKind) -> None:
    """Read an open entry back now (trusting "not applied" only once it has settled)."""
    settled = entry.created_at <= timezone.now() - timedelta(seconds=float(settings.WRITE_SETTLE_SECONDS))
    found = reading.judge(entry, kind, settled=settled)
    apply_reading(entry, kind, found, resolution=Resolution.READ_BACK)


def apply_reading(entry: AuditEntry, kind: ObjectKind, found: reading.Reading, *, resolution: str) -> bool:
    """Resolve an open entry by a reading; False when the reading decides nothing yet."""
    if found.verdict is reading.Verdict.APPLIED:
        return _resolve(
            entry,
            outcome=Outcome.SUCCESS,
            resolution=resolution,
            object_id=str(getattr(found.object, "id", "") or ""),
            object_label=kind.label(found.object) if found.object is not None else "",
        )
    if found.verdict is reading.Verdict.NOT_APPLIED:
        return _resolve(
            entry,
            outcome=Outcome.FAILURE,
            resolution=resolution,
            error=entry.error or "Not applied (read back).",
        )
    if found.verdict is reading.Verdict.UNDECIDABLE:
        return _resolve(
            entry,
            outcome=Outcome.UNKNOWN,
            resolution=Resolution.UNDECIDABLE,
            error=entry.error
            or "Changed again at Telnyx since; whether this write was applied cannot be told.",
        )
    return False


# --- the audit entry, robust to a database that drops connections -------------------------------------


def _db[R](operation: Callable[[], R]) -> R:
    """Run a database operation; once more on a fresh connection if the first one broke (a database
    restart or a killed connection must not lose an entry)."""
    try:
        return operation()
    except DatabaseError:
        logger.warning("database operation failed; retrying once on a new connection", exc_info=True)
        connection.close()
        return operation()


def _open(
    attempt: Attempt, *, label: str, changes: Mapping[str, tuple[Any, Any]], intent: dict[str, Any]
) -> AuditEntry:
    try:
        entry = _db(lambda: audit.entry_open(intent=intent, **attempt.subject(label=label, changes=changes)))
    except DatabaseError as exc:
        logger.error("write %s not sent: its audit entry could not be stored", attempt.action)
        connection.close()
        raise WriteNotRecorded() from exc
    this_request.note_sent(entry)
    return entry


def _resolve(entry: AuditEntry, **values: Any) -> bool:
    """Give the entry its outcome. If the database will not take it, the entry stays `unknown` and is
    resolved later by reading Telnyx back; the person saving is told what Telnyx said regardless."""
    try:
        resolved = _db(lambda: entry.resolve(**values))
    except DatabaseError:
        logger.error("audit entry %s: outcome %s not stored; left for reconcile_writes", entry.pk, values)
        connection.close()
        return False
    if resolved and entry.outcome == Outcome.SUCCESS:
        succeeded.notify(entry)
    return resolved


def _record_refusal(
    attempt: Attempt,
    *,
    label: str,
    changes: Mapping[str, tuple[Any, Any]] | None,
    error: Exception,
) -> None:
    """A finished `failure` entry for an attempt refused before anything was sent."""
    try:
        _db(
            lambda: audit.entry_record(
                **attempt.subject(label=label, changes=changes),
                outcome=Outcome.FAILURE,
                resolution=Resolution.NOT_SENT if _nothing_sent(error) else Resolution.ANSWERED,
                error=error_text(error),
            )
        )
    except DatabaseError:
        # Nothing was sent, so nothing at Telnyx goes unrecorded; the person is told why anyway.
        logger.error("refused write %s: its audit entry could not be stored", attempt.action)


def _nothing_sent(error: Exception) -> bool:
    return not isinstance(error, errors.TelnyxError) or isinstance(error, errors.StaleObject)


def error_text(exc: Exception) -> str:
    """What an entry says went wrong: the API's own messages with their pointers, if any. The service
    layer's messages never contain the API key or request headers."""
    # Entries are a record, kept in one language whoever was reading: messages are lazy translations.
    with translation.override("en"):
        return _error_text(exc)


def _error_text(exc: Exception) -> str:
    name = type(exc).__name__
    if isinstance(exc, WriteError):
        return f"{name}: {exc.message}"
    if not isinstance(exc, errors.TelnyxError) or isinstance(exc, errors.StaleObject):
        return f"{name}: {exc}"
    parts = []
    for item in exc.errors:
        where = f" ({item.pointer})" if item.pointer else ""
        parts.append(f"{item.code} {item.message}{where}".strip())
    detail = "; ".join(parts) or exc.message
    status = f" {exc.status}" if exc.status else ""
    return audit.error_text(f"{name}{status}: {detail}")
