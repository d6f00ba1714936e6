"""Background jobs: one Job per piece of long work, one JobRow per item it works through.

A job is run by a worker (`manage.py jobs_worker`) through Django's Tasks framework; the rows are
the durable record of what was done, so a job can be resumed by any worker after another one died
without doing anything twice (see jobs/runner.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy

from jobs import messages


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Queued")
        RUNNING = "running", gettext_lazy("Running")
        CANCELLING = "cancelling", gettext_lazy("Cancelling")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")
        DONE = "done", gettext_lazy("Done")
        FAILED = "failed", gettext_lazy("Failed")

    FINISHED = (Status.CANCELLED, Status.DONE, Status.FAILED)

    kind = models.CharField(max_length=64)
    # The Telnyx account the job works on (settings.TELNYX_ACCOUNT at creation).
    account = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Counts, kept up to date as rows finish (the progress bar reads these, not the rows).
    total = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    not_done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Why a job failed as a whole (a row's reasons are on the row): source text and its values,
    # translated when shown (jobs/messages.py).
    message = models.TextField(blank=True)
    message_params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Which run of the job may work on it: a worker taking over after another died bumps it, and
    # the old run, if it is somehow still alive, finds it no longer matches and stops.
    attempt = models.PositiveIntegerField(default=1)
    # Held by the worker running the job; renewed while it runs. Expired: the worker is gone.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Time the job spent waiting for the shared Telnyx request budget, and when it last did.
    budget_wait_seconds = models.FloatField(default=0.0)
    budget_waited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # Who may see a job follows its kind's permission (jobs/kinds.py), not a model permission.
        default_permissions = ()
        indexes = [
            models.Index(fields=["status", "lease_expires_at"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind}, {self.status})"

    @property
    def shown_message(self) -> str:
        return messages.shown(self.message, self.message_params)

    @property
    def finished(self) -> int:
        return self.applied + self.refused + self.unknown + self.not_done

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, int(self.finished * 100 / self.total))


class JobRow(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        RUNNING = "running", gettext_lazy("Running")
        APPLIED = "applied", gettext_lazy("Applied")
        REFUSED = "refused", gettext_lazy("Refused")
        UNKNOWN = "unknown", gettext_lazy("Unknown")
        NOT_DONE = "not_done", gettext_lazy("Not done")

    OUTCOMES = (Status.APPLIED, Status.REFUSED, Status.UNKNOWN, Status.NOT_DONE)

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    object_id = models.CharField(max_length=128)
    label = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # Why the row ended as it did: source text and its values, translated when shown (jobs/messages.py).
    message = models.TextField(blank=True)
    message_params = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # What the row's object looked like before, and after (or what the row meant to make of it).
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    # The job attempt that claimed the row (a row left running by an older attempt is reconciled).
    attempt = models.PositiveIntegerField(default=0)
    reconciled = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="jobs_row_position_unique")]
        indexes = [models.Index(fields=["job", "status", "position"])]

    def __str__(self) -> str:
        return f"row {self.position} of job {self.job_id} ({self.status})"

    @property
    def shown_message(self) -> str:
        return messages.shown(self.message, self.message_params)
