"""One worker thread kept out of slow database calls, so that /healthz always finds a thread.

gunicorn's gthread worker serves a fixed number of threads. When the database stops answering, every
request that reaches a database call waits there until its deadline; with more such requests than
threads, a probe waits behind them, and a load balancer pulls a process that is alive.

`ThreadReserve` hands out `threads - 1` places, one per thread inside a database call. When all are
taken, a caller waits for one to come free, but only while some holder is still younger than
`slow_after` seconds: once every holder has been in its call that long, the database is slow or gone,
and waiting would only give it the last thread, so the caller is refused at once. A healthy
database answers in milliseconds, so under heavy load a caller waits that long for a place and is
never refused.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class ThreadReserve:
    def __init__(self, *, threads: int, slow_after: float, refusal: Callable[[str], Exception]) -> None:
        if threads < 2:
            raise ValueError("a reserve needs two threads at least: one to keep, one to serve")
        self.places = threads - 1
        self.slow_after = slow_after
        self.refusal = refusal
        self._condition = threading.Condition(threading.Lock())
        self._started: dict[int, float] = {}  # thread id -> when its database call began
        self._waiting = 0  # callers waiting for a place: leave() wakes one only if there are any

    def enter(self) -> None:
        """Take a place for this thread's database call, or raise the refusal if the database is slow."""
        me = threading.get_ident()
        with self._condition:
            while len(self._started) >= self.places:
                youngest = max(self._started.values())
                wait = youngest + self.slow_after - time.monotonic()
                if wait <= 0:
                    raise self.refusal(
                        f"{self.places} threads have waited on the database for over {self.slow_after:g} s"
                    )
                self._waiting += 1
                try:
                    self._condition.wait(wait)
                finally:
                    self._waiting -= 1
            self._started[me] = time.monotonic()

    def leave(self) -> None:
        with self._condition:
            del self._started[threading.get_ident()]
            if self._waiting:
                self._condition.notify()

    def held(self) -> int:
        """Places taken now (for tests and diagnostics)."""
        with self._condition:
            return len(self._started)
