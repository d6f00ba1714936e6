"""Job kind of the number index (registered at start-up by jobs.apps.JobsConfig).

`phone_numbers.index`: one row per profile whose numbers must be read (phone_numbers/index.py
plans them). Reading changes nothing at Telnyx, so reconciling a row a lost worker left running is
reading it again.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jobs.kinds import JobKind, RowOutcome, register
from jobs.models import Job, JobRow
from phone_numbers import index
from telnyx_admin.telnyx import errors

VIEW = "profiles.view_messagingprofile"


def read_row(job: Job, row: JobRow) -> RowOutcome:
    listed_updated_at = str((row.before or {}).get("updated_at") or "")
    try:
        numbers = index.read_profile_numbers(row.object_id)
    except errors.NotFound:
        index.drop_profiles([row.object_id])
        return RowOutcome.applied(gettext_noop("The profile no longer exists: its numbers were removed."))
    except errors.TelnyxError as exc:
        # Left for the next refresh: this profile's numbers stay as they were read last time.
        return RowOutcome.not_done(
            gettext_noop("Telnyx did not answer (%(error)s); read next time."),
            params={"error": type(exc).__name__},
        )
    index.store_profile_numbers(
        profile_id=row.object_id, listed_updated_at=listed_updated_at, numbers=numbers
    )
    return RowOutcome.applied(after={"phone_numbers": len(numbers)})


register(
    JobKind(
        name=index.KIND,
        label=_("Refresh the number index"),
        description=_(
            "Reads the phone numbers of every profile that changed, at the jobs' share of the request budget."
        ),
        permission=VIEW,
        run_row=read_row,
        reconcile_row=read_row,  # reading changes nothing: reading again is the check
        concurrency=int(settings.NUMBER_INDEX_CONCURRENCY),
        on_finish=index.refresh_finished,
        outcome_labels={"applied": _("read"), "not_done": _("not read")},
        columns=((_("Phone numbers"), "phone_numbers"),),
        show_before=False,
    )
)
