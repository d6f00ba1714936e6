"""Creating and dropping the test database, without the statement timeout meant for requests.

`DROP DATABASE` waits (up to five seconds) for the other sessions on that database to end, and
`CREATE DATABASE` copies the template: neither is a request's query, and under the 3 s statement
timeout (settings.DATABASE_STATEMENT_TIMEOUT) a busy machine cancelled them. A cancelled drop at the
end of a run left the test database behind; the next run then found it, tried to drop it before
creating it again, was cancelled once more, and Django's `sys.exit(2)` for that case broke every
database test of that worker.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import creation


class DatabaseCreation(creation.DatabaseCreation):
    # django-stubs leave out the private `_execute_create_test_db`: hence the type: ignore below.

    def _execute_create_test_db(self, cursor: Any, parameters: dict[str, Any], keepdb: bool = False) -> None:
        # Django drops a leftover test database on this same cursor before creating it again.
        cursor.execute("SET statement_timeout = 0")
        super()._execute_create_test_db(cursor, parameters, keepdb)  # type: ignore[misc]

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        # FORCE: a server the tests started may still hold a connection to it for a moment.
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            cursor.execute(f"DROP DATABASE {self.connection.ops.quote_name(test_database_name)} WITH (FORCE)")
