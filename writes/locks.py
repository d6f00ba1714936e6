"""One write at a time per Telnyx object, across threads, processes and instances.

Two saves of the same profile from the same loaded form must not both pass the `updated_at` check:
the second has to wait for the first, re-read, and see that the object moved. The lock lives in the
database every instance shares, the one dependency a write cannot do without anyway (its audit
entry must be stored first), so Redis being down never blocks a save:

- PostgreSQL: a session advisory lock. It is released with the connection, so a crashed worker
  never leaves an object locked.
- Other databases (SQLite by default): a lease row with an expiry, taken by INSERT on a primary key.
  A holder that died is overtaken once its lease expires.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from writes.errors import WriteBusy, WriteNotRecorded
from writes.models import WriteLease

logger = logging.getLogger(__name__)

_POLL_SECONDS = 0.05


def lock_key(*, account: str, object_type: str, object_id: str) -> str:
    return f"{account}:{object_type}:{object_id}"


@contextlib.contextmanager
def object_lock(key: str, *, wait: float | None = None) -> Iterator[None]:
    """Hold the write lock for `key` for the duration of the block.

    Raises:
        WriteBusy: another holder kept it for `wait` seconds (default WRITE_LOCK_WAIT).
        WriteNotRecorded: the database did not answer, so nothing may be sent.
    """
    seconds = float(settings.WRITE_LOCK_WAIT if wait is None else wait)
    with _acquired(key, deadline=time.monotonic() + seconds, blocking=True):
        yield


@contextlib.contextmanager
def object_lock_if_free(key: str) -> Iterator[bool]:
    """Take the lock only if nobody holds it; yields whether it was taken. Database trouble counts
    as "not taken", for callers to whom the lock is an optimisation (reconciling on a page view)."""
    held = contextlib.ExitStack()
    try:
        held.enter_context(_acquired(key, deadline=time.monotonic(), blocking=False))
    except (WriteBusy, WriteNotRecorded):
        yield False
        return
    with held:
        yield True


@contextlib.contextmanager
def _acquired(key: str, *, deadline: float, blocking: bool) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with _advisory_lock(key, deadline=deadline, blocking=blocking):
            yield
    else:
        with _lease(key, deadline=deadline, blocking=blocking):
            yield


def _advisory_number(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


@contextlib.contextmanager
def _advisory_lock(key: str, *, deadline: float, blocking: bool) -> Iterator[None]:
    number = _advisory_number(key)
    try:
        while True:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
                (taken,) = cursor.fetchone()
            if taken:
                break
            if not blocking or time.monotonic() >= deadline:
                raise WriteBusy()
            time.sleep(_POLL_SECONDS)
    except DatabaseError as exc:
        connection.close()  # a broken connection must not be reused by what comes next
        raise WriteNotRecorded() from exc
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        except DatabaseError:
            # The session is gone, and its advisory locks with it; make Django open a fresh one.
            logger.warning("write lock %s: connection lost before unlock", key)
            connection.close()


@contextlib.contextmanager
def _lease(key: str, *, deadline: float, blocking: bool) -> Iterator[None]:
    holder = uuid.uuid4().hex
    while not _take_lease(key, holder):
        if not blocking or time.monotonic() >= deadline:
            raise WriteBusy()
        time.sleep(_POLL_SECONDS)
    try:
        yield
    finally:
        try:
            WriteLease.objects.filter(key=key, holder=holder).delete()
        except DatabaseError:
            logger.warning("write lock %s: lease not released; it expires by itself", key)


def _take_lease(key: str, holder: str) -> bool:
    now = timezone.now()
    try:
        with transaction.atomic():
            WriteLease.objects.filter(key=key, expires_at__lt=now).delete()
            WriteLease.objects.create(
                key=key,
                holder=holder,
                expires_at=now + timedelta(seconds=float(settings.WRITE_LEASE_SECONDS)),
            )
    except IntegrityError:
        return False
    except OperationalError as exc:
        # SQLite answers "database is locked" while another connection writes: that is contention.
        if "locked" in str(exc):
            return False
        connection.close()
        raise WriteNotRecorded() from exc
    except DatabaseError as exc:
        connection.close()
        raise WriteNotRecorded() from exc
    return True


class HeldLocks:
    """Write locks taken together for a batch of objects, each released on its own when its object
    is done (or all at once when the batch ends), so nobody waits longer than they must."""

    def __init__(self) -> None:
        self._held: dict[str, contextlib.ExitStack] = {}
        # A PostgreSQL advisory lock belongs to its session: if the connection was closed meanwhile
        # (the write path does that after a database error), every lock of the batch went with it.
        self._session = connection.connection if connection.vendor == "postgresql" else None

    def take_if_free(self, key: str) -> bool:
        held = contextlib.ExitStack()
        if held.enter_context(object_lock_if_free(key)):
            self._held[key] = held
            return True
        held.close()
        return False

    def holds(self, key: str) -> bool:
        if key not in self._held:
            return False
        return self._session is None or connection.connection is self._session

    def release(self, key: str) -> None:
        held = self._held.pop(key, None)
        if held is not None:
            held.close()

    def release_all(self) -> None:
        for key in list(self._held):
            self.release(key)


@contextlib.contextmanager
def object_locks_if_free(keys: Iterable[str]) -> Iterator[HeldLocks]:
    """Take, in sorted order, each of `keys`' locks that nobody holds now; busy ones are left out
    (their objects are written the ordinary way, waiting for their own lock). Taking only free
    locks, and in one order, means two batches can never wait on each other."""
    connection.ensure_connection()
    locks = HeldLocks()
    try:
        for key in sorted(set(keys)):
            locks.take_if_free(key)
        yield locks
    finally:
        locks.release_all()
