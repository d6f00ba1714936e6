"""Settings for the Telnyx API sandbox, never for the dashboard.

The sandbox is its own service: one app, no sessions, auth, admin or templates, and its own SQLite
file (`SANDBOX_DATABASE_PATH`, default `var/sandbox.sqlite3`) in WAL mode so that readers never wait
for a writer.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Nothing here is signed or kept secret between requests; Django only insists the value exists.
SECRET_KEY = "sandbox-has-no-signed-data"  # noqa: S105
DEBUG = False
# Bound to 127.0.0.1 only (see runsandbox); the Host header carries no meaning here.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["sandbox"]
MIDDLEWARE = ["sandbox.middleware.sandbox_middleware"]
ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"
APPEND_SLASH = False
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

SANDBOX_API_KEY = os.environ.get("SANDBOX_API_KEY", "sandbox-demo-key")
SANDBOX_DATABASE_PATH = Path(os.environ.get("SANDBOX_DATABASE_PATH", BASE_DIR / "var" / "sandbox.sqlite3"))

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SANDBOX_DATABASE_PATH,
        # One connection per gunicorn thread, kept open: reopening and re-running the PRAGMAs
        # on every request would cost more than serving a page.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Writers take the lock up front so concurrent writes queue instead of deadlocking.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Bodies are small JSON documents. Views answer bodies over MAX_BODY_BYTES with a JSON 413 after
# reading them, so the connection stays usable; Django's own, higher limit only guards memory.
MAX_BODY_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

# What a reset restores: "default" (57 profiles, sandbox/seed.py) or "large" (2,000 profiles,
# 200,000 numbers, 500 short codes: sandbox/seed_large.py; SANDBOX_SEED_PROFILES changes the count).
SANDBOX_SEED = os.environ.get("SANDBOX_SEED", "default")
SANDBOX_SEED_PROFILES = int(os.environ.get("SANDBOX_SEED_PROFILES") or 0)

# Set by whoever starts the sandbox (tests) and echoed in X-Sandbox-Instance, so a client can tell
# its own sandbox from another one that happens to listen on the same port.
SANDBOX_INSTANCE = os.environ.get("SANDBOX_INSTANCE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s sandbox %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SANDBOX_LOG_LEVEL", "WARNING").upper()},
    # 4xx answers are the sandbox doing its job, not something to log.
    "loggers": {"django.request": {"level": "ERROR"}},
}
