"""A circuit breaker for Redis: a dead or hanging Redis costs one short timeout, then is skipped a while.

Redis is only a cache here, so its failures must cost little. django-redis (`IGNORE_EXCEPTIONS`)
already turns a failed cache call into a miss, and redis-py's socket timeouts keep each failure
short; what neither does is remember. With Redis hanging, every cache call of every request would
wait out its timeout again.

`CircuitBreakerConnectionPool` (django-redis's `CONNECTION_POOL_CLASS`) gives every connection it makes
one breaker per process: the first connection error or timeout opens it, and for `circuit_seconds`
every command fails at once, without touching the network, as a `ConnectionError` (a cache miss).
Then one command is let through to try; an answer closes the breaker, another failure opens it again
(telnyx_admin.circuit_breaker, shared with the database's).
"""

from __future__ import annotations

from typing import Any

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from telnyx_admin.circuit_breaker import CircuitBreaker

# What says "Redis is not there" (as opposed to an error answer such as a wrong type).
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class CircuitOpen(RedisConnectionError):
    """Redis failed a moment ago; this command was not sent."""


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
        self.breaker = CircuitBreaker(
            seconds=circuit_seconds, name="Redis", refusal=CircuitOpen, log_field="redis_circuit"
        )
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
