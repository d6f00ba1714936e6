"""Production settings come from the environment only, fail loudly, and pass `check --deploy`."""

from __future__ import annotations

import json
import secrets
import subprocess

from devservers.dashboard import PYTHON, REPO, production_env

# What an operator sets (README "Deploying"); HTTPS and secure cookies stay at their default (on).
DEPLOYED = {
    "ALLOWED_HOSTS": "admin.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://admin.example.com",
    "DATABASE_URL": "postgres://telnyx_admin:pw@db.internal:5432/telnyx_admin",
    "CACHE_URL": "redis://cache.internal:6379/0",
    "TELNYX_API_KEY": "KEY0123456789ABCDEF_not_a_real_key",
}


def _deployed_env(**overrides: str) -> dict[str, str]:
    env = production_env(**DEPLOYED)
    for variable in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES"):
        env.pop(variable)
    env.update(overrides)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _run(_deployed_env(), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_catches_a_weak_secret_key():
    result = _run(_deployed_env(SECRET_KEY="short"), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_check_deploy_catches_debug_left_on():
    result = _run(_deployed_env(DEBUG="1"), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _deployed_env()
    del env["SECRET_KEY"]

    result = _run(env, "check")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_settings_read_postgres_and_redis_from_the_environment():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'engine': s.DATABASES['default']['ENGINE'], 'host': s.DATABASES['default']['HOST'],"
        "'cache': s.CACHES['default']['BACKEND'], 'cache_at': s.CACHES['default']['LOCATION'],"
        "'prefix': s.CACHES['default']['KEY_PREFIX'], 'sessions': s.SESSION_ENGINE,"
        "'axes': s.AXES_HANDLER, 'debug': s.DEBUG, 'secure_cookie': s.SESSION_COOKIE_SECURE,"
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'hasher': s.PASSWORD_HASHERS[0]}))"
    )
    prefix = f"site-{secrets.token_hex(3)}"

    result = _run(_deployed_env(CACHE_KEY_PREFIX=prefix), "shell", "-c", code)

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        # Django's PostgreSQL backend, its own calls guarded in requests (telnyx_admin.database_guard).
        "engine": "telnyx_admin.guarded_postgresql",
        "host": "db.internal",
        # A Redis outage is a cache miss (IGNORE_EXCEPTIONS), never an error page.
        "cache": "django_redis.cache.RedisCache",
        "cache_at": "redis://cache.internal:6379/0",
        "prefix": prefix,
        # Sessions and login failures live in PostgreSQL, shared by every instance with or without Redis.
        "sessions": "django.contrib.sessions.backends.db",
        "axes": "telnyx_admin.throttling.AxesHandler",
        "debug": False,
        "secure_cookie": True,
        "ssl_redirect": True,
        "hsts": 31536000,
        # Django's own; only test runs (TESTING=1) hash with something quick.
        "hasher": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    }
