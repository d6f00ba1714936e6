"""Django's PostgreSQL backend, with the calls execute wrappers never see put under the request's guard.

A request's queries reach telnyx_admin.database_guard through the execute wrapper its middleware
installs. Django also talks to the driver's connection directly: the health check of a reused
connection (CONN_HEALTH_CHECKS runs `SELECT 1` on it before the request's first query), connecting,
commit and rollback. Each of these can wait on a frozen link as long as a query, so inside a guarded
request they go through the same guard; everywhere else (migrations, commands, the job worker, or
the clean-up after a response, which only probes a connection whose call failed) this is Django's
backend unchanged.
"""

from __future__ import annotations

from django.db.backends.postgresql import base

from telnyx_admin import database_guard
from telnyx_admin.guarded_postgresql.creation import DatabaseCreation


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation

    # django-stubs leave out the private `_commit`/`_rollback` that Django's commit() and rollback()
    # (and so every atomic block) call: hence the type: ignore[misc] on them below.

    def is_usable(self) -> bool:
        guard = database_guard.current()
        if guard is None:
            return super().is_usable()
        return guard.health_check(self, super().is_usable)

    def connect(self) -> None:
        guard = database_guard.current()
        if guard is None:
            return super().connect()
        return guard.connect(self, super().connect)

    def _commit(self) -> None:
        guard = database_guard.current()
        if guard is None:
            return super()._commit()  # type: ignore[misc]
        return guard.call(self, super()._commit, starts_work=False)  # type: ignore[misc]

    def _rollback(self) -> None:
        guard = database_guard.current()
        if guard is None:
            return super()._rollback()  # type: ignore[misc]
        return guard.call(self, super()._rollback, starts_work=False)  # type: ignore[misc]
