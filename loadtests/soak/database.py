"""Database terminations: the dashboard's PostgreSQL connections ended under it, as a failover, a
restart or an administrator's `pg_terminate_backend` would.

Each termination is one event, at least GAP_SECONDS after the previous one: the write path survives
a blip by retrying once on a new connection, and two blips a few milliseconds apart (one ending the
connection, the next the one opened to retry) are a longer outage, which leaves an entry `unknown`
for reconcile_writes by design rather than a blip.

The soak's own connection (application_name `telnyx-admin-soak`) is never among them. The dashboard
runs on a database of its own for the soak, so its connections are the others on that database.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

APPLICATION_NAME = "telnyx-admin-soak"
GAP_SECONDS = 1.0
_TERMINATE = """
    SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))
    FROM pg_stat_activity
    WHERE datname = %s AND pid <> pg_backend_pid() AND application_name <> %s
"""


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://"))


class Terminator:
    """Ends the dashboard's connections on demand (`terminate()`, safe from any thread) and, once
    started, every few seconds."""

    def __init__(self, database_url: str, *, every: tuple[float, float] = (2.0, 5.0), seed: int = 11) -> None:
        import psycopg

        self.database = urlsplit(database_url).path.lstrip("/")
        self.connection = psycopg.connect(database_url, autocommit=True, application_name=APPLICATION_NAME)
        self.every = every
        self.rng = random.Random(seed)
        self.rounds = 0  # terminations carried out
        self.terminated = 0  # backends ended
        self.mid_write = 0  # ... of the rounds, while a write was in flight
        self._last = float("-inf")
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def terminate(self, *, mid_write: bool = False) -> int:
        """End the dashboard's connections, unless the last termination was under GAP_SECONDS ago."""
        with self._lock:
            if time.monotonic() - self._last < GAP_SECONDS:
                return 0
            self._last = time.monotonic()
            try:
                row = self.connection.execute(_TERMINATE, (self.database, APPLICATION_NAME)).fetchone()
            except Exception as exc:  # the soak's own connection failing is reported, never raised
                self.errors.append(f"{type(exc).__name__}: {exc}")
                return 0
            ended = int(row[0]) if row else 0
            self.rounds += 1
            self.mid_write += int(mid_write)
            self.terminated += ended
            return ended

    def terminate_mid_write(self) -> None:
        """For the proxy's on_forwarded hook: Telnyx has applied a write, the dashboard waits for it."""
        self.terminate(mid_write=True)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="db-terminations", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self.rng.uniform(*self.every)):
            self.terminate()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def close(self) -> None:
        self.stop()
        self.connection.close()
