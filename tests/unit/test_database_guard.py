"""telnyx_admin.database_guard with a real socket standing in for a frozen database connection: the
deadline shuts it down under a blocked read, the breaker then skips the database, the reserve keeps a
thread, and commit/rollback are still tried while the breaker is open."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from django.db import OperationalError

from telnyx_admin.database_guard import DatabaseBusy, DatabaseGuard, DatabaseSkipped

DEADLINE = 0.2


class FrozenConnection:
    """What the guard sees of a Django connection: `.connection.pgconn.socket` is the descriptor of
    a socket whose peer never answers."""

    Database = psycopg

    def __init__(self, ours: socket.socket) -> None:
        self.connection = SimpleNamespace(pgconn=SimpleNamespace(socket=ours.fileno()))


@pytest.fixture
def link() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair()
    yield ours, theirs
    ours.close()
    theirs.close()


@pytest.fixture
def guard() -> DatabaseGuard:
    return DatabaseGuard(deadline=DEADLINE, circuit_seconds=30)


def test_a_read_that_gets_no_answer_is_cut_at_the_deadline(guard, link, caplog):
    ours, _ = link
    started = time.monotonic()

    data = guard.call(FrozenConnection(ours), lambda: ours.recv(1))

    elapsed = time.monotonic() - started
    assert data == b""  # the read ended: the driver sees "server closed the connection"
    assert DEADLINE <= elapsed < DEADLINE + 1.0
    assert ours.fileno() != -1  # shut down through a duplicate: the driver's descriptor stays its own
    assert "got no answer in 0.2 s" in caplog.text


def test_after_a_deadline_the_database_is_skipped_at_once(guard, link):
    ours, _ = link
    guard.call(FrozenConnection(ours), lambda: ours.recv(1))
    ran = []

    started = time.monotonic()
    with pytest.raises(DatabaseSkipped) as refused:
        guard.call(FrozenConnection(ours), lambda: ran.append(1))

    assert time.monotonic() - started < 0.05
    assert ran == []
    assert isinstance(refused.value, OperationalError)  # the 503 page (telnyx_admin.views.server_error)


def test_calls_that_answer_leave_nothing_armed_and_the_breaker_closed(guard, link):
    ours, theirs = link
    theirs.sendall(b"xy")

    assert guard.call(FrozenConnection(ours), lambda: ours.recv(1)) == b"x"
    assert guard.call(FrozenConnection(ours), lambda: ours.recv(1)) == b"y"

    assert guard.watchdog.pending() == 0
    assert not guard.breaker.is_open


def test_a_failed_connect_opens_the_breaker(guard, link):
    ours, _ = link

    def refused() -> None:
        raise psycopg.OperationalError("connection failed: connection refused")

    with pytest.raises(psycopg.OperationalError):
        guard.connect(FrozenConnection(ours), refused)
    with pytest.raises(DatabaseSkipped):
        guard.connect(FrozenConnection(ours), lambda: None)


def test_only_a_passed_health_check_closes_the_breaker(guard, link):
    ours, _ = link
    guard.breaker.failed(TimeoutError())
    guard.breaker._open_until = 0  # the cool-down is over: the next caller tries

    assert guard.health_check(FrozenConnection(ours), lambda: False) is False
    assert guard.breaker.is_open  # a dropped connection says nothing of the database
    guard.breaker._open_until = 0
    assert guard.health_check(FrozenConnection(ours), lambda: True) is True
    assert not guard.breaker.is_open


def test_commit_and_rollback_are_tried_while_the_database_is_skipped(guard, link):
    ours, _ = link
    guard.breaker.failed(TimeoutError())

    assert guard.call(FrozenConnection(ours), lambda: "rolled back", starts_work=False) == "rolled back"
    with pytest.raises(DatabaseSkipped):
        guard.call(FrozenConnection(ours), lambda: "a query")


def test_with_the_other_threads_stuck_a_call_is_refused_instead_of_taking_the_last_one(guard):
    guard.keep_a_thread(threads=3, slow_after=0.05)
    pairs = [socket.socketpair() for _ in range(2)]
    stuck = [
        threading.Thread(target=guard.call, args=(FrozenConnection(ours), lambda s=ours: s.recv(1)))
        for ours, _ in pairs
    ]
    for thread in stuck:
        thread.start()
    time.sleep(0.1)

    started = time.monotonic()
    with pytest.raises(DatabaseBusy):
        guard.call(SimpleNamespace(connection=None), lambda: "a third call")
    assert time.monotonic() - started < 0.05

    for thread in stuck:
        thread.join(timeout=DEADLINE + 2)
    for pair in pairs:
        for end in pair:
            end.close()


def test_a_call_inside_a_call_is_timed_once(guard, link):
    ours, _ = link
    inner: list[Any] = []

    guard.call(
        FrozenConnection(ours), lambda: inner.append(guard.call(FrozenConnection(ours), lambda: "inner"))
    )

    assert inner == ["inner"]
    assert guard.watchdog.pending() == 0
