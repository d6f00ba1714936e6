"""Job rows that write to Telnyx go through the write path; this maps its outcomes onto row outcomes.

Each row's writes are audited under a request id naming the job and the row, so the row can always
be tied back to its audit entry. That is what makes a row safe to resume after a worker died half-way:

- no entry under the row's id: the intent was never stored, so nothing was sent; the row may run;
- an open entry: the write was sent without an answer; it is read back (writes.judge), never resent;
- a resolved entry: its outcome is the row's.

A row that ended `unknown` (sent, no answer, not decidable at once) is settled later, when its entry
is: `settle_unknown_rows` runs on every job worker right after reconcile_writes.

    register(JobKind(..., run_row=lambda job, row: run_write_row(job, row, write=my_write),
                     reconcile_row=lambda job, row: reconcile_write_row(job, row, write=my_write)))

where `my_write(job, row, audit)` makes the row's one write (a use case call) and returns its
`path.Written`, or a ProfileWrite-like result with `.sent`/`.writes`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_noop

from audit.context import AuditContext
from audit.models import AuditEntry
from telnyx_admin.telnyx import errors
from writes import judge as reading
from writes.errors import OutcomeUnknown, WriteError
from writes.kinds import kind_of
from writes.path import apply_reading

if TYPE_CHECKING:
    from jobs.kinds import RowOutcome
    from jobs.models import Job, JobRow

logger = logging.getLogger(__name__)

RowWrite = Callable[["Job", "JobRow", AuditContext], Any]


def row_audit(job: Job, row: JobRow) -> AuditContext:
    """The audit context of a row's writes: its request id names the job and the row."""
    return AuditContext(request_id=f"job-{job.pk}-row-{row.position}", account=job.account)


def row_entries(job: Job, row: JobRow) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(request_id=row_audit(job, row).request_id).order_by("id"))


def run_write_row(job: Job, row: JobRow, *, write: RowWrite) -> RowOutcome:
    """Make the row's write once, and say what became of it."""
    from jobs.kinds import RowOutcome

    try:
        result = write(job, row, row_audit(job, row))
    except OutcomeUnknown as exc:
        return RowOutcome.unknown(exc.message)
    except errors.StaleObject as exc:
        return RowOutcome.refused(
            gettext_noop("Changed meanwhile: %(reason)s"), params={"reason": exc.message}
        )
    except errors.ValidationFailed as exc:
        return RowOutcome.refused("; ".join(item.message for item in exc.errors) or exc.message)
    except errors.NotFound:
        return RowOutcome.refused(gettext_noop("It no longer exists at Telnyx."))
    except (errors.TelnyxError, WriteError) as exc:
        return RowOutcome.refused(exc.message)
    if not getattr(result, "sent", True):
        return RowOutcome.applied(gettext_noop("No change needed: Telnyx already held these values."))
    return RowOutcome.applied()


def reconcile_write_row(job: Job, row: JobRow, *, write: RowWrite) -> RowOutcome:
    """A row a dead worker left running (or whose run raised): decide from its audit entries."""
    from jobs.kinds import RowOutcome

    try:
        entries = row_entries(job, row)
    except DatabaseError:
        return RowOutcome.unknown(
            gettext_noop("Its audit entry could not be read; it will be checked later.")
        )
    if not entries:
        # The intent was never stored, so nothing reached Telnyx: running it now sends it once.
        return run_write_row(job, row, write=write)
    outcome = row_outcome_of(entries)
    if outcome is not None:
        return outcome
    return RowOutcome.unknown(gettext_noop("Sent without an answer; reconcile_writes will read it back."))


def row_outcome_of(entries: list[AuditEntry]) -> RowOutcome | None:
    """The row's outcome from its entries (None while one is still open after reading it back)."""
    from jobs.kinds import RowOutcome

    for entry in entries:
        if entry.is_open:
            found = reading.judge(entry, kind_of(entry.object_type), settled=_settled(entry))
            apply_reading(
                entry, kind_of(entry.object_type), found, resolution=AuditEntry.Resolution.RECONCILED
            )
            entry.refresh_from_db()
            if entry.is_open:
                return None
    if any(entry.outcome == AuditEntry.Outcome.FAILURE for entry in entries):
        failed = next(entry for entry in entries if entry.outcome == AuditEntry.Outcome.FAILURE)
        return RowOutcome.refused(failed.error or gettext_noop("Not applied."))
    if any(entry.outcome == AuditEntry.Outcome.UNKNOWN for entry in entries):
        return RowOutcome.unknown(
            gettext_noop("Changed again at Telnyx since; whether this write was applied cannot be told.")
        )
    return RowOutcome.applied()


def _settled(entry: AuditEntry) -> bool:
    return entry.created_at <= timezone.now() - timedelta(seconds=float(settings.WRITE_SETTLE_SECONDS))


def settle_unknown_rows(*, limit: int = 500) -> int:
    """Give job rows left `unknown` the outcome their audit entries have since been given (by
    reconcile_writes, a view of the object, or its next write). Safe to run anywhere, any number of
    times at once: a row moves only from `unknown`, once. Returns how many rows were settled."""
    from jobs.models import Job, JobRow

    settled = 0
    rows = JobRow.objects.filter(status=JobRow.Status.UNKNOWN).select_related("job").order_by("pk")[:limit]
    for row in rows:
        entries = row_entries(row.job, row)
        if not entries or any(entry.is_open for entry in entries):
            continue  # not a write row, or its write is still being read back
        outcome = row_outcome_of(entries)
        if outcome is None or outcome.status == "unknown":
            continue
        with transaction.atomic():
            moved = JobRow.objects.filter(pk=row.pk, status=JobRow.Status.UNKNOWN).update(
                status=outcome.status,
                message=outcome.message or gettext_noop("Reconciled: Telnyx was read back."),
                message_params=dict(outcome.params or {}),
                reconciled=True,
            )
            if moved:
                Job.objects.filter(pk=row.job_id).update(
                    unknown=Greatest(F("unknown") - 1, 0), **{outcome.status: F(outcome.status) + 1}
                )
        settled += moved
    if settled:
        logger.info("settled %s job rows from their reconciled audit entries", settled)
    return settled
