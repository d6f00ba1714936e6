"""A circuit breaker: after a dependency fails, calls to it fail at once for a while instead of waiting.

Used for Redis (telnyx_admin.redis_circuit) and PostgreSQL (telnyx_admin.database_guard). The first
failure opens the breaker; for `seconds` every `before_call()` raises the caller's own "not tried"
error without touching the network. Then one caller is let through to try: an answer closes the
breaker, another failure opens it again.

(pybreaker holds a lock for the whole of each call, which would queue every call of the process
behind the one that is waiting out its timeout; here the state is two numbers.)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """One per dependency and process.

    `refusal` builds the exception a skipped call raises (it must mean "unreachable" to the callers'
    error handling). `log_field` names the field the open/closed log lines carry (`redis_circuit`:
    `open`), so a log search finds each outage once, not once per call.
    """

    def __init__(
        self, *, seconds: float, name: str, refusal: Callable[[str], Exception], log_field: str
    ) -> None:
        self.seconds = seconds
        self.name = name
        self.refusal = refusal
        self.log_field = log_field
        self._lock = threading.Lock()
        self._open = False
        self._open_until = 0.0

    @property
    def is_open(self) -> bool:
        return self._open

    def _closed_meanwhile(self) -> bool:
        # Read again under the lock: another thread may have closed the circuit since the check above.
        return not self._open

    def before_call(self) -> None:
        """Raise the refusal while the dependency is skipped; let one caller through once the time is up."""
        if not self._open:  # the common case needs no lock
            return
        with self._lock:
            if self._closed_meanwhile():
                return
            now = time.monotonic()
            if now < self._open_until:
                raise self.refusal(f"{self.name} is skipped after a failure; next try in a few seconds")
            # This caller tries; the others keep skipping until it has an answer (or its own timeout).
            self._open_until = now + self.seconds

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            opening = not self._open
            self._open = True
            self._open_until = time.monotonic() + self.seconds
        if opening:
            logger.warning(
                "%s unreachable (%s); skipping it for %g s",
                self.name,
                type(exc).__name__,
                self.seconds,
                extra={self.log_field: "open"},
            )

    def succeeded(self) -> None:
        if not self._open:
            return
        with self._lock:
            closing = self._open
            self._open = False
            self._open_until = 0.0
        if closing:
            logger.info("%s answers again", self.name, extra={self.log_field: "closed"})
