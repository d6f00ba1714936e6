"""A statement that runs past DATABASE_STATEMENT_TIMEOUT: the server cancels it and the page is the
503, in time and before the client's own deadline (which is for a server that does not answer)."""

import time

import pytest
from django.db import connection
from django.test import Client

pytestmark = [
    pytest.mark.urls("tests.integration.dependencies.urls_database_failures"),
    pytest.mark.django_db,
]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: a server-side timeout"
)

# A database that hangs gives the 503 page within this many seconds.
DATABASE_DOWN_BOUND = 5.0


def test_the_timeouts_leave_the_server_time_to_cancel_and_answer_within_5_s(settings):
    assert 0 < settings.DATABASE_STATEMENT_TIMEOUT < settings.DATABASE_QUERY_DEADLINE < DATABASE_DOWN_BOUND
    assert settings.DATABASE_CONNECT_TIMEOUT < DATABASE_DOWN_BOUND


@postgresql_only
def test_a_statement_past_the_timeout_is_the_503_page_in_time(settings, database_guard):
    timeout = settings.DATABASE_STATEMENT_TIMEOUT
    browser = Client(raise_request_exception=False)

    started = time.monotonic()
    response = browser.get("/_test/db/sleep/", {"seconds": timeout + 5})
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert 'data-testid="database-unavailable"' in response.content.decode()
    assert timeout * 0.9 <= elapsed < DATABASE_DOWN_BOUND
    # Cancelled by the server, not cut by the client's deadline (which would have opened the breaker):
    # the database still counts as answering, and nothing else is refused.
    assert not database_guard.breaker.is_open


@postgresql_only
def test_a_statement_within_the_timeout_runs_to_its_end(settings, database_guard):
    response = Client().get("/_test/db/sleep/", {"seconds": 0.2})

    assert response.status_code == 200
    assert response.content == b"slept"
