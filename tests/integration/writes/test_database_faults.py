"""The dashboard's database fails while a write is under way (PostgreSQL: connections terminated).

The audit entry is committed before the write is sent, so a connection killed while the write is at
Telnyx cannot lose it: the outcome is stored on a new connection, or, when the database refuses new
connections for a while, the entry stays `unknown` and reconcile_writes resolves it to the truth.
If the database fails before the intent is stored, nothing is sent at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEntry
from tests.integration.writes.cases import WRITES

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="terminates PostgreSQL connections; the SQLite leg has no server to lose",
    ),
]

CASES = pytest.mark.parametrize("case", WRITES, ids=[case.name for case in WRITES])


def _admin() -> psycopg.Connection:
    """A connection of our own to the server's maintenance database (never the one being broken)."""
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=int(params["PORT"] or 5432),
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _dashboard_backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def _terminate(pid: int) -> None:
    with _admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def refuse_connections() -> Iterator[Callable[[bool], None]]:
    """Switch the test database's ALLOW_CONNECTIONS; always switched back on afterwards."""
    name = connection.settings_dict["NAME"]

    def switch(allowed: bool) -> None:
        with _admin() as admin:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}')

    yield lambda refused: switch(not refused)
    switch(True)


def _entries(case: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=case.action).order_by("id"))


@CASES
def test_a_connection_killed_while_the_write_is_at_telnyx_loses_no_entry(
    request: Any, lossy: Any, fresh_sandbox: Any, case: Any
):
    client = request.getfixturevalue(case.client)
    state = case.prepare(fresh_sandbox)
    pid = _dashboard_backend_pid()
    lossy.after_forwarding(lambda: _terminate(pid))

    response = case.post(client, state)

    assert response.status_code == 302  # saved, and said so: no 500 inviting a retry
    assert _dashboard_backend_pid() != pid  # the write path really had to open a new connection
    assert case.applied(fresh_sandbox, state) == 1
    (entry,) = _entries(case)
    assert (entry.outcome, entry.resolution) == ("success", "answered")


@CASES
def test_when_the_database_stays_away_the_entry_waits_unknown_for_reconcile(
    request: Any, lossy: Any, fresh_sandbox: Any, case: Any, refuse_connections: Any, settings: Any
):
    client = request.getfixturevalue(case.client)
    state = case.prepare(fresh_sandbox)
    pid = _dashboard_backend_pid()

    def database_goes_away() -> None:
        refuse_connections(True)
        _terminate(pid)

    lossy.after_forwarding(database_goes_away)
    response = case.post(client, state)
    refuse_connections(False)

    # Telnyx answered: the person is told it was saved, never shown a 500.
    assert response.status_code == 302
    assert case.applied(fresh_sandbox, state) == 1
    (entry,) = _entries(case)
    assert entry.outcome == "unknown" and entry.is_open

    settings.WRITE_SETTLE_SECONDS = 0
    call_command("reconcile_writes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    entry.refresh_from_db()
    assert (entry.outcome, entry.resolution) == ("success", "reconciled")


def test_a_database_lost_before_the_intent_is_stored_means_nothing_is_sent(
    lossy: Any, fresh_sandbox: Any, support_client: Any, refuse_connections: Any
):
    (case,) = [case for case in WRITES if case.name == "settings"]
    state = case.prepare(fresh_sandbox)
    pid = _dashboard_backend_pid()

    def database_goes_away() -> None:
        refuse_connections(True)
        _terminate(pid)

    # The page's own read of the profile passes; then the database goes before the write path starts.
    lossy.after_forwarding(database_goes_away, methods={"GET"})
    fresh_sandbox.clear_stats()
    response = case.post(support_client, state)
    refuse_connections(False)

    body = response.content.decode()
    assert response.status_code == 503
    assert "nothing was sent to Telnyx" in body
    assert 'value="AFTER"' in body  # the input is kept
    assert fresh_sandbox.stats()["requests"].get("PATCH /v2/messaging_profiles/{id}", 0) == 0
    assert case.applied(fresh_sandbox, state) == 0
