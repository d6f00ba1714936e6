"""The task a worker runs for a job (Django's Tasks framework; the backend is settings.TASKS)."""

from __future__ import annotations

from django.tasks import task

from jobs import runner


@task()
def run_job(job_id: int, attempt: int) -> str:
    """Work on job `job_id` as its run number `attempt` (see jobs/runner.py)."""
    return runner.run_job(job_id=job_id, attempt=attempt)
