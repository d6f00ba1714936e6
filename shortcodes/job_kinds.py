"""Job kinds of the short-codes app (registered at start-up by jobs.apps.JobsConfig).

`shortcodes.bulk_bind` / `shortcodes.bulk_unbind`: one row per short code that the confirmed preview
changes (shortcodes/bulk.py). Each row is one `short_code_bind`/`short_code_unbind` through the write
path (writes/job_rows.py), with its own audit entry, expecting the `updated_at` the preview showed: a
short code changed since is refused, never overwritten. A row a lost worker left running is decided
from its audit entry and read back, never sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy, gettext_noop

from audit.context import AuditContext
from jobs.kinds import JobKind, RowOutcome, register
from jobs.models import Job, JobRow
from shortcodes import services
from shortcodes.bulk import KIND_BIND, KIND_UNBIND
from writes.job_rows import RowWrite, reconcile_write_row, run_write_row


def _stamp(row: JobRow) -> str | None:
    return (row.before or {}).get("updated_at") or None


def bind_row(job: Job, row: JobRow, audit: AuditContext) -> Any:
    return services.short_code_bind(
        actor=job.actor,
        audit=audit,
        short_code_id=row.object_id,
        profile_id=job.params["messaging_profile_id"],
        expected_updated_at=_stamp(row),
    )


def unbind_row(job: Job, row: JobRow, audit: AuditContext) -> Any:
    return services.short_code_unbind(
        actor=job.actor, audit=audit, short_code_id=row.object_id, expected_updated_at=_stamp(row)
    )


def _gated(step: Callable[..., RowOutcome], write: RowWrite) -> Callable[[Job, JobRow], RowOutcome]:
    """The row's step, with a permission taken away since the job started as a refusal of the row."""

    def run(job: Job, row: JobRow) -> RowOutcome:
        try:
            return step(job, row, write=write)
        except PermissionDenied:
            return RowOutcome.refused(gettext_noop("Its starter may no longer change short codes; not sent."))

    return run


_COMMON: dict[str, Any] = {
    "permission": services.PERMISSION_CHANGE,
    "columns": ((gettext_lazy("Profile"), "profile"),),
    "concurrency": 4,
}

register(
    JobKind(
        name=KIND_BIND,
        label=gettext_lazy("Bind short codes to a profile"),
        run_row=_gated(run_write_row, bind_row),
        reconcile_row=_gated(reconcile_write_row, bind_row),
        **_COMMON,
    )
)
register(
    JobKind(
        name=KIND_UNBIND,
        label=gettext_lazy("Unbind short codes"),
        run_row=_gated(run_write_row, unbind_row),
        reconcile_row=_gated(reconcile_write_row, unbind_row),
        **_COMMON,
    )
)
