"""jobs.periodic: what a job worker runs on a schedule."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from jobs import periodic


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(periodic, "_TASKS", {})
    monkeypatch.setattr(periodic, "_LAST_RUN", {})


def test_a_task_runs_when_due_and_not_before(registry):
    calls = []
    periodic.register(periodic.Periodic("tick", lambda: 60.0, lambda: calls.append(1)))
    assert periodic.run_due(now=1000.0) == ["tick"]
    assert periodic.run_due(now=1030.0) == []
    assert periodic.run_due(now=1061.0) == ["tick"]
    assert len(calls) == 2


def test_an_interval_of_zero_switches_a_task_off(registry):
    periodic.register(periodic.Periodic("off", lambda: 0.0, lambda: pytest.fail("must not run")))
    assert periodic.run_due(now=10.0) == []


def test_a_failing_task_does_not_stop_the_others(registry, db):
    def broken():
        raise OperationalError("the database went away")

    ran = []
    periodic.register(periodic.Periodic("broken", lambda: 1.0, broken))
    periodic.register(periodic.Periodic("fine", lambda: 1.0, lambda: ran.append(1)))
    assert periodic.run_due(now=5.0) == ["broken", "fine"]
    assert ran == [1]


def test_reconcile_writes_is_registered_for_every_worker():
    assert "reconcile_writes" in periodic._TASKS
