"""Use cases for background jobs: create and enqueue one, cancel it, and who may see it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from jobs import kinds
from jobs.kinds import PlannedRow
from jobs.models import Job, JobRow

ROW_BATCH = 1000


class UnknownJobKind(ValueError):
    pass


def job_create(
    *, kind: str, actor: Any, rows: Iterable[PlannedRow], params: Mapping[str, Any] | None = None
) -> Job:
    """Store a job with its rows and queue it for a worker, in one transaction.

    The task row is written by the database backend in the same transaction, so a job exists
    exactly when its task does: nothing is queued for a job that was rolled back, and no job is
    left without a task.

    Raises: UnknownJobKind.
    """
    if kinds.get(kind) is None:
        raise UnknownJobKind(kind)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            account=settings.TELNYX_ACCOUNT,
            actor=user,
            actor_username=user.get_username() if user else "",
            params=dict(params or {}),
        )
        total = 0
        planned = iter(rows)
        while batch := list(itertools.islice(planned, ROW_BATCH)):
            JobRow.objects.bulk_create(
                JobRow(
                    job=job,
                    position=total + offset,
                    object_id=row.object_id,
                    label=row.label[:255],
                    before=dict(row.before) if row.before is not None else None,
                    after=dict(row.after) if row.after is not None else None,
                )
                for offset, row in enumerate(batch, start=1)
            )
            total += len(batch)
        job.total = total
        job.save(update_fields=["total"])
        enqueue_run(job)
    return job


def enqueue_run(job: Job) -> None:
    """Queue the task that runs `job` under its current attempt (call inside a transaction)."""
    from jobs.tasks import run_job

    result = run_job.enqueue(job_id=job.pk, attempt=job.attempt)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def job_cancel(*, job: Job) -> Job:
    """Ask a job to stop: a queued job is cancelled at once, a running one after its current row.

    Rows not yet sent become `not_done`; the row in flight finishes with its real outcome.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if (
            locked.status == Job.Status.QUEUED
            and locked.lease_expires_at is None
            and locked.started_at is None
        ):
            JobRow.objects.filter(job=locked, status=JobRow.Status.PENDING).update(
                status=JobRow.Status.NOT_DONE,
                message=gettext_noop("Cancelled before it started: not sent."),
                finished_at=now,
            )
            locked.status = Job.Status.CANCELLED
            locked.finished_at = now
            locked.not_done = JobRow.objects.filter(job=locked, status=JobRow.Status.NOT_DONE).count()
            locked.save(update_fields=["status", "finished_at", "not_done"])
        elif locked.status in (Job.Status.QUEUED, Job.Status.RUNNING):
            locked.status = Job.Status.CANCELLING
            locked.save(update_fields=["status"])
    return Job.objects.get(pk=job.pk)


def job_visible_to(user: Any, job: Job) -> bool:
    """The job's actor, superusers, and users with its kind's permission may view and cancel it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or (job.actor_id is not None and job.actor_id == user.pk):
        return True
    kind = kinds.get(job.kind)
    return kind is not None and user.has_perm(kind.permission)


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    """Every job `user` may see, newest first."""
    jobs = Job.objects.filter(account=settings.TELNYX_ACCOUNT)
    if user.is_superuser:
        return jobs
    allowed = [name for name, kind in kinds.all_kinds().items() if user.has_perm(kind.permission)]
    return jobs.filter(Q(actor_id=user.pk) | Q(kind__in=allowed))
