"""Resuming jobs whose worker died: a lease that ran out means nobody is working on the job.

Called by every worker (at start and then periodically, see the `jobs_worker` command) and when a
job's page is polled, so a job resumes as soon as any worker or viewer notices. Taking a job over is
one conditional UPDATE (attempt and lease as they were read), so two recoverers never both win.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_noop

from jobs import runner
from jobs.models import Job
from jobs.services import enqueue_run

logger = logging.getLogger(__name__)


def recover_stale_jobs() -> list[int]:
    """Re-queue (or, after too many lost workers, give up) every job whose lease expired."""
    now = timezone.now()
    stale = Job.objects.filter(
        status__in=(Job.Status.RUNNING, Job.Status.CANCELLING), lease_expires_at__lt=now
    ).values_list("pk", "attempt", "lease_expires_at", "task_id")
    recovered = []
    for job_id, attempt, lease_expires_at, task_id in list(stale):
        if recover_job(job_id=job_id, attempt=attempt, lease_expires_at=lease_expires_at, task_id=task_id):
            recovered.append(job_id)
    return recovered


def recover_job(*, job_id: int, attempt: int, lease_expires_at: datetime | None, task_id: str) -> bool:
    if attempt >= int(settings.JOBS_MAX_ATTEMPTS):
        logger.warning("job %s: its worker was lost %s times; giving up", job_id, attempt)
        return runner.give_up(
            job_id,
            attempt,
            gettext_noop("The job was given up: its worker was lost again (attempt %(count)d)."),
            {"count": attempt},
        )
    with transaction.atomic():
        taken = Job.objects.filter(pk=job_id, attempt=attempt, lease_expires_at=lease_expires_at).update(
            attempt=F("attempt") + 1,
            lease_expires_at=None,
            status=Case(When(status=Job.Status.RUNNING, then=Value(Job.Status.QUEUED)), default=F("status")),
        )
        if not taken:
            return False
        _close_lost_task(task_id)
        enqueue_run(Job.objects.get(pk=job_id))
    logger.warning("job %s: its worker stopped answering; queued again as attempt %s", job_id, attempt + 1)
    return True


def _close_lost_task(task_id: str) -> None:
    """The dead worker's task row says "running" forever; record it as failed, for the record."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="jobs.recovery.WorkerLost",
        traceback="The worker running this task stopped renewing the job's lease.",
    )
