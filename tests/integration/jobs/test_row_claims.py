"""Two threads of one run claiming rows at the same moment: each row goes to exactly one of them.

On PostgreSQL a claim that waits for another transaction's claim of the same row must see that claim
once it is let through (SQLite serialises writers, so the race cannot happen there).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from jobs import runner
from jobs.kinds import PlannedRow
from jobs.models import JobRow
from jobs.services import job_create
from tests.fixtures.jobs import wait_for
from tests.job_kinds_app.job_kinds import KIND

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: row locks"),
]


def _someone_waits_for_us() -> bool:
    with connections["default"].cursor() as cursor:
        # Someone waits for a lock this connection holds (pg_locks is live; pg_stat_activity would be
        # a snapshot frozen for this transaction).
        cursor.execute(
            "SELECT count(*) FROM pg_locks"
            " WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        return cursor.fetchone()[0] > 0


def test_a_row_claimed_meanwhile_is_not_claimed_again(support_user):
    job = job_create(kind=KIND, actor=support_user, rows=[PlannedRow(object_id="a")], params={"tag": "x"})
    claims: list[JobRow | None] = []
    second = threading.Thread(target=lambda: claims.append(_claim_in_own_connection(job.pk, job.attempt)))
    with transaction.atomic():
        first = runner._claim_next_row(job.pk, job.attempt)  # holds the row's lock until commit
        assert first is not None
        second.start()
        wait_for(_someone_waits_for_us, timeout=20, what="the second claim to wait for the first")
    second.join(timeout=20)
    assert claims == [None]
    assert JobRow.objects.get(job=job).status == JobRow.Status.RUNNING


def _claim_in_own_connection(job_id: int, attempt: int) -> JobRow | None:
    try:
        return runner._claim_next_row(job_id, attempt)
    finally:
        connections.close_all()
