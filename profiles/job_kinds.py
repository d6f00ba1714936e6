"""Job kinds of the profiles app (registered at start-up by jobs.apps.JobsConfig).

`profiles.count_phone_numbers`: how many phone numbers each profile of the account holds, one call
per profile (the list API's `total_results` at page size 1), at the job share of the request
budget. Read-only, so reconciling a row after a lost worker is simply counting again. Its results
CSV is the per-profile summary the API itself cannot give in one call.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jobs.kinds import JobKind, PlannedRow, RowOutcome, register
from jobs.models import Job, JobRow
from profiles import catalog
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx import profiles as telnyx_profiles

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
        return RowOutcome.refused("The profile no longer exists.")
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
