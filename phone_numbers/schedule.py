"""The number index's upkeep on a schedule: every job worker refreshes it (jobs.periodic), as
`manage.py refresh_number_index` does from cron.

A refresh reads only the profiles whose `updated_at` moved. Numbers can move between profiles
without a profile's `updated_at` moving (assigned through the phone-numbers API), so every
NUMBER_INDEX_FULL_SECONDS a scheduled refresh reads every profile again.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jobs.models import Job
from telnyx_admin.telnyx import budget


def full_refresh_due() -> bool:
    from phone_numbers import index

    every = float(settings.NUMBER_INDEX_FULL_SECONDS)
    last = index.state().full_as_of
    return every > 0 and (last is None or timezone.now() - last >= timedelta(seconds=every))


def planned_refresh(*, full: bool = False) -> Job | None:
    """A refresh nobody is waiting for: its listing of the profiles takes the jobs' budget share too."""
    from phone_numbers import index

    with budget.job_scope():
        return index.number_index_refresh(actor=None, full=full or full_refresh_due())


def register() -> None:
    from jobs.periodic import Periodic
    from jobs.periodic import register as register_periodic

    register_periodic(
        Periodic(
            name="refresh_number_index",
            interval=lambda: float(settings.NUMBER_INDEX_REFRESH_SECONDS),
            run=planned_refresh,
        )
    )
