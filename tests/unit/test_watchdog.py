"""telnyx_admin.watchdog: one thread runs each armed deadline's action once it passes, none after
disarming, in deadline order whatever the order of arming."""

from __future__ import annotations

import threading
import time

from telnyx_admin.watchdog import Watchdog


def test_an_armed_deadline_fires_once_it_passes():
    watchdog = Watchdog(name="test-watchdog")
    fired = threading.Event()
    started = time.monotonic()

    deadline = watchdog.arm(0.1, fired.set)

    assert fired.wait(2)
    assert time.monotonic() - started >= 0.1
    assert watchdog.disarm(deadline) is True  # too late: it fired


def test_a_disarmed_deadline_never_fires():
    watchdog = Watchdog(name="test-watchdog")
    fired = threading.Event()

    deadline = watchdog.arm(0.05, fired.set)
    assert watchdog.disarm(deadline) is False

    assert not fired.wait(0.2)
    assert watchdog.pending() == 0


def test_an_earlier_deadline_armed_later_fires_first():
    watchdog = Watchdog(name="test-watchdog")
    order: list[str] = []
    last = threading.Event()

    watchdog.arm(0.3, lambda: (order.append("late"), last.set()))
    watchdog.arm(0.05, lambda: order.append("early"))
    watchdog.arm(0.2, lambda: order.append("middle"))

    assert last.wait(3)
    assert order == ["early", "middle", "late"]


def test_one_thread_keeps_every_deadline():
    watchdog = Watchdog(name="test-watchdog")
    threads_before = threading.active_count()

    deadlines = [watchdog.arm(30, lambda: None) for _ in range(1000)]
    assert threading.active_count() == threads_before + 1
    assert watchdog.pending() == 1000

    for deadline in deadlines:
        watchdog.disarm(deadline)
    assert watchdog.pending() == 0


def test_a_failing_action_does_not_stop_the_others(caplog):
    watchdog = Watchdog(name="test-watchdog")
    fired = threading.Event()

    watchdog.arm(0.01, lambda: 1 / 0)
    watchdog.arm(0.05, fired.set)

    assert fired.wait(2)
    assert "a deadline's action failed" in caplog.text
