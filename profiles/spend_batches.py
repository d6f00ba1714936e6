"""Rows of a spend-limit job taken together: their profiles locked at once and re-read in one go.

Each row's write must compare the profile's `updated_at` with the preview's, from a read made while
the profile's write lock is held. Made row by row that is a GET before every PATCH: two calls a
row. A batch instead

1. takes the write locks of its rows' profiles (writes.locks.object_locks_if_free: sorted, only
   free ones; a profile someone is saving right now is left to its row's own write, which waits
   for the lock as any save does);
2. re-reads those profiles with the list API, every page afresh (profiles.catalog.read_profiles_now:
   the API cannot filter by id, so it is `known_pages()` calls for the whole batch), but only when
   that is fewer calls than one GET per locked profile;
3. runs each row's write through the write path with its freshly read profile as the re-read
   (`current=`), and releases that profile's lock as soon as its row is done; rows left out of the
   re-read run last, so a busy profile never keeps the batch's others locked.

Everything else is the write path's as before: earlier open writes settled from the read, the stamp
compared (a profile changed elsewhere since the preview is refused, never overwritten), the audit
intent stored before the PATCH. A row whose profile was not locked, not listed (deleted), or whose
locks were lost with the database connection, is written the ordinary way: its own lock, its own GET.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator

from jobs.kinds import Batch, RowOutcome
from jobs.models import Job, JobRow
from profiles import catalog
from profiles.readback import PROFILE
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx.profiles import MessagingProfile
from writes.locks import lock_key, object_locks_if_free

logger = logging.getLogger(__name__)

# Rows one thread of the job takes at once: an even share of the job for each of its threads,
# within these bounds. A re-read of the account is one call per 250 profiles, so on a
# 2,000-profile account (8 pages) 50 rows cost 58 calls instead of 100, and 100 rows 108 instead
# of 200. A profile stays locked from its batch's re-read until its row is done: with six threads
# sharing the job's 25 calls a second, up to ~25 s for a batch's last row (a save of that profile
# meanwhile waits WRITE_LOCK_WAIT, then is told the profile is busy).
BATCH_MIN = 50
BATCH_SIZE = 100

# How one row is written: with the profile as just re-read under its lock, or None (the ordinary
# way: the write path locks and reads it itself).
WriteRow = Callable[[Job, JobRow, MessagingProfile | None], RowOutcome]


def worth_listing(locked: int, pages: int | None) -> bool:
    """Whether re-reading `locked` profiles from the list pages costs fewer calls than a GET each."""
    return pages is not None and pages < locked


@contextlib.contextmanager
def batch(job: Job, rows: list[JobRow], *, write_row: WriteRow) -> Iterator[Batch]:
    """The job runner's batch (jobs.kinds): yields the order to run `rows` in and how to run each."""
    keys = {row.object_id: _key(job, row.object_id) for row in rows}
    with object_locks_if_free(keys.values()) as locks:
        locked = [object_id for object_id, key in keys.items() if locks.holds(key)]
        current = _read_now(locked)

        def run(job: Job, row: JobRow) -> RowOutcome:
            key = keys[row.object_id]
            profile = current.pop(row.object_id, None)
            if profile is None or not locks.holds(key):
                locks.release(key)  # the ordinary write takes it itself
                return write_row(job, row, None)
            try:
                return write_row(job, row, profile)
            finally:
                locks.release(key)

        # Rows re-read under the batch's locks first: a row left to its own write may wait for a
        # busy lock, and the batch's other profiles should not stay locked meanwhile.
        ready = [row for row in rows if row.object_id in current]
        yield Batch(ready + [row for row in rows if row.object_id not in current], run)


def _read_now(locked: list[str]) -> dict[str, MessagingProfile]:
    pages = catalog.known_pages()
    if len(locked) < 2 or (pages is not None and not worth_listing(len(locked), pages)):
        return {}
    try:
        # Page count unknown (a worker that does not share the dashboard's cache): page 1 tells it,
        # and the listing stops there unless it still costs fewer calls than a GET per profile.
        return catalog.read_profiles_now(locked, most_pages=len(locked) - 1) or {}
    except errors.TelnyxError as exc:
        # The rows' own writes read and report for themselves (each GET under its lock).
        logger.warning("spend-limit batch: re-reading %s profiles failed (%s)", len(locked), exc)
        return {}


def _key(job: Job, profile_id: str) -> str:
    return lock_key(account=job.account, object_type=PROFILE.object_type, object_id=profile_id)
