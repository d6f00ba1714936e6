"""The shared services a production-like dashboard uses: a throwaway PostgreSQL database and a Redis
key prefix of its own on the local servers. Either raises ServiceUnavailable when its server does not
answer (tests turn that into a skip, or a failure in CI: tests/fixtures/production.py)."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator

POSTGRES_ADMIN_URL = os.environ.get("POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("PRODUCTION_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


class ServiceUnavailable(Exception):
    """PostgreSQL or Redis did not answer."""


@contextlib.contextmanager
def throwaway_postgres_database() -> Iterator[str]:
    """Create an empty database on the local PostgreSQL server; yield its URL; drop it afterwards."""
    import psycopg

    name = f"telnyx_admin_prod_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        raise ServiceUnavailable(f"PostgreSQL is not reachable: {exc}") from exc
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
            yield f"{base}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_key_prefix() -> Iterator[str]:
    """A key prefix of our own on the local Redis; its keys are deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ServiceUnavailable(f"Redis is not reachable: {exc}") from exc
    prefix = f"telnyx-admin-test-{secrets.token_hex(4)}"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()
