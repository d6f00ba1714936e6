"""The upkeep thread of a job worker: ticks on time, first at once if asked, and stops when told or
when its tick says so."""

from __future__ import annotations

import threading
import time

from jobs.ticking import Ticker


class Counting(Ticker):
    def __init__(self, *, at_start: bool, last: int = 0) -> None:
        super().__init__(name="test-ticker", interval=0.02, at_start=at_start)
        self.ticks = 0
        self.last = last
        self.done = threading.Event()

    def tick(self) -> bool:
        self.ticks += 1
        if self.ticks == self.last:
            self.done.set()
            return False
        return True


def test_it_ticks_until_stopped_and_then_no_more():
    ticker = Counting(at_start=False)
    ticker.start()
    time.sleep(0.15)
    ticker.stop()
    seen = ticker.ticks
    assert seen >= 2
    time.sleep(0.08)
    assert ticker.ticks == seen


def test_a_tick_that_says_false_ends_the_thread():
    ticker = Counting(at_start=True, last=3)
    ticker.start()
    assert ticker.done.wait(2)
    time.sleep(0.08)
    assert ticker.ticks == 3
    ticker.stop()


def test_at_start_ticks_before_the_first_interval():
    ticker = Counting(at_start=True)
    ticker.interval = 60
    ticker.start()
    time.sleep(0.1)
    ticker.stop()
    assert ticker.ticks == 1
