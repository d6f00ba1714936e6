"""`manage.py jobs_worker`: django-tasks-db's `db_worker`, plus what our jobs need from a worker.

- Every few seconds (and at start) it looks for jobs whose worker died (lease expired) and queues
  them again, so a killed or lost worker's job resumes on any worker that is still alive.
- It runs the apps' scheduled upkeep (jobs.periodic), e.g. `reconcile_writes` every minute.
- On SIGTERM/SIGINT the job in hand finishes its current row and is handed on to the queue (the
  next worker continues it) instead of waiting for its lease to run out. A second signal stops at
  once; the row in flight is then reconciled by whoever resumes the job.

Options are db_worker's (`--queue-name`, `--interval`, `--batch`, `--max-tasks`, `--reload`, ...).
Run as many as you like, on any host that reaches the database.
"""

from __future__ import annotations

import logging
import os
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from jobs import periodic, runner
from jobs.recovery import recover_stale_jobs
from jobs.ticking import Ticker

logger = logging.getLogger("jobs.worker")


class _Sweeper(Ticker):
    """Recovers jobs with an expired lease, from a thread of the worker process."""

    def __init__(self) -> None:
        super().__init__(
            name="jobs-sweeper", interval=max(0.5, float(settings.JOBS_LEASE_SECONDS) / 2), at_start=True
        )

    def tick(self) -> bool:
        try:
            recover_stale_jobs()
        except DatabaseError:
            logger.warning("could not look for abandoned jobs", exc_info=True)
            close_old_connections()
        # Scheduled upkeep registered by the apps (reconciling writes, ...).
        periodic.run_due()
        return True


class JobsWorker(Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        runner.stop_requested.set()
        super().shutdown(signum, frame)

    def run(self) -> None:
        sweeper = _Sweeper()
        sweeper.start()
        try:
            super().run()
        finally:
            sweeper.stop()


class Command(DbWorkerCommand):
    help = "Run a background-job worker (db_worker, resuming jobs whose worker died)."

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = JobsWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child runs jobs
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
