"""telnyx_admin.thread_reserve: of a worker's threads, one never waits on a slow database, and
callers are refused only when the others have all waited longer than `slow_after`."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from telnyx_admin.thread_reserve import ThreadReserve


class Busy(Exception):
    pass


def reserve(threads: int, slow_after: float = 0.2) -> ThreadReserve:
    return ThreadReserve(threads=threads, slow_after=slow_after, refusal=Busy)


def _hold(places: ThreadReserve, release: threading.Event, entered: threading.Barrier) -> None:
    places.enter()
    entered.wait()
    release.wait()
    places.leave()


def test_all_but_one_thread_may_be_in_a_call():
    places = reserve(threads=4)
    release = threading.Event()
    entered = threading.Barrier(4)
    with ThreadPoolExecutor(3) as pool:
        holders = [pool.submit(_hold, places, release, entered) for _ in range(3)]
        entered.wait(timeout=2)
        assert places.held() == 3
        release.set()
        for holder in holders:
            holder.result()
    assert places.held() == 0


def test_a_caller_is_refused_at_once_when_the_others_are_slow():
    places = reserve(threads=3, slow_after=0.1)
    release = threading.Event()
    entered = threading.Barrier(3)
    with ThreadPoolExecutor(2) as pool:
        holders = [pool.submit(_hold, places, release, entered) for _ in range(2)]
        entered.wait(timeout=2)
        time.sleep(0.15)  # both holders are slow now

        started = time.monotonic()
        with pytest.raises(Busy):
            places.enter()
        assert time.monotonic() - started < 0.05

        release.set()
        for holder in holders:
            holder.result()


def test_a_caller_waits_for_a_place_while_the_holders_are_young_then_is_refused():
    places = reserve(threads=2, slow_after=0.2)
    release = threading.Event()
    entered = threading.Barrier(2)
    with ThreadPoolExecutor(1) as pool:
        holder = pool.submit(_hold, places, release, entered)
        entered.wait(timeout=2)

        started = time.monotonic()
        with pytest.raises(Busy):
            places.enter()
        waited = time.monotonic() - started
        release.set()
        holder.result()

    assert 0.15 < waited < 1.0


def test_heavy_healthy_load_is_never_refused():
    """Eight threads making short calls as fast as they can: each waits its turn, none is refused."""
    places = reserve(threads=8, slow_after=0.2)

    def calls() -> int:
        for _ in range(300):
            places.enter()
            time.sleep(0.001)  # a quick query
            places.leave()
        return 300

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(lambda _: calls(), range(8))) == 2400


def test_one_thread_cannot_keep_one():
    with pytest.raises(ValueError):
        reserve(threads=1)
