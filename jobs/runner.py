"""Running a job in a worker: claim it, work through its rows, and never do a row twice.

The promises, and what keeps them:

- **One run at a time.** A run works on a job only while it holds the job's lease (renewed by a
  heartbeat thread) under the job's current `attempt`. A worker taking over after another died
  bumps `attempt`; every write a run makes is conditional on its attempt, so a run that lost the
  job (a worker frozen past its lease) can change nothing any more and stops.
- **A row is sent at most once.** A row is claimed (pending -> running, with the attempt) in one
  conditional UPDATE before the kind's `run_row` is called. A row found `running` under an older
  attempt was being sent when its worker died: it goes to the kind's `reconcile_row` (read back,
  decide), never to `run_row` again.
- **Resumable.** Finished rows are never looked at again; a new run picks up the pending ones.
- **Cancel** (status `cancelling`) is seen between rows: the row in flight finishes, the rest
  become `not_done`.
- **A worker asked to stop** (SIGTERM) finishes the row in flight and hands the job on (a new task
  with the next attempt) instead of holding it until its lease runs out.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import functools
import logging
import math
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections, transaction
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from jobs import kinds, messages
from jobs.kinds import JobKind, RowFunction, RowOutcome
from jobs.models import Job, JobRow
from jobs.ticking import Ticker
from telnyx_admin.telnyx import budget

logger = logging.getLogger(__name__)

# Set by the worker command on SIGTERM/SIGINT: finish the row in flight, then hand the job on.
stop_requested = threading.Event()

# Batches are claimed one thread at a time (see _batch_loop).
_claiming = threading.Lock()

_ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.CANCELLING)


def lease_duration() -> timedelta:
    return timedelta(seconds=float(settings.JOBS_LEASE_SECONDS))


# --- the run -----------------------------------------------------------------------------------------


def run_job(*, job_id: int, attempt: int) -> str:
    """Work on a job as its run number `attempt`; returns what happened (for the task's result)."""
    # Translation off: what the rows store is source text, translated for each reader when shown
    # (jobs/messages.py), even when a run happens inside someone's request.
    with translation.override(None):
        return _run_job(job_id, attempt)


def _run_job(job_id: int, attempt: int) -> str:
    job = _claim_job(job_id, attempt)
    if job is None:
        return "not claimed: finished, cancelled, or taken over by another run"
    kind = kinds.get(job.kind)
    if kind is None:
        _fail(
            job_id,
            attempt,
            gettext_noop("This kind of job (%(kind)s) is not known to the worker."),
            {"kind": job.kind},
        )
        return "failed: unknown kind"
    lease = _Lease(job_id=job_id, attempt=attempt)
    lease.start()
    waits = _WaitReporter()
    try:
        with budget.job_scope(waits.log):
            _reconcile_orphans(job, kind, attempt, waits)
            _work(job, kind, attempt, lease, waits)
        if lease.lost.is_set():
            return "stopped: another run took the job over"
        if stop_requested.is_set() and _has_pending(job_id):
            _hand_on(job_id, attempt)
            return "handed on: the worker is stopping"
        _finish(job_id, attempt, kind)
        return "finished"
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        _fail(
            job_id,
            attempt,
            gettext_noop("The job stopped on an unexpected error (%(error)s)."),
            {"error": type(exc).__name__},
        )
        return "failed"
    finally:
        lease.stop()


def _claim_job(job_id: int, attempt: int) -> Job | None:
    now = timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id, attempt=attempt, status__in=_ACTIVE)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .update(
            status=Case(When(status=Job.Status.QUEUED, then=Value(Job.Status.RUNNING)), default=F("status")),
            started_at=Coalesce(F("started_at"), Value(now)),
            lease_expires_at=now + lease_duration(),
        )
    )
    return Job.objects.get(pk=job_id) if claimed else None


def _work(job: Job, kind: JobKind, attempt: int, lease: _Lease, waits: _WaitReporter) -> None:
    workers = max(1, int(kind.concurrency))
    loop: Any = _work_loop
    if kind.batch is not None:
        loop = functools.partial(_batch_loop, size=_batch_size(job, kind, workers))
    if workers == 1:
        loop(job, kind, attempt, lease, waits)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job-row") as pool:
        futures = [
            pool.submit(
                contextvars.copy_context().run,
                _in_own_connection,
                loop,
                job,
                kind,
                attempt,
                lease,
                waits,
            )
            for _ in range(workers)
        ]
        for future in futures:
            future.result()


def _batch_size(job: Job, kind: JobKind, workers: int) -> int:
    """An even share of the rows left for each thread (one thread left alone with the last big
    batch while the others idle would set the job's pace), within the kind's bounds: a smaller
    batch than `batch_min` would cost more than the threads it keeps busy save."""
    pending = JobRow.objects.filter(job_id=job.pk, status=JobRow.Status.PENDING).count()
    share = max(int(kind.batch_min), math.ceil(pending / workers))
    return max(1, min(int(kind.batch_size), share))


def _in_own_connection(function: Any, *args: Any) -> None:
    try:
        function(*args)
    finally:
        connections.close_all()  # this thread's connections only


def _work_loop(job: Job, kind: JobKind, attempt: int, lease: _Lease, waits: _WaitReporter) -> None:
    while _may_go_on(job, lease):
        row = _claim_next_row(job.pk, attempt)
        if row is None:
            return
        outcome, reconciled = _execute(kind, job, row)
        _record(job.pk, row, attempt, outcome, reconciled=reconciled, waits=waits)


def _may_go_on(job: Job, lease: _Lease) -> bool:
    if lease.lost.is_set() or stop_requested.is_set():
        return False
    status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
    # Cancelling: the rest is marked when the job finishes. Anything else: no longer ours.
    return status == Job.Status.RUNNING


def _batch_loop(
    job: Job, kind: JobKind, attempt: int, lease: _Lease, waits: _WaitReporter, *, size: int
) -> None:
    assert kind.batch is not None
    while _may_go_on(job, lease):
        with _claiming:  # one thread's batch after another's, never rows of both interleaved
            rows = _claim_rows(job.pk, attempt, size)
        if not rows:
            return
        started = 0  # rows of the batch handed to the kind; the others were never sent
        try:
            with kind.batch(job, rows) as batch:
                rows = batch.rows
                for row in rows:
                    if started and not _may_go_on(job, lease):
                        break
                    started += 1
                    outcome, reconciled = _execute(kind, job, row, run_row=batch.run_row)
                    _record(job.pk, row, attempt, outcome, reconciled=reconciled, waits=waits)
        finally:
            _unclaim(rows[started:], attempt)


def _claim_rows(job_id: int, attempt: int, count: int) -> list[JobRow]:
    """Up to `count` pending rows, in order, each claimed as `_claim_next_row` claims one."""
    rows: list[JobRow] = []
    while len(rows) < count:
        row = _claim_next_row(job_id, attempt)
        if row is None:
            break
        rows.append(row)
    return rows


def _unclaim(rows: list[JobRow], attempt: int) -> None:
    """Rows claimed but not run (nothing of theirs was sent) go back to pending, for a cancel to
    mark "not done" or the next run to send; rows already recorded stay as they are."""
    JobRow.objects.filter(
        pk__in=[row.pk for row in rows], status=JobRow.Status.RUNNING, attempt=attempt
    ).update(status=JobRow.Status.PENDING, started_at=None)


def _claim_next_row(job_id: int, attempt: int) -> JobRow | None:
    while True:
        candidate = (
            JobRow.objects.filter(job_id=job_id, status=JobRow.Status.PENDING)
            .order_by("position")
            .values_list("pk", flat=True)
            .first()
        )
        if candidate is None:
            return None
        claimed = JobRow.objects.filter(
            pk=candidate, status=JobRow.Status.PENDING, job_id__in=_ours(job_id, attempt)
        ).update(status=JobRow.Status.RUNNING, attempt=attempt, started_at=timezone.now())
        if claimed:
            return JobRow.objects.get(pk=candidate)
        if not Job.objects.filter(pk=job_id, attempt=attempt).exists():
            return None  # taken over: not ours to claim any more
        # Another thread of this run took it first: try the next one.


def _ours(job_id: int, attempt: int) -> QuerySet[Job, Any]:
    """The job, while this run owns it: for the conditions of row claims.

    A condition through the relation (`job__attempt=`) would make Django's UPDATE select the row's id
    in a subquery, and PostgreSQL re-checks only the outer WHERE after waiting for a concurrent claim:
    two threads could then both claim one row. Filtering `job_id__in` keeps the row's own conditions
    (its status) in the outer WHERE, where the re-check sees the other claim.
    """
    return Job.objects.filter(pk=job_id, attempt=attempt).values("pk")


def _reconcile_orphans(job: Job, kind: JobKind, attempt: int, waits: _WaitReporter) -> None:
    """Rows an earlier run left `running` were in flight when it died: reconcile, don't resend."""
    orphans = JobRow.objects.filter(job_id=job.pk, status=JobRow.Status.RUNNING, attempt__lt=attempt)
    for row_pk in list(orphans.values_list("pk", flat=True)):
        taken = JobRow.objects.filter(
            pk=row_pk, status=JobRow.Status.RUNNING, attempt__lt=attempt, job_id__in=_ours(job.pk, attempt)
        ).update(attempt=attempt)
        if not taken:
            continue
        row = JobRow.objects.get(pk=row_pk)
        outcome = _call(
            kind.reconcile_row, job, row, failure=gettext_noop("Reconciling the row failed (%(error)s).")
        )
        _record(job.pk, row, attempt, outcome, reconciled=True, waits=waits)


def _execute(
    kind: JobKind, job: Job, row: JobRow, *, run_row: RowFunction | None = None
) -> tuple[RowOutcome, bool]:
    try:
        return _checked((run_row or kind.run_row)(job, row)), False
    except Exception:
        # It may have sent something before failing: find out instead of guessing.
        logger.exception("job %s row %s: run_row raised; reconciling", job.pk, row.position)
        failure = gettext_noop("The row failed and could not be checked (%(error)s).")
        return _call(kind.reconcile_row, job, row, failure=failure), True


def _call(function: RowFunction, job: Job, row: JobRow, *, failure: str) -> RowOutcome:
    """`function`'s outcome; when it raises, `unknown` with `failure` (an `%(error)s` message)."""
    try:
        return _checked(function(job, row))
    except Exception as exc:
        params = {"error": type(exc).__name__}
        logger.exception("job %s row %s: %s", job.pk, row.position, messages.english(failure, params))
        return RowOutcome.unknown(failure, params=params)


def _checked(outcome: Any) -> RowOutcome:
    if not isinstance(outcome, RowOutcome) or outcome.status not in JobRow.OUTCOMES:
        raise TypeError(f"a job kind returned {outcome!r} instead of a RowOutcome")
    return outcome


def _record(
    job_id: int, row: JobRow, attempt: int, outcome: RowOutcome, *, reconciled: bool, waits: _WaitReporter
) -> None:
    fields: dict[str, Any] = {
        "status": outcome.status,
        "message": outcome.message[:10_000],
        "message_params": dict(outcome.params or {}),
        "finished_at": timezone.now(),
        "reconciled": reconciled,
    }
    if outcome.before is not None:
        fields["before"] = dict(outcome.before)
    if outcome.after is not None:
        fields["after"] = dict(outcome.after)
    job_fields: dict[str, Any] = {outcome.status: F(outcome.status) + 1}
    waited, waited_at = waits.take()
    if waited:
        job_fields["budget_wait_seconds"] = F("budget_wait_seconds") + waited
        job_fields["budget_waited_at"] = waited_at
    with transaction.atomic():
        done = JobRow.objects.filter(pk=row.pk, status=JobRow.Status.RUNNING, attempt=attempt).update(
            **fields
        )
        if done:
            Job.objects.filter(pk=job_id).update(**job_fields)


def _has_pending(job_id: int) -> bool:
    return JobRow.objects.filter(job_id=job_id, status=JobRow.Status.PENDING).exists()


# --- ending a run --------------------------------------------------------------------------------------


def _recount(job_id: int) -> dict[str, int]:
    counts = dict(
        JobRow.objects.filter(job_id=job_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in JobRow.OUTCOMES}


def _finish(job_id: int, attempt: int, kind: JobKind) -> None:
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, attempt=attempt).first()
        if job is None or job.is_finished:
            return
        if job.status == Job.Status.CANCELLING:
            JobRow.objects.filter(job_id=job_id, status=JobRow.Status.PENDING).update(
                status=JobRow.Status.NOT_DONE, message=gettext_noop("Cancelled: not sent."), finished_at=now
            )
            final = Job.Status.CANCELLED
        else:
            final = Job.Status.DONE
        Job.objects.filter(pk=job_id).update(
            status=final, finished_at=now, lease_expires_at=None, **_recount(job_id)
        )
    _after_finish(job_id, kind)


def _after_finish(job_id: int, kind: JobKind | None) -> None:
    if kind is None or kind.on_finish is None:
        return
    try:
        kind.on_finish(Job.objects.get(pk=job_id))
    except Exception:
        logger.exception("job %s: on_finish failed", job_id)


def give_up(job_id: int, attempt: int, message: str, params: dict[str, Any] | None = None) -> bool:
    """End a job as failed: pending rows were not sent; rows still running may have been.
    `message` (why) is stored untranslated with its `params`, as rows' messages are."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, attempt=attempt).first()
        if job is None or job.is_finished:
            return False
        JobRow.objects.filter(job_id=job_id, status=JobRow.Status.PENDING).update(
            status=JobRow.Status.NOT_DONE,
            message=gettext_noop("The job stopped before this row was sent."),
            finished_at=now,
        )
        JobRow.objects.filter(job_id=job_id, status=JobRow.Status.RUNNING).update(
            status=JobRow.Status.UNKNOWN,
            message=gettext_noop(
                "The job stopped while this row was being sent; it may or may not have been applied."
            ),
            finished_at=now,
        )
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=now,
            lease_expires_at=None,
            message=message,
            message_params=params or {},
            **_recount(job_id),
        )
    _after_finish(job_id, kinds.get(job.kind))
    return True


def _fail(job_id: int, attempt: int, message: str, params: dict[str, Any] | None = None) -> None:
    try:
        give_up(job_id, attempt, message, params)
    except DatabaseError:
        logger.exception("job %s: could not record the failure", job_id)


def _hand_on(job_id: int, attempt: int) -> None:
    """Give the job back to the queue under the next attempt (a stopping worker does this)."""
    from jobs.services import enqueue_run

    with transaction.atomic():
        released = Job.objects.filter(pk=job_id, attempt=attempt).update(
            attempt=attempt + 1,
            lease_expires_at=None,
            status=Case(When(status=Job.Status.RUNNING, then=Value(Job.Status.QUEUED)), default=F("status")),
        )
        if released:
            enqueue_run(Job.objects.get(pk=job_id))


# --- the lease and the budget waits ---------------------------------------------------------------------


class _Lease(Ticker):
    """Renews the job's lease from a thread of its own while the run works (rows may take long)."""

    def __init__(self, *, job_id: int, attempt: int) -> None:
        super().__init__(name=f"job-{job_id}-lease", interval=float(settings.JOBS_LEASE_SECONDS) / 3)
        self.job_id = job_id
        self.attempt = attempt
        self.lost = threading.Event()

    def tick(self) -> bool:
        try:
            renewed = Job.objects.filter(pk=self.job_id, attempt=self.attempt).update(
                lease_expires_at=timezone.now() + lease_duration()
            )
        except DatabaseError:
            logger.warning("job %s: could not renew its lease", self.job_id, exc_info=True)
            close_old_connections()
            return True
        if not renewed:
            self.lost.set()
            return False
        return True


class _WaitReporter:
    """Collects the budget waits of the run's calls; each recorded row reports what is new."""

    def __init__(self) -> None:
        self.log = budget.WaitLog()
        self._reported = 0.0
        self._lock = threading.Lock()

    def take(self) -> tuple[float, Any]:
        with self._lock:
            delta = self.log.seconds - self._reported
            self._reported = self.log.seconds
        if delta <= 0 or self.log.last_wait_at is None:
            return 0.0, None
        return delta, timezone.now()
