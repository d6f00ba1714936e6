"""Database calls of web requests: a client-side deadline, a circuit breaker, and a thread kept for probes.

The server's statement timeout cancels a slow statement only while the server and the link answer.
When PostgreSQL freezes, or the network between loses packets while connections stay open, a request
waits in a socket read that no libpq timeout ends, holding its gunicorn thread. So in web processes
(wsgi.py enables this; migrations, commands and the job worker never import it) every database call
a request makes goes through `DatabaseGuard.call()`:

- **deadline**: one watchdog thread (telnyx_admin.watchdog) holds a deadline per call; when one
  passes, the connection's socket is shut down, the blocked read fails with OperationalError, and
  the request gets the 503 page (telnyx_admin.views.server_error);
- **circuit breaker** (telnyx_admin.circuit_breaker): a deadline that fired, or a failed connect,
  opens it; for DATABASE_CIRCUIT_SECONDS new database work fails at once with `DatabaseSkipped`
  (the 503 page) instead of waiting out another deadline;
- **thread reserve** (telnyx_admin.thread_reserve): one of the worker's threads never waits on a
  slow database, so /healthz, which never touches it, always finds a thread.

Queries reach the guard through an execute wrapper that `DatabaseGuardMiddleware` installs for the
request. The calls Django makes on the driver's connection directly, which execute wrappers never
see (the health check of a reused connection, connecting, commit and rollback), reach it through the
backend (telnyx_admin.guarded_postgresql). Outside a request nothing is guarded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg
from django.db import OperationalError, connections

from telnyx_admin.circuit_breaker import CircuitBreaker
from telnyx_admin.streaming import each_chunk_within
from telnyx_admin.thread_reserve import ThreadReserve
from telnyx_admin.watchdog import Watchdog

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)

T = TypeVar("T")


class DatabaseSkipped(OperationalError):
    """The database stopped answering a moment ago; this call was not made."""


class DatabaseBusy(OperationalError):
    """Every worker thread but one is waiting on a slow database; this call was not made."""


class DeadlinePassed(OperationalError):
    """A database call got no answer in time and its connection was cut (what opened the breaker)."""


class DatabaseGuard:
    def __init__(self, *, deadline: float, circuit_seconds: float) -> None:
        self.deadline = deadline
        self.watchdog = Watchdog(name="database-deadlines")
        self.breaker = CircuitBreaker(
            seconds=circuit_seconds, name="PostgreSQL", refusal=DatabaseSkipped, log_field="database_circuit"
        )
        self.reserve: ThreadReserve | None = None
        self._in_call = threading.local()

    def keep_a_thread(self, *, threads: int, slow_after: float) -> None:
        """Keep one of the worker's `threads` out of slow database calls (no reserve below two)."""
        self.reserve = (
            ThreadReserve(threads=threads, slow_after=slow_after, refusal=DatabaseBusy)
            if threads > 1
            else None
        )

    def call(
        self,
        wrapper: BaseDatabaseWrapper,
        run: Callable[[], T],
        *,
        starts_work: bool = True,
        returning_is_an_answer: bool = True,
    ) -> T:
        """Run one call on `wrapper`'s connection under the deadline, the breaker and the reserve.

        `starts_work=False` for commit and rollback: they end work already begun, so they are tried
        even while the breaker is open; the transaction is not left half done for want of a try. They
        do not close it either: the driver skips a rollback with no transaction open without asking.

        `returning_is_an_answer=False`: the call returns on failure too (the health check's False), so
        only its caller can tell whether the database answered (and close the breaker).

        Raises: DatabaseSkipped, DatabaseBusy (before calling), or the driver's error for a cut call.
        """
        if getattr(self._in_call, "active", False):
            return run()  # a call inside a call (a query while connecting): the outer one is timed
        if starts_work:
            self.breaker.before_call()
        reserve = self.reserve
        if reserve is not None:
            reserve.enter()
        self._in_call.active = True
        deadline = self.watchdog.arm(self.deadline, lambda: self._cut(wrapper))
        try:
            result = run()
        finally:
            cut = self.watchdog.disarm(deadline)
            self._in_call.active = False
            if reserve is not None:
                reserve.leave()
            if cut:
                logger.warning("A database call got no answer in %g s; its connection was cut", self.deadline)
        if starts_work and returning_is_an_answer and not cut:
            self.breaker.succeeded()
        return result

    def health_check(self, wrapper: BaseDatabaseWrapper, is_usable: Callable[[], bool]) -> bool:
        """Django's check of a reused connection; False (the connection was dropped) says nothing of
        the database, so only True closes the breaker."""
        usable = self.call(wrapper, is_usable, returning_is_an_answer=False)
        if usable:
            self.breaker.succeeded()
        return usable

    def connect(self, wrapper: BaseDatabaseWrapper, run: Callable[[], None]) -> None:
        """Connect under the guard: a connection that cannot be made opens the breaker, like a deadline."""
        try:
            self.call(wrapper, run)
        except (DatabaseSkipped, DatabaseBusy):
            raise
        except psycopg.OperationalError as exc:  # connect() raises the driver's error, not yet Django's
            self.breaker.failed(exc)
            raise

    def _cut(self, wrapper: BaseDatabaseWrapper) -> None:
        """The deadline's action (watchdog thread): open the breaker, then end the blocked read."""
        self.breaker.failed(DeadlinePassed())
        driver_connection = wrapper.connection
        if driver_connection is None:
            return  # still connecting: libpq's connect_timeout ends that
        with contextlib.suppress(Exception):  # a connection already lost has no socket left to cut
            # psycopg owns its descriptor: shut the socket down through a duplicate and close only that.
            descriptor = os.dup(driver_connection.pgconn.socket)
            with socket.socket(fileno=descriptor) as duplicate:
                duplicate.shutdown(socket.SHUT_RDWR)

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """This thread serves a request: its database calls are guarded until the block ends."""
        with contextlib.ExitStack() as stack:
            for wrapper in connections.all():
                if wrapper.vendor == "postgresql":
                    stack.enter_context(wrapper.execute_wrapper(self._execute))
            previous = getattr(_serving, "guard", None)
            _serving.guard = self
            try:
                yield
            finally:
                _serving.guard = previous

    def _execute(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        return self.call(context["connection"], lambda: execute(sql, params, many, context))


# The guard of this process (None: not a web process), and the one of the request this thread serves.
_process_guard: DatabaseGuard | None = None
_serving = threading.local()


def enable(*, deadline: float, circuit_seconds: float) -> DatabaseGuard | None:
    """Guard every request of this process (wsgi.py); a deadline of 0 leaves the database unguarded."""
    global _process_guard
    _process_guard = (
        DatabaseGuard(deadline=deadline, circuit_seconds=circuit_seconds) if deadline > 0 else None
    )
    return _process_guard


def disable() -> None:
    global _process_guard
    _process_guard = None


def process_guard() -> DatabaseGuard | None:
    return _process_guard


def current() -> DatabaseGuard | None:
    """The guard of the request this thread is serving, or None outside a guarded request."""
    return getattr(_serving, "guard", None)


class DatabaseGuardMiddleware:
    """Guard the request's database calls (first in MIDDLEWARE after request ids, before sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        guard = _process_guard
        if guard is None:
            return self.get_response(request)
        with guard.serving():
            response = self.get_response(request)
        if response.streaming:
            # A streamed body (CSV export) reads the database after this method returns.
            response.streaming_content = each_chunk_within(guard.serving, response.streaming_content)  # type: ignore[attr-defined]
        return response
