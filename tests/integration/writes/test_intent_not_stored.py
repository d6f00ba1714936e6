"""The audit intent cannot be stored: nothing goes to Telnyx, and the page says so.

Runs on both legs: the one function that stores the intent (audit.services.entry_open) fails as a
database that refuses the insert would, every time, so the write path's retry on a new connection
fails too. Telnyx (the sandbox) must see no write at all, and the person saving a clear message.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError

from audit import services as audit_services
from audit.models import AuditEntry
from tests.integration.writes.cases import WRITES

# Transactional: the write path closes the broken connection, which the test's wrapping transaction
# would not survive.
pytestmark = pytest.mark.django_db(transaction=True)

CASES = pytest.mark.parametrize("case", WRITES, ids=[case.name for case in WRITES])


def _writes_seen(sandbox: Any) -> int:
    """Requests that could change something at Telnyx (reads are allowed: the page loads the object)."""
    return sum(count for name, count in sandbox.stats()["requests"].items() if not name.startswith("GET "))


@pytest.fixture
def intent_insert_fails(monkeypatch: Any) -> None:
    def refuse(**_: Any) -> AuditEntry:
        raise OperationalError("could not write to the audit table")

    monkeypatch.setattr(audit_services, "entry_open", refuse)


@CASES
def test_an_intent_that_cannot_be_stored_sends_nothing(
    request: Any, fresh_sandbox: Any, telnyx_settings: Any, intent_insert_fails: None, case: Any
):
    client = request.getfixturevalue(case.client)
    state = case.prepare(fresh_sandbox)
    fresh_sandbox.clear_stats()

    response = case.post(client, state)

    assert response.status_code != 500
    assert _writes_seen(fresh_sandbox) == 0
    assert case.applied(fresh_sandbox, state) == 0
    assert "nothing was sent to Telnyx" in response.content.decode()
    assert not AuditEntry.objects.filter(action=case.action).exists()
