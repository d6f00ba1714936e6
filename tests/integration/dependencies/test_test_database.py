"""The test database is created and dropped outside the statement timeout meant for requests.

Under the timeout, a busy machine cancelled `DROP DATABASE` at the end of a run; the leftover then
broke the next run's creation (Django exits there, and every database test of that worker failed).
"""

import copy
import uuid

import psycopg
import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _wrapper_for(database_name: str, *, statement_timeout_ms: int):
    """A second connection handler for `database_name` as the test database, whose statements time out
    after `statement_timeout_ms` (1 ms: anything that is not exempt is cancelled)."""
    settings = copy.deepcopy(connection.settings_dict)
    settings["TEST"] = {**settings.get("TEST", {}), "NAME": database_name}
    settings["OPTIONS"] = {**settings["OPTIONS"], "options": f"-c statement_timeout={statement_timeout_ms}"}
    return type(connections["default"])(settings, alias=f"creation_{database_name}")


def _exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _admin_url(name: str = "postgres") -> str:
    settings = connection.settings_dict
    return f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"


@pytest.mark.django_db
def test_a_leftover_test_database_is_replaced_and_then_dropped_even_under_a_1_ms_timeout():
    name = f"test_leftover_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # what a cancelled drop leaves behind
    wrapper = _wrapper_for(name, statement_timeout_ms=1)
    try:
        created = wrapper.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        assert created == name and _exists(name)
        # A session still open on it (a server the tests started, not yet gone) does not stop the drop.
        with psycopg.connect(_admin_url(name), autocommit=True) as lingering:
            lingering.execute("SELECT 1")
            wrapper.creation._destroy_test_db(name, verbosity=0)
        assert not _exists(name)
    finally:
        wrapper.close()
        with psycopg.connect(_admin_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
