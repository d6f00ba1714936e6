"""A circuit breaker for Redis: a dead or hanging Redis costs one short timeout, then is skipped a while.

Redis is only a cache here, so its failures must cost little. django-redis (`IGNORE_EXCEPTIONS`)
already turns a failed cache call into a miss, and redis-py's socket timeouts keep each failure
short; what neither does is remember. With Redis hanging, every cache call of every request would
wait out its timeout again.

`CircuitBreakerConnectionPool` (django-redis's `CONNECTION_POOL_CLASS`) gives every connection it makes
one breaker per process: the first connection error or timeout opens it, and for `circuit_seconds`
every command fails at once, without touching the network, as a `ConnectionError` (a cache miss).
Then one command is let through to try; an answer closes the breaker, another failure opens it again.

(pybreaker holds a lock for the whole of each call, which would queue every Redis command of the
process behind the one that is waiting out its timeout; here the state is two numbers.)
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What says "Redis is not there" (as opposed to an error answer such as a wrong type).
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class CircuitOpen(RedisConnectionError):
    """Redis failed a moment ago; this command was not sent."""


class CircuitBreaker:
    def __init__(self, *, seconds: float, name: str) -> None:
        self.seconds = seconds
        self.name = name
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
        """Raise CircuitOpen while Redis is being skipped; let one caller through once the time is up."""
        if not self._open:  # the common case needs no lock
            return
        with self._lock:
            if self._closed_meanwhile():
                return
            now = time.monotonic()
            if now < self._open_until:
                raise CircuitOpen(f"{self.name} is skipped after a failure; next try in a few seconds")
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
                extra={"redis_circuit": "open"},
            )

    def succeeded(self) -> None:
        if not self._open:
            return
        with self._lock:
            closing = self._open
            self._open = False
            self._open_until = 0.0
        if closing:
            logger.info("%s answers again", self.name, extra={"redis_circuit": "closed"})


class _BreakerConnection:
    """Mixed in before a redis-py connection class; `breaker` is set by the pool."""

    breaker: CircuitBreaker

    def connect(self) -> None:
        # The pool calls connect() before handing out a connection for each command (it returns at
        # once when connected), so this is the one gate; the handshake's own commands pass freely.
        self.breaker.before_call()
        try:
            super().connect()  # type: ignore[misc]
        except _UNREACHABLE as exc:
            self.breaker.failed(exc)
            raise

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        try:
            super().send_packed_command(command, check_health)  # type: ignore[misc]
        except _UNREACHABLE as exc:
            self.breaker.failed(exc)
            raise

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            response = super().read_response(*args, **kwargs)  # type: ignore[misc]
        except _UNREACHABLE as exc:
            self.breaker.failed(exc)
            raise
        self.breaker.succeeded()
        return response


class CircuitBreakerConnectionPool(redis.ConnectionPool):
    """A connection pool whose connections (TCP, TLS or Unix socket alike) share one breaker."""

    def __init__(self, *args: Any, circuit_seconds: float = 10.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = CircuitBreaker(seconds=circuit_seconds, name="Redis")
        base = self.connection_class
        self.connection_class = type(
            f"CircuitBreaker{base.__name__}", (_BreakerConnection, base), {"breaker": self.breaker}
        )


def django_redis_options(
    *, connect_timeout: float, read_timeout: float, circuit_seconds: float
) -> dict[str, Any]:
    """OPTIONS for django-redis: failures are misses, each one short, and then Redis is skipped a while."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": connect_timeout,
        "SOCKET_TIMEOUT": read_timeout,
        "CONNECTION_POOL_CLASS": f"{__name__}.CircuitBreakerConnectionPool",
        # No retries: the breaker decides when Redis is tried again.
        "CONNECTION_POOL_KWARGS": {"circuit_seconds": circuit_seconds, "retry": Retry(NoBackoff(), 0)},
    }
