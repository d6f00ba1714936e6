"""Writes whose database connection is ended while Telnyx applies them (PostgreSQL only: SQLite has
no server connections to end).

For every kind of write, through its real page: the dashboard's connection is terminated
(`pg_terminate_backend`) at the moment the sandbox has applied the write and the dashboard waits for
the answer, which then arrives or is lost. The page must not be a 500, the audit entry must say
`success`, and Telnyx must hold exactly one copy.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import connection

from audit.models import AuditEntry
from tests.integration.writes.cases import WRITES, WriteCase

pytestmark = [
    # Ending the connection ends the test's transaction too: these tests commit and flush instead.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: terminates backends"),
]

CASES = pytest.mark.parametrize("case", WRITES, ids=[case.name for case in WRITES])


def _terminate_dashboard_connections() -> None:
    """End every other connection to the test database: the dashboard's, in this process."""
    settings = connection.settings_dict
    url = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (settings["NAME"],),
        ).fetchone()
    assert ended is not None and ended[0] >= 1, "the dashboard had no connection to end"


@CASES
@pytest.mark.parametrize("answer", ["lost", "delivered"])
def test_a_write_whose_connection_is_ended_mid_write_is_audited_as_applied(
    request: Any, lossy: Any, fresh_sandbox: Any, case: WriteCase, answer: str
):
    client = request.getfixturevalue(case.client)
    client.raise_request_exception = False
    state = case.prepare(fresh_sandbox)
    if answer == "lost":
        lossy.lose_answers(count=1, on_forwarded=_terminate_dashboard_connections)
    else:
        lossy.after_forwarding(_terminate_dashboard_connections, count=1)

    response = case.post(client, state)

    assert response.status_code == 302, response.content.decode()[:2000]  # saved, never a 500
    assert case.applied(fresh_sandbox, state) == 1
    (entry,) = AuditEntry.objects.filter(action=case.action)
    resolution = "read_back" if answer == "lost" else "answered"
    assert (entry.outcome, entry.resolution) == ("success", resolution)
