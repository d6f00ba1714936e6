"""`manage.py refresh_number_index`: refresh the number index (for cron; job workers also do it on a
schedule, NUMBER_INDEX_REFRESH_SECONDS).

Lists every profile, then queues a job reading the numbers of the profiles that changed (`--full`:
of every profile). A job worker runs it; `--here` runs it in this process instead and returns when
it has finished (for a host with no worker). If a refresh is running already, nothing new starts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobs import runner
from jobs.models import Job
from phone_numbers.schedule import planned_refresh
from telnyx_admin.telnyx.errors import TelnyxError


class Command(BaseCommand):
    help = "Refresh the number index: read the phone numbers of every profile that changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="read every profile, changed or not")
        parser.add_argument("--here", action="store_true", help="run the refresh in this process")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            job = planned_refresh(full=options["full"])
        except TelnyxError as exc:
            raise CommandError(f"Telnyx could not list the profiles: {exc}") from exc
        if job is None:
            self.stdout.write("The number index is up to date: no profile to read.")
            return
        self.stdout.write(f"Refresh job {job.pk}: {job.total} profile(s) to read.")
        if not options["here"]:
            return
        result = runner.run_job(job_id=job.pk, attempt=job.attempt)
        job = Job.objects.get(pk=job.pk)
        self.stdout.write(
            f"{result}: {job.applied} read, {job.not_done} not read, {job.unknown + job.refused} other."
        )
        if job.status != Job.Status.DONE:
            raise CommandError(f"The refresh ended {job.status}: {job.message or 'see the job page'}")
