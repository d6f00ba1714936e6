"""Job kinds of the profiles app (registered at start-up by jobs.apps.JobsConfig).

`profiles.count_phone_numbers`: how many phone numbers each profile of the account holds, one call
per profile (the list API's `total_results` at page size 1), at the job share of the request
budget. Read-only, so reconciling a row after a lost worker is simply counting again. Its results
CSV is the per-profile summary the API itself cannot give in one call.

`profiles.set_spend_limits`: a bulk change or CSV import (profiles/spend_plans.py). Each row is one
`profile.spend_limit` write through the write path (writes.job_rows), as the person who started the
job, expecting the `updated_at` the preview showed; a worker that died mid-row left an audit entry
that decides the row on resume, so no change is sent twice. Rows run in batches
(profiles/spend_batches.py): their profiles locked together and re-read from the list pages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from audit.context import AuditContext
from jobs.kinds import JobKind, PlannedRow, RowOutcome, register
from jobs.models import Job, JobRow
from profiles import catalog, services, spend_batches, spend_plans
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx import profiles as telnyx_profiles
from telnyx_admin.telnyx.profiles import MessagingProfile
from writes.job_rows import reconcile_write_row, run_write_row

VIEW = "profiles.view_messagingprofile"


def plan_count() -> list[PlannedRow]:
    """One row per profile of the account, from the catalog (every profile, no cap)."""
    return [
        PlannedRow(
            object_id=profile.id,
            label=profile.name,
            before={
                "daily_spend_limit": profile.daily_spend_limit,
                "enforced": profile.daily_spend_limit_enabled,
            },
        )
        for profile in catalog.profile_catalog()
    ]


def count_numbers(job: Job, row: JobRow) -> RowOutcome:
    try:
        page = telnyx_profiles.list_profile_phone_numbers(profile_id=row.object_id, page_size=1)
    except errors.NotFound:
        return RowOutcome.refused(gettext_noop("The profile no longer exists."))
    return RowOutcome.applied(after={"phone_numbers": page.total_results})


register(
    JobKind(
        name="profiles.count_phone_numbers",
        label=_("Count each profile's phone numbers"),
        description=_("One call per profile, at the jobs' share of the request budget; results as CSV."),
        permission=VIEW,
        start_permission=VIEW,
        plan=plan_count,
        run_row=count_numbers,
        reconcile_row=count_numbers,  # counting changes nothing: counting again is the check
        concurrency=4,
        outcome_labels={"applied": _("counted"), "refused": _("gone")},
        columns=((_("Phone numbers"), "phone_numbers"),),
        show_before=False,
    )
)


# --- profiles.set_spend_limits: a bulk change or CSV import of spend limits ---------------------------


def _spend_limit_write(
    job: Job, row: JobRow, audit: AuditContext, *, current: MessagingProfile | None = None
) -> services.ProfileWrite:
    """The row's one write: the fields the plan sets, refused if the profile moved since the preview.
    `current`: the profile as its batch re-read it under the lock (spend_batches), if it did."""
    after = row.after or {}
    changes = {name: after[name] for name in job.params.get("fields", ()) if name in after}
    return services.profile_spend_limit_update(
        actor=job.actor,
        audit=audit,
        profile_id=row.object_id,
        changes=changes,
        expected_updated_at=(row.before or {}).get("updated_at") or None,
        current=current,
    )


def _guarded(row_function: Callable[..., RowOutcome]) -> Callable[[Job, JobRow], RowOutcome]:
    def run(job: Job, row: JobRow) -> RowOutcome:
        return _refusing_without_permission(lambda: row_function(job, row, write=_spend_limit_write))

    return run


def _run_with(job: Job, row: JobRow, current: MessagingProfile | None) -> RowOutcome:
    def write(job: Job, row: JobRow, audit: AuditContext) -> services.ProfileWrite:
        return _spend_limit_write(job, row, audit, current=current)

    return _refusing_without_permission(lambda: run_write_row(job, row, write=write))


def _refusing_without_permission(run: Callable[[], RowOutcome]) -> RowOutcome:
    try:
        return run()
    except PermissionDenied:
        # The person who started the job lost the permission meanwhile: nothing was sent.
        return RowOutcome.refused(gettext_noop("You may no longer change spend limits: not sent."))


def _spend_limits_finished(job: Job) -> None:
    # The overview and the directory read the catalog: the next view lists the new limits.
    catalog.invalidate()


register(
    JobKind(
        name=spend_plans.JOB_KIND,
        label=_("Change spend limits"),
        description=_("Set the daily spend limit and enforcement of many profiles."),
        permission=services.PERMISSION_SPEND_LIMIT,
        run_row=_guarded(run_write_row),
        reconcile_row=_guarded(reconcile_write_row),
        on_finish=_spend_limits_finished,
        # Rows are different profiles (each write holds its own lock): six at once keep the job's
        # share of the budget busy through Telnyx's latency and the database's round trips (four
        # measured short of it on a busy host once rows cost one call instead of two).
        concurrency=6,
        # Each thread locks and re-reads a batch of profiles at once (list pages instead of a GET
        # per row), then writes them one by one.
        batch=functools.partial(spend_batches.batch, write_row=_run_with),
        batch_size=spend_batches.BATCH_SIZE,
        batch_min=spend_batches.BATCH_MIN,
        columns=(
            (_("Limit (USD)"), "daily_spend_limit"),
            (_("Enforced"), "daily_spend_limit_enabled"),
        ),
    )
)
