"""Deadlines kept by one thread: `arm()` one per call, `disarm()` it when the call returns.

A web process may have a deadline for every database call of every request thread, thousands a
second when healthy, so a timer thread per call is out. One thread sleeps until the earliest deadline
in a heap and runs the action of each one that passes while still armed. Disarming only marks the
entry; the thread drops marked entries when they reach the top, so a healthy process costs a heap
push per call and about one wake-up per deadline length, not one per call.

An action runs in the watchdog's thread, under its lock, so it must be short (a `shutdown()` call):
while it runs, `disarm()` of that deadline waits, and afterwards reports that it fired.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class Deadline:
    __slots__ = ("action", "armed", "fired", "when")

    def __init__(self, when: float, action: Callable[[], None]) -> None:
        self.when = when
        self.action = action
        self.armed = True
        self.fired = False


class Watchdog:
    def __init__(self, *, name: str = "watchdog") -> None:
        self.name = name
        self._condition = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()  # ties in `when` never compare two Deadlines
        self._thread: threading.Thread | None = None
        # A forked child inherits the heap but not the thread; it starts its own on first use.
        os.register_at_fork(after_in_child=self._forget_thread)

    def arm(self, seconds: float, action: Callable[[], None]) -> Deadline:
        """Run `action` in `seconds` unless the returned deadline is disarmed first."""
        deadline = Deadline(time.monotonic() + seconds, action)
        with self._condition:
            self._ensure_thread()
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (deadline.when, next(self._order), deadline))
            # Every call arms the same length, so a new deadline is almost never the earliest: the
            # sleeping thread is only woken when it is.
            if earliest is None or deadline.when < earliest:
                self._condition.notify()
        return deadline

    def disarm(self, deadline: Deadline) -> bool:
        """Stop the deadline; True if its action ran (it is then too late to stop it)."""
        with self._condition:
            deadline.armed = False
            return deadline.fired

    def pending(self) -> int:
        """Deadlines still armed (for tests and diagnostics)."""
        with self._condition:
            return sum(1 for _, _, deadline in self._heap if deadline.armed)

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def _forget_thread(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._heap = []  # the parent's calls, not the child's
        self._thread = None

    def _run(self) -> None:
        with self._condition:
            while True:
                self._fire_due(time.monotonic())
                if self._heap:
                    self._condition.wait(self._heap[0][0] - time.monotonic())
                else:
                    self._condition.wait()

    def _fire_due(self, now: float) -> None:
        """Pop every passed deadline (running the armed ones) and every disarmed one on top."""
        while self._heap:
            when, _, deadline = self._heap[0]
            if deadline.armed and when > now:
                return
            heapq.heappop(self._heap)
            if not deadline.armed:
                continue
            deadline.armed = False
            deadline.fired = True
            try:
                deadline.action()
            except Exception:  # one bad action must not stop the deadlines of every other call
                logger.exception("%s: a deadline's action failed", self.name)
