"""The Redis cache when Redis is down, hangs, or comes back: misses, never errors, and short waits.

Real sockets throughout: a port where nothing listens, a server that accepts and never answers, and
a proxy in front of the real Redis that can stop moving bytes (tests/fixtures/tcp_faults.py).
"""

from __future__ import annotations

import logging
import time

import pytest
from django.conf import settings

from devservers.services import REDIS_URL
from tests.fixtures.dependencies import redis_cache
from tests.fixtures.production import services_required
from tests.fixtures.tcp_faults import FreezingProxy, SilentServer, dead_port

# Generous upper bounds for a loaded 2-core machine; the timeouts themselves are well under them.
ONE_TIMEOUT_AT_MOST = 2.0
SKIPPED_CALLS_AT_MOST = 0.5


def test_each_redis_call_gives_up_within_a_second():
    """Redis is a cache: connecting and reading both give up well under a second."""
    assert 0 < settings.REDIS_CONNECT_TIMEOUT < 1
    assert 0 < settings.REDIS_READ_TIMEOUT < 1


def _timed(call) -> tuple[object, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_a_dead_redis_is_a_miss_and_then_is_not_tried_again(caplog):
    caplog.set_level(logging.WARNING, logger="telnyx_admin.circuit_breaker")
    with redis_cache(f"redis://127.0.0.1:{dead_port()}/0") as cache:
        value, first = _timed(lambda: cache.get("profile-directory", "fallback"))
        _, rest = _timed(lambda: [cache.set(f"k{n}", n) or cache.get(f"k{n}") for n in range(50)])

    assert value == "fallback"
    assert first < ONE_TIMEOUT_AT_MOST
    assert rest < SKIPPED_CALLS_AT_MOST
    (warning,) = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert f"skipping it for {settings.REDIS_CIRCUIT_SECONDS:g} s" in warning.getMessage()


def test_a_hanging_redis_costs_one_short_timeout_then_is_skipped():
    with SilentServer() as silent, redis_cache(f"redis://127.0.0.1:{silent.port}/0") as cache:
        value, first = _timed(lambda: cache.get("k", "fallback"))
        results, rest = _timed(lambda: [cache.get("k", "fallback") for _ in range(50)])
        connections = silent.connection_count

    assert value == "fallback" and set(results) == {"fallback"}
    # It did wait for the answer, briefly.
    assert settings.REDIS_READ_TIMEOUT * 0.8 < first < ONE_TIMEOUT_AT_MOST
    assert rest < SKIPPED_CALLS_AT_MOST
    assert connections == 1  # skipped calls never reached the network


def test_writes_and_deletes_are_misses_too():
    with redis_cache(f"redis://127.0.0.1:{dead_port()}/0") as cache:
        assert cache.set("k", 1) is None
        assert cache.add("k", 1) is None
        assert not cache.delete("k")
        assert cache.get_many(["a", "b"]) == {}
        assert cache.get_or_set("k", "computed") == "computed"


@pytest.fixture
def redis_address() -> tuple[str, int]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        if services_required():
            pytest.fail(f"Redis is not reachable: {exc}")
        pytest.skip(f"Redis is not reachable: {exc}")
    finally:
        client.close()
    kwargs = client.connection_pool.connection_kwargs
    return kwargs["host"], kwargs["port"]


def test_redis_is_used_again_once_it_answers(redis_address):
    database = REDIS_URL.rsplit("/", 1)[1]
    with (
        FreezingProxy(*redis_address) as proxy,
        redis_cache(f"redis://127.0.0.1:{proxy.port}/{database}", circuit_seconds=1.0) as cache,
    ):
        cache.set("kept", "in redis", timeout=60)
        assert cache.get("kept") == "in redis"

        proxy.freeze()
        value, waited = _timed(lambda: cache.get("kept", "miss"))
        assert value == "miss"
        assert waited < ONE_TIMEOUT_AT_MOST
        assert [cache.get("kept", "miss") for _ in range(10)] == ["miss"] * 10

        proxy.thaw()
        time.sleep(1.2)  # the breaker's time is up: the next call tries Redis again
        assert cache.get("kept") == "in redis"
        cache.delete("kept")
