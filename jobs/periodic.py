"""Work every job worker does on a schedule, besides running jobs (reconciling writes, refreshing
indexes). Apps register theirs at start-up; each worker runs what is due from its sweeper thread.

Several workers may run the same task at about the same time: every registered task must be safe
to run concurrently (reconcile_writes is; a refresh that starts a job checks for a running one).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, close_old_connections

logger = logging.getLogger("jobs.periodic")


@dataclass(frozen=True)
class Periodic:
    name: str
    # Seconds between runs, read each time (settings may change in tests); 0 or less: never.
    interval: Callable[[], float]
    run: Callable[[], object]


_TASKS: dict[str, Periodic] = {}
_LAST_RUN: dict[str, float] = {}


def register(task: Periodic) -> None:
    _TASKS[task.name] = task


def run_due(*, now: float | None = None) -> list[str]:
    """Run every task whose interval has passed since it last ran in this process; their names."""
    now = time.monotonic() if now is None else now
    ran = []
    for task in list(_TASKS.values()):
        interval = task.interval()
        if interval <= 0 or now - _LAST_RUN.get(task.name, float("-inf")) < interval:
            continue
        _LAST_RUN[task.name] = now
        try:
            task.run()
        except DatabaseError:
            logger.warning("periodic task %s: the database failed; next time", task.name, exc_info=True)
            close_old_connections()
        except Exception:
            logger.exception("periodic task %s failed", task.name)
        ran.append(task.name)
    return ran
