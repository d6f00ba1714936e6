"""`tests.tag_short_codes`: add a tag to each short code, one PATCH per row.

A real, countable write through the real service layer: the sandbox's stats say how many PATCHes
reached it, and each short code's tags say whether its change was applied, and how often (a tag
added twice would appear twice). `reconcile_row` reads the short code back and never sends again.
"""

from __future__ import annotations

from jobs.kinds import JobKind, RowOutcome, register
from jobs.models import Job, JobRow
from telnyx_admin.telnyx import errors, short_codes

KIND = "tests.tag_short_codes"


def run_row(job: Job, row: JobRow) -> RowOutcome:
    before = row.before or {}
    tags = [*before.get("tags", []), job.params["tag"]]
    try:
        code = short_codes.update_short_code(
            short_code_id=row.object_id, messaging_profile_id=before.get("messaging_profile_id"), tags=tags
        )
    except errors.ValidationFailed as exc:
        return RowOutcome.refused(exc.message)
    return RowOutcome.applied(after={"tags": list(code.tags)})


def reconcile_row(job: Job, row: JobRow) -> RowOutcome:
    code = short_codes.retrieve_short_code(short_code_id=row.object_id)
    if job.params["tag"] in code.tags:
        return RowOutcome.applied("Confirmed by reading it back.", after={"tags": list(code.tags)})
    return RowOutcome.not_done("Read back: not applied. Not sent again.")


register(
    JobKind(
        name=KIND,
        label="Tag short codes (tests)",
        permission="shortcodes.change_shortcode",
        run_row=run_row,
        reconcile_row=reconcile_row,
        columns=(("Tags", "tags"),),
    )
)
