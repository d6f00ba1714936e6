"""A daemon thread that does one small piece of upkeep every few seconds, beside the work it serves.

A job worker has two: the sweeper (abandoned jobs, scheduled upkeep) and, while a job runs, the
renewal of that job's lease. Both must stop promptly when told and must not leave a database
connection of their own open behind them.
"""

from __future__ import annotations

import threading

from django.db import connections


class Ticker:
    """Calls `tick()` every `interval` seconds (first at once when `at_start`), on its own daemon
    thread, until `stop()` or until `tick()` returns False."""

    def __init__(self, *, name: str, interval: float, at_start: bool = False) -> None:
        self.interval = interval
        self.at_start = at_start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def tick(self) -> bool:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            if self.at_start and not self.tick():
                return
            while not self._stop.wait(self.interval):
                if not self.tick():
                    return
        finally:
            connections.close_all()  # this thread's own connections
