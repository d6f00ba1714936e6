"""Building and refreshing the number index (see models.py), as a background job.

A refresh lists every profile (the profile catalog's pages of 250, fetched together), then queues
one job (kind `phone_numbers.index`, phone_numbers/job_kinds.py) with one row per profile whose
numbers must be read: new profiles, profiles whose `updated_at` differs from the one their numbers
were read at, and profiles whose last read did not finish. A full refresh reads every profile.
Profiles that are gone lose their numbers at once.

Each row reads one profile's numbers, then replaces that profile's part of the index in one
transaction: a row interrupted half-way (a worker killed, Telnyx failing) changes nothing, and the
job runner resumes the job at the rows not finished, so an interrupted build loses nothing and reads
no profile twice. The rows' Telnyx calls take the jobs' share of the request budget.

The API lists numbers per profile only: numbers on no profile are not in the index.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from audit.models import AuditEntry
from jobs.kinds import PlannedRow
from jobs.models import Job
from jobs.services import job_create
from phone_numbers.digits import digits_of
from phone_numbers.models import IndexedNumber, IndexedProfile, IndexState
from profiles import catalog
from profiles.catalog import ProfileSummary
from telnyx_admin.telnyx import profiles as telnyx_profiles
from telnyx_admin.telnyx.number_listing import NO_HEALTH, NumberListing
from telnyx_admin.telnyx.pages import Page

logger = logging.getLogger(__name__)

KIND = "phone_numbers.index"
PAGE_SIZE = 250  # the API's largest page
# Pages of one large profile read at once (rows themselves run several at once too).
PAGES_AT_ONCE = 4
_ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.CANCELLING)


def account() -> str:
    return str(settings.TELNYX_ACCOUNT)


def state() -> IndexState:
    found, _ = IndexState.objects.get_or_create(account=account())
    return found


# --- freshness ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """What a page says about the index: as of when it was complete, and whether it is refreshing."""

    complete_as_of: datetime | None
    refreshing: Job | None
    numbers: int
    profiles: int


def freshness() -> Freshness:
    current = state()
    job = running_job(current)
    # From the profiles' counts (a row per profile), not a count of every number on every page view.
    totals = IndexedProfile.objects.filter(account=current.account).aggregate(
        numbers=Sum("number_count"), profiles=Count("pk")
    )
    return Freshness(
        complete_as_of=current.complete_as_of,
        refreshing=job,
        numbers=totals["numbers"] or 0,
        profiles=totals["profiles"],
    )


def running_job(current: IndexState) -> Job | None:
    if current.job_id is None:
        return None
    return Job.objects.filter(pk=current.job_id, status__in=_ACTIVE).first()


# --- planning a refresh ------------------------------------------------------------------------------


def number_index_refresh(*, actor: Any, full: bool = False) -> Job | None:
    """Start a refresh of the index, unless one is running (then that one is returned).

    Lists every profile now (ceil(profiles / 250) calls, fetched together). Returns the job reading
    the profiles that need it, or None when none does (the index is then complete as of now).

    Raises: TelnyxError subclasses while listing the profiles.
    """
    current = state()
    job = running_job(current)
    if job is not None:
        return job
    listed_at = timezone.now()
    profiles = catalog.build_and_store().profiles
    with transaction.atomic():
        locked = IndexState.objects.select_for_update().get(pk=current.pk)
        job = running_job(locked)
        if job is not None:
            return job  # another refresh started while we listed
        stale = _sync_profiles(profiles)
        wanted = list(profiles) if full else [profile for profile in profiles if profile.id in stale]
        if not wanted:
            locked.complete_as_of = listed_at
            if full:
                locked.full_as_of = listed_at
            locked.job_id = None
            locked.save(update_fields=["complete_as_of", "full_as_of", "job_id"])
            return None
        job = job_create(
            kind=KIND,
            actor=actor,
            rows=_planned(wanted),
            params={"listed_at": listed_at.isoformat(), "full": full, "profiles": len(profiles)},
        )
        locked.job_id = job.pk
        locked.save(update_fields=["job_id"])
    return job


def _planned(profiles: Iterable[ProfileSummary]) -> list[PlannedRow]:
    return [
        PlannedRow(object_id=profile.id, label=profile.name, before={"updated_at": profile.updated_at})
        for profile in profiles
    ]


def _sync_profiles(profiles: Sequence[ProfileSummary]) -> set[str]:
    """Bring the index's profiles in line with the listing; returns the ids whose numbers are stale.

    Names and spend limits are taken from the listing at once (they need no reading of numbers);
    profiles no longer listed are dropped with their numbers.
    """
    known = {row.profile_id: row for row in IndexedProfile.objects.filter(account=account())}
    listed = {profile.id for profile in profiles}
    gone = set(known) - listed
    if gone:
        drop_profiles(gone)
    stale = set()
    changed, added = [], []
    for profile in profiles:
        row = known.get(profile.id)
        if row is None:
            added.append(
                IndexedProfile(
                    account=account(),
                    profile_id=profile.id,
                    name=profile.name[:255],
                    daily_spend_limit=profile.daily_spend_limit[:32],
                    daily_spend_limit_enabled=profile.daily_spend_limit_enabled,
                )
            )
            stale.add(profile.id)
            continue
        if row.numbers_read_for != profile.updated_at or row.numbers_read_at is None:
            stale.add(profile.id)
        if (row.name, row.daily_spend_limit, row.daily_spend_limit_enabled) != (
            profile.name[:255],
            profile.daily_spend_limit[:32],
            profile.daily_spend_limit_enabled,
        ):
            row.name = profile.name[:255]
            row.daily_spend_limit = profile.daily_spend_limit[:32]
            row.daily_spend_limit_enabled = profile.daily_spend_limit_enabled
            changed.append(row)
    IndexedProfile.objects.bulk_create(added, batch_size=1000)
    IndexedProfile.objects.bulk_update(
        changed, ["name", "daily_spend_limit", "daily_spend_limit_enabled"], batch_size=1000
    )
    return stale


def drop_profiles(profile_ids: Iterable[str]) -> int:
    """Remove profiles and their numbers from the index (deleted, or no longer listed)."""
    ids = list(profile_ids)
    with transaction.atomic():
        removed, _ = IndexedNumber.objects.filter(account=account(), profile_id__in=ids).delete()
        IndexedProfile.objects.filter(account=account(), profile_id__in=ids).delete()
    return removed


def profile_deleted(entry: AuditEntry) -> None:
    """A success hook of the write path: a profile deleted through the dashboard leaves the index."""
    if entry.object_id and entry.account in ("", account()):
        drop_profiles([entry.object_id])


def profile_renamed(entry: AuditEntry) -> None:
    """A success hook of the write path: a profile renamed through the dashboard shows its new name
    on /numbers/ and in the CSV at once. Only the name: the rename moved the profile's `updated_at`,
    so the next refresh reads its numbers again as for any change (and takes the listed name, which
    also settles a rename whose success was learnt late)."""
    change = (entry.changes or {}).get("name")
    name = change.get("after") if isinstance(change, dict) else None
    if entry.object_id and entry.account in ("", account()) and isinstance(name, str):
        IndexedProfile.objects.filter(account=account(), profile_id=entry.object_id).update(name=name[:255])


# --- reading one profile (a job row) -----------------------------------------------------------------


def read_profile_numbers(profile_id: str) -> list[NumberListing]:
    """Every number of one profile: page 1 says how many pages there are, the rest come a few at a
    time. Only pages that exist are asked for: no speculative page costs the budget a call.

    Raises: NotFound (the profile is gone), TelnyxError subclasses.
    """

    def fetch(number: int) -> Page[NumberListing]:
        return telnyx_profiles.list_profile_number_listings(
            profile_id=profile_id, page_number=number, page_size=PAGE_SIZE
        )

    first = fetch(1)
    numbers = list(first.items)
    if first.total_pages <= 1:
        return numbers
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=min(PAGES_AT_ONCE, first.total_pages - 1), thread_name_prefix="number-index"
    ) as pool:
        # A copy of the row's context per page: the calls take the job share of the budget.
        futures = [
            pool.submit(contextvars.copy_context().run, fetch, number)
            for number in range(2, first.total_pages + 1)
        ]
        try:
            for future in futures:
                numbers.extend(future.result().items)
        finally:
            for future in futures:
                future.cancel()
    return numbers


def store_profile_numbers(
    *, profile_id: str, listed_updated_at: str, numbers: Sequence[NumberListing]
) -> None:
    """Replace one profile's numbers in the index, in one transaction."""
    now = timezone.now()
    owner = account()
    rows = [_indexed(number, account=owner, profile_id=profile_id) for number in numbers]
    with transaction.atomic():
        IndexedNumber.objects.filter(account=owner, profile_id=profile_id).delete()
        _upsert(rows, seen_at=now)
        IndexedProfile.objects.filter(account=account(), profile_id=profile_id).update(
            numbers_read_for=listed_updated_at, number_count=len(rows), numbers_read_at=now
        )


# The columns a row of the index is written with, in order (see _indexed).
_COLUMNS = (
    "account",
    "number_id",
    "phone_number",
    "digits",
    "profile_id",
    "country_code",
    "type",
    "messaging_product",
    "traffic_type",
    "tags",
    "message_count",
    "success_ratio",
    "spam_ratio",
)
# The unique key of a row (IndexedNumber's constraint).
_KEY = ("account", "number_id")


# Rows per INSERT: 14 values each stays far below both databases' limits on parameters.
_ROWS_PER_INSERT = 500


def _upsert(rows: Sequence[tuple[Any, ...]], *, seen_at: datetime) -> None:
    """Write the rows, many per INSERT. A number the index holds on another profile has moved to this
    one: ON CONFLICT moves it (a number is on one profile at a time). Plain values the index's own
    code made; building a model instance per number (bulk_create) cost most of a profile's read."""
    quote = connection.ops.quote_name
    names = (*_COLUMNS, "seen_at")
    columns = ", ".join(quote(name) for name in names)
    one_row = "(" + ", ".join(["%s"] * len(names)) + ")"
    moved = ", ".join(f"{quote(name)} = EXCLUDED.{quote(name)}" for name in names if name not in _KEY)
    conflict = f"ON CONFLICT ({', '.join(quote(name) for name in _KEY)}) DO UPDATE SET {moved}"
    seen = connection.ops.adapt_datetimefield_value(seen_at)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            batch = rows[start : start + _ROWS_PER_INSERT]
            values = ", ".join([one_row] * len(batch))
            sql = f"INSERT INTO {quote(IndexedNumber._meta.db_table)} ({columns}) VALUES {values} {conflict}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in (*row, seen)])


def _indexed(number: NumberListing, *, account: str, profile_id: str) -> tuple[Any, ...]:
    """The index's row of a number, in _COLUMNS order."""
    health = number.health or NO_HEALTH
    count = health.message_count
    return (
        account,
        number.id[:64],
        number.phone_number[:32],
        digits_of(number.phone_number)[:32],
        profile_id,
        number.country_code[:8],
        number.type[:32],
        number.messaging_product[:32],
        number.traffic_type[:32],
        (" " + " ".join(number.tags) + " ")[:1000] if number.tags else "",
        count if count is not None and count >= 0 else None,
        None if health.success_ratio is None else float(health.success_ratio),
        None if health.spam_ratio is None else float(health.spam_ratio),
    )


# --- finishing -------------------------------------------------------------------------------------


def refresh_finished(job: Job) -> None:
    """A refresh job ended: the index is complete as of its listing when every row was read."""
    with transaction.atomic():
        current = IndexState.objects.select_for_update().get(account=job.account)
        if current.job_id == job.pk:
            current.job_id = None
        if job.status == Job.Status.DONE and job.applied == job.total:
            listed_at = datetime.fromisoformat(job.params["listed_at"])
            current.complete_as_of = listed_at
            if job.params.get("full"):
                current.full_as_of = listed_at
        current.save(update_fields=["job_id", "complete_as_of", "full_as_of"])
    if job.applied:
        _analyze()
        remember_choices()


def remember_choices() -> None:
    """Keep the types, countries and tags the index holds, for the lookup's menus: read once per
    refresh here, instead of from every number on a page view."""
    numbers = IndexedNumber.objects.filter(account=account()).order_by()  # no ORDER BY in DISTINCT
    tags: set[str] = set()
    for text in numbers.exclude(tags="").values_list("tags", flat=True).distinct():
        tags.update(text.split())
    choices = {
        "types": sorted(t for t in numbers.values_list("type", flat=True).distinct() if t),
        "countries": sorted(c for c in numbers.values_list("country_code", flat=True).distinct() if c),
        "tags": sorted(tags),
    }
    IndexState.objects.filter(account=account()).update(choices=choices)


def _analyze() -> None:
    """Refresh the database's statistics of the index: after a first build (from empty to 200,000
    rows) the planner would otherwise plan lookups for an empty table until autovacuum came by."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (IndexedNumber, IndexedProfile):
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
