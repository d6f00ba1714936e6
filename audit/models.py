"""The append-only record of every write attempted through the dashboard.

An entry is written before its write is sent (the intent, outcome `unknown`) and then receives its
outcome exactly once: `resolve()` is the only change the model allows, and only while the entry is
still unresolved. Otherwise `save()` refuses to update an existing row, and `delete()` as well as the
queryset's `update()`/`delete()` raise. The admin does not register the model, and the only views
are read-only. Actors are protected (`on_delete=PROTECT`): deactivate a user instead of deleting
them, so their entries keep pointing at them; `actor_username` keeps the name as it was regardless.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class AuditEntryImmutable(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditEntryImmutable("Audit entries cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("Audit entries cannot be deleted.")

    # bulk_update goes through update(); guard it explicitly so the message is clear.
    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AuditEntryImmutable("Audit entries cannot be updated.")


class AuditEntry(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", gettext_lazy("Success")  # Telnyx applied it
        FAILURE = "failure", gettext_lazy("Failure")  # Telnyx did not apply it
        UNKNOWN = "unknown", gettext_lazy("Unknown")  # sent, no answer: it may or may not have been applied

    class Resolution(models.TextChoices):
        """How the outcome was established. Empty while an `unknown` entry is still open."""

        ANSWERED = "answered", gettext_lazy("Telnyx answered")
        NOT_SENT = "not_sent", gettext_lazy("Refused before sending")
        READ_BACK = "read_back", gettext_lazy("Read back at once")
        ON_VIEW = "on_view", gettext_lazy("Read back when the object was viewed")
        NEXT_WRITE = "next_write", gettext_lazy("Read back before the next write to it")
        RECONCILED = "reconciled", gettext_lazy("Read back by reconcile_writes")
        UNDECIDABLE = "undecidable", gettext_lazy("Cannot be decided: changed again since")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=128)
    object_label = models.CharField(max_length=255, blank=True)
    # {field: {"before": ..., "after": ...}} for the fields the write tried to change.
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    resolution = models.CharField(max_length=16, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    # The Telnyx account the object belongs to (one configured today; kept explicit for more).
    account = models.CharField(max_length=64, blank=True)
    # What a read-back needs to judge the write: the kind of write, the object's `updated_at`
    # before it, and a digest of each wanted value (values in `changes` may be truncated).
    intent = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # No add/change/delete permissions exist, so no role can be granted them.
        default_permissions = ("view",)
        permissions = [("view_history", "Can view the history of a profile or short code")]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-created_at"], name="audit_object_idx"),
            models.Index(fields=["actor_username", "-created_at"], name="audit_actor_idx"),
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
            models.Index(
                fields=["created_at"],
                name="audit_open_idx",
                condition=models.Q(outcome="unknown", resolved_at__isnull=True),
            ),
        ]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEntryImmutable("Audit entries cannot be updated.")
        # Force an INSERT: an explicit primary key must never turn this into an UPDATE.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEntryImmutable("Audit entries cannot be deleted.")

    @property
    def is_open(self) -> bool:
        """Sent without an answer and not yet read back: the outcome may still change once."""
        return self.outcome == self.Outcome.UNKNOWN and self.resolved_at is None

    def resolve(
        self,
        *,
        outcome: str,
        resolution: str,
        error: str | None = None,
        object_id: str | None = None,
        object_label: str | None = None,
    ) -> bool:
        """Give an open entry its outcome: the one change the log allows. Returns False (and changes
        nothing) when the entry was resolved meanwhile, e.g. by a reconciler on another instance.

        `object_id`/`object_label` may be filled in only where they were blank (a create's new id).
        """
        if outcome not in self.Outcome.values or resolution not in self.Resolution.values:
            raise ValueError(f"not an outcome/resolution: {outcome!r}/{resolution!r}")
        if outcome == self.Outcome.UNKNOWN and resolution != self.Resolution.UNDECIDABLE:
            raise ValueError("an entry stays unknown only when it cannot be decided")
        now = timezone.now()
        values: dict[str, Any] = {"outcome": outcome, "resolution": resolution, "resolved_at": now}
        if error is not None:
            values["error"] = error
        if object_id and not self.object_id:
            values["object_id"] = object_id
        if object_label and not self.object_label:
            values["object_label"] = object_label
        open_row = AuditEntry.objects.filter(
            pk=self.pk, outcome=self.Outcome.UNKNOWN, resolved_at__isnull=True
        )
        # The queryset's own update() refuses; this is the single guarded exception to that rule.
        changed = models.QuerySet.update(open_row, **values)
        if changed:
            for name, value in values.items():
                setattr(self, name, value)
        return bool(changed)
