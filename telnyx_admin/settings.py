"""Settings for the Telnyx Admin dashboard: one module, the environment decides.

Every value that differs between a laptop, CI and production comes from an environment variable
(django-environ). With no `TELNYX_API_KEY` the dashboard talks to the embedded sandbox with the
sandbox's documented demo key; with one it talks to api.telnyx.com.
"""

import os
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The demo (`make demo`): demo users with printed passwords, a local SECRET_KEY, plain HTTP on loopback.
# Independent of DEBUG: the demo runs with DEBUG off so that it looks and fails like the product.
DEMO_MODE = env.bool("DEMO_MODE", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not DEMO_MODE and not env.bool("TESTING", default=False):
        raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 / DEMO_MODE=1 for local use).")
    # Local-only key: DEBUG, demo and test runs never serve real users.
    SECRET_KEY = "insecure-local-only-" + "x" * 40

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # intcomma for counts; money and times are in telnyx_admin.formatting.
    "django.contrib.humanize",
    # Django's own widget templates, found by FORM_RENDERER through TEMPLATES.
    "django.forms",
    "django_htmx",
    "axes",
    "telnyx_admin",
    "audit",
    "writes",
    "profiles",
    "shortcodes",
    # Background jobs (issue 13): the job model and its pages, on django-tasks-db's queue.
    "django_tasks_db",
    "jobs",
    # The number index: every phone number of every profile, searchable (/numbers/).
    "phone_numbers",
]

MIDDLEWARE = [
    # First, so that every log line written while serving a request carries the request id: sets
    # request.id (a trusted proxy's X-Request-ID, or a fresh uuid4) and echoes it on the response.
    "telnyx_admin.request_context.RequestIdMiddleware",
    # Before anything that reads the database (sessions): in web processes, a database call gets a
    # deadline, a failing database is skipped for a while, and one thread is kept for /healthz.
    "telnyx_admin.database_guard.DatabaseGuardMiddleware",
    # Tallies Telnyx calls per request into `Server-Timing` (telnyx;dur=…;desc="N calls", app;dur=…).
    "telnyx_admin.server_timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it reads the language set_language stored) and before CommonMiddleware; picks
    # the language from the session cookie, then the browser's Accept-Language (zh-CN maps to zh-hans).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed in but in no group: a polite 403 everywhere but sign-out.
    "telnyx_admin.middleware.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Uncaught Telnyx failures become the error banner (503/429 or an htmx retarget), never a 500.
    "telnyx_admin.middleware.TelnyxErrorMiddleware",
]

ROOT_URLCONF = "telnyx_admin.urls"
WSGI_APPLICATION = "telnyx_admin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Every form field is drawn by one project template (telnyx_admin/form_rendering.py).
FORM_RENDERER = "telnyx_admin.form_rendering.FormRenderer"

# An empty variable (`DATABASE_URL= make test`) means "the default", as an unset one does.
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'dashboard.sqlite3'}"
DATABASES = {"default": env.db_url_config(env.str("DATABASE_URL", default="") or _SQLITE_DEFAULT)}
# A database that is down or hangs must answer fast with the 503 page, not hold a worker thread:
# connecting gives up after DATABASE_CONNECT_TIMEOUT seconds (libpq counts whole seconds, 2 at least),
# the server cancels a statement after DATABASE_STATEMENT_TIMEOUT seconds (0: never; set it to 0 for
# `migrate` on a large database), and a connection whose packets go unanswered is dropped after a
# few seconds (TCP keepalives and TCP_USER_TIMEOUT), so a vanished host does not leave a query waiting.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=3.0)
# None of those ends a wait on a server or link that froze with the connection open (the kernel at
# the other end still acknowledges packets). So in web processes a request's database call also has
# a deadline of our own (telnyx_admin.database_guard): past it, its connection is cut and the page is
# the 503. It is the statement timeout plus a second, so it fires only when the server failed to
# cancel the statement itself, i.e. did not answer at all, never on a slow query the server is still
# able to cancel; and below 5 s, as connecting (3 s) is, so a frozen database is a 503 within 5 s.
DATABASE_QUERY_DEADLINE = env.float(
    "DATABASE_QUERY_DEADLINE", default=(DATABASE_STATEMENT_TIMEOUT or DATABASE_CONNECT_TIMEOUT) + 1.0
)
# After a deadline passes or a connect fails, new database work in that process fails at once (the
# 503 page) for this long, instead of each request waiting out its own deadline.
DATABASE_CIRCUIT_SECONDS = env.float("DATABASE_CIRCUIT_SECONDS", default=5.0)
# A gthread worker keeps one thread out of database calls once the others have waited this long in
# theirs, so /healthz (which never touches the database) answers within a second whatever that does.
DATABASE_SLOW_CALL_SECONDS = env.float("DATABASE_SLOW_CALL_SECONDS", default=0.5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the calls it makes on the driver's connection (health check, connect,
    # commit, rollback) guarded as queries are, inside web requests only.
    DATABASES["default"]["ENGINE"] = "telnyx_admin.guarded_postgresql"
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if DATABASE_STATEMENT_TIMEOUT > 0:
        _server_options = f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}"
        _pg_options["options"] = f"{_pg_options.get('options', '')} {_server_options}".strip()
    _pg_options.setdefault("keepalives", 1)
    _pg_options.setdefault("keepalives_idle", 5)
    _pg_options.setdefault("keepalives_interval", 2)
    _pg_options.setdefault("keepalives_count", 2)
    _pg_options.setdefault("tcp_user_timeout", round(max(DATABASE_STATEMENT_TIMEOUT, 5) * 1000))
    if env.bool("TESTING", default=False):
        # Test runs only: a commit returns without waiting for its WAL to reach the disk. What a
        # transaction sees and when locks are released are unchanged; only a crash of the server
        # could lose the last commits, of a database the run throws away. Every transactional test
        # ends with a flush and Django recreating content types and permissions (93 statements, most
        # of them committed on their own).
        _pg_options["options"] = f"{_pg_options.get('options', '')} -c synchronous_commit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url_config(env.str("CACHE_URL", default="") or "locmemcache://telnyx-admin")}
# Several deployments (or test runs) may share one Redis: their keys are kept apart by this prefix.
# (django-environ drops a key_prefix given in CACHE_URL's query for Django's Redis backend.)
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="telnyx-admin")
# Redis is a cache and nothing more: when it is down or hangs, cache calls are misses, never errors.
# Each failure is short (timeouts well under a second, no retries), and after one the process skips
# Redis for REDIS_CIRCUIT_SECONDS (telnyx_admin.redis_circuit) instead of waiting again on every call.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.25)
REDIS_READ_TIMEOUT = env.float("REDIS_READ_TIMEOUT", default=0.5)
REDIS_CIRCUIT_SECONDS = env.float("REDIS_CIRCUIT_SECONDS", default=10.0)
_REDIS_BACKENDS = {"django_redis.cache.RedisCache", "django.core.cache.backends.redis.RedisCache"}
if CACHES["default"]["BACKEND"] in _REDIS_BACKENDS:
    from telnyx_admin.redis_circuit import django_redis_options

    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    CACHES["default"]["OPTIONS"] = {
        **{key.upper(): value for key, value in CACHES["default"].get("OPTIONS", {}).items()},
        **django_redis_options(
            connect_timeout=REDIS_CONNECT_TIMEOUT,
            read_timeout=REDIS_READ_TIMEOUT,
            circuit_seconds=REDIS_CIRCUIT_SECONDS,
        ),
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with group permissions read in the query that also reads the group names.
    "telnyx_admin.roles.MembershipBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env.bool("TESTING", default=False):
    # Test runs only: a password costs microseconds instead of 0.35 s of CPU (PBKDF2), for every
    # fixture user signed in through the real form and every failed sign-in of the lockout tests;
    # every process a test starts (TESTING=1) can still check the other's hashes. Everything else
    # keeps Django's defaults.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in PostgreSQL (the database) only. Read through a cache they would be cheaper, but a
# cache that may be skipped (Redis down) can miss the delete of a sign-out and later hand the old
# session back.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

# Login throttling (django-axes). Failures are counted in the database, where every instance behind
# a load balancer sees them whether or not Redis answers, and where every axes_reset* command works.
# telnyx_admin.throttling adds a limit per address across usernames (password spraying).
AXES_HANDLER = "telnyx_admin.throttling.AxesHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "telnyx_admin.client_ip.client_ip"
# The admin manages users and groups only; lockouts are cleared with the axes_reset* commands.
AXES_ENABLE_ADMIN = False
# Reverse proxies in front of the dashboard whose X-Forwarded-For entries are trusted (0: none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Their addresses, as gunicorn reads them for X-Forwarded-* (gunicorn.conf.py): a header only the
# proxy sets (X-Request-ID) is taken from these peers only (telnyx_admin.trusted_proxies).
TRUSTED_PROXY_ADDRESSES = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# Failed sign-ins from one address across all usernames before that address is locked out (0: off).
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en-us"
# The languages the UI ships in; dates and numbers follow the one in use (Django's localisation).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One format per kind of value, per language (telnyx_admin/formats/<language>/formats.py): times as
# `2024-08-26 04:50 UTC`. Grouping of thousands is asked for where numbers are shown to people
# (telnyx_admin.formatting, intcomma), not site-wide: USE_THOUSAND_SEPARATOR would put commas into
# form inputs and ids as well.
FORMAT_MODULE_PATH = ["telnyx_admin.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# DEBUG, demo and test runs serve static files straight from the source folders (no collectstatic
# step); WhiteNoise serves them either way, so a demo with DEBUG off still has its styles.
_STATIC_FROM_SOURCE = DEBUG or DEMO_MODE or env.bool("TESTING", default=False)
WHITENOISE_AUTOREFRESH = _STATIC_FROM_SOURCE
WHITENOISE_USE_FINDERS = _STATIC_FROM_SOURCE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if _STATIC_FROM_SOURCE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content-Security-Policy: no inline script anywhere; htmx is served from our own origin with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# htmx takes the CSRF token from `hx-headers` on <body>, so no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
# Test runs (test client, live server for the browser) and the demo (loopback) serve plain HTTP: no
# redirect, no Secure cookies.
_HTTPS_ONLY = not env.bool("TESTING", default=False) and not DEMO_MODE
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS_ONLY)
    # Load-balancer probes speak plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=_HTTPS_ONLY)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=_HTTPS_ONLY)

# --- Telnyx -------------------------------------------------------------------------------------
# The sandbox's documented demo key; only ever used when no real key is configured.
SANDBOX_API_KEY = env.str("SANDBOX_API_KEY", default="sandbox-demo-key")
SANDBOX_URL = env.str("SANDBOX_URL", default="http://127.0.0.1:8100")
TELNYX_API_KEY = env.str("TELNYX_API_KEY", default="")
TELNYX_USES_SANDBOX = not TELNYX_API_KEY
TELNYX_API_BASE_URL = env.str(
    "TELNYX_API_BASE_URL",
    default=f"{SANDBOX_URL}/v2" if TELNYX_USES_SANDBOX else "https://api.telnyx.com/v2",
)
if TELNYX_USES_SANDBOX:
    TELNYX_API_KEY = SANDBOX_API_KEY
TELNYX_CONNECT_TIMEOUT = env.float("TELNYX_CONNECT_TIMEOUT", default=3.05)
TELNYX_READ_TIMEOUT = env.float("TELNYX_READ_TIMEOUT", default=10.0)
TELNYX_MAX_RETRIES = env.int("TELNYX_MAX_RETRIES", default=2)
# A read never waits longer than this in total (attempts plus back-off) before the page gives up.
TELNYX_RETRY_BUDGET = env.float("TELNYX_RETRY_BUDGET", default=8.0)
# Retry-After longer than this surfaces as a rate-limit banner instead of a sleeping request.
TELNYX_MAX_RETRY_AFTER = env.float("TELNYX_MAX_RETRY_AFTER", default=3.0)
TELNYX_EXPORT_CONCURRENCY = env.int("TELNYX_EXPORT_CONCURRENCY", default=8)
# /readyz reports Telnyx from a background check made at most this often per instance, never from a
# call of its own (telnyx_admin.telnyx.health). The processes of an instance share the result through
# a small file in this directory (default: the system's temporary directory).
TELNYX_HEALTH_INTERVAL = env.float("TELNYX_HEALTH_INTERVAL", default=10.0)
TELNYX_HEALTH_STATE_DIR = env.str("TELNYX_HEALTH_STATE_DIR", default="")

# A name for the Telnyx account the key belongs to, stored with audit entries and lock keys so that
# data of several accounts never mixes once more than one is configured.
TELNYX_ACCOUNT = env.str("TELNYX_ACCOUNT", default="sandbox" if TELNYX_USES_SANDBOX else "default")

# --- The write path (writes/) ------------------------------------------------------------------------
# How long a save waits for another save of the same object to finish before saying "busy".
WRITE_LOCK_WAIT = env.float("WRITE_LOCK_WAIT", default=15.0)
# Without PostgreSQL's advisory locks (SQLite), a write lock is a lease row: a holder that died is
# overtaken once it expires. Longer than any holder keeps it: a write's read, write and read-back,
# or a job batch's rows paced by the request budget (~25 s at the defaults).
WRITE_LEASE_SECONDS = env.float("WRITE_LEASE_SECONDS", default=120.0)
# A write whose answer was lost is judged by reading Telnyx back; a "not applied" reading is trusted
# only once the write can no longer be in flight (its retry budget plus a margin).
WRITE_SETTLE_SECONDS = env.float("WRITE_SETTLE_SECONDS", default=TELNYX_RETRY_BUDGET + 12.0)
# A second create with the same name by the same user within this window is shown the first one.
WRITE_DUPLICATE_WINDOW = env.float("WRITE_DUPLICATE_WINDOW", default=600.0)
# Every job worker runs reconcile_writes this often (seconds; 0: never, e.g. when cron does it).
WRITES_RECONCILE_INTERVAL = env.float("WRITES_RECONCILE_INTERVAL", default=60.0)

# --- Background jobs, the Telnyx request budget, the profile catalog (issue 13) ------------------
# Django's Tasks framework with django-tasks-db: tasks are rows in this database, run by
# `manage.py jobs_worker` processes (as many as you like, on any host that reaches the database).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running job renews its lease this often (a third of it); a job whose lease ran out has lost its
# worker (killed, host gone) and is resumed by the next worker that looks.
JOBS_LEASE_SECONDS = env.float("JOBS_LEASE_SECONDS", default=30.0)
# A job whose worker died this many times is given up: what is left is marked "not done".
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=5)
# TELNYX_ACCOUNT (above, with the Telnyx settings) is part of every cache key, job and budget bucket
# too, so a second account later is a setting, not a migration.
# One request budget for every instance and worker: requests per second to Telnyx (0: no budget),
# how many may go at once after a quiet spell, the most of it background jobs may use, and how long
# a page waits for a token before sending anyway.
TELNYX_RATE_LIMIT = env.float("TELNYX_RATE_LIMIT", default=50.0)
TELNYX_RATE_BURST = env.int("TELNYX_RATE_BURST", default=0) or max(1, int(TELNYX_RATE_LIMIT))
TELNYX_JOB_SHARE = env.float("TELNYX_JOB_SHARE", default=0.5)
TELNYX_BUDGET_MAX_WAIT = env.float("TELNYX_BUDGET_MAX_WAIT", default=2.0)
# The bucket lives in Redis (CACHE_URL's by default); without Redis each process keeps its own.
TELNYX_BUDGET_REDIS_URL = env.str(
    "TELNYX_BUDGET_REDIS_URL",
    default=env.str("CACHE_URL", default="") if env.str("CACHE_URL", default="").startswith("redis") else "",
)
# Every profile of the account (names for the directory, the spend-limit overview): served from the
# shared cache while younger than FRESH, served and rebuilt in the background until MAX_STALE.
PROFILE_CATALOG_FRESH_SECONDS = env.int("PROFILE_CATALOG_FRESH_SECONDS", default=60)
PROFILE_CATALOG_MAX_STALE_SECONDS = env.int("PROFILE_CATALOG_MAX_STALE_SECONDS", default=3600)
PROFILE_CATALOG_CONCURRENCY = env.int("PROFILE_CATALOG_CONCURRENCY", default=8)
# The number index (/numbers/): every job worker refreshes it this often (seconds; 0: never, e.g.
# when cron runs `manage.py refresh_number_index`), reading only profiles that changed, and reads
# every profile again when the last such full refresh is older than NUMBER_INDEX_FULL_SECONDS.
NUMBER_INDEX_REFRESH_SECONDS = env.float("NUMBER_INDEX_REFRESH_SECONDS", default=900.0)
NUMBER_INDEX_FULL_SECONDS = env.float("NUMBER_INDEX_FULL_SECONDS", default=86400.0)
# Profiles a refresh reads at once (each in its own thread and database connection). Enough to keep
# the jobs' share of the request budget busy while each read waits out Telnyx's latency.
NUMBER_INDEX_CONCURRENCY = env.int("NUMBER_INDEX_CONCURRENCY", default=16)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Workers write to the same SQLite file as the web process: wait for the lock instead of failing.
    # IMMEDIATE: a transaction takes the write lock when it begins. A deferred one that read first
    # and writes second (select_for_update, then save) gets "database is locked" at once, without
    # waiting, when another process writes in between: SQLite cannot wait out that deadlock.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    if env.bool("TESTING", default=False):
        # A file, not memory, so that a real worker process (tests/fixtures/jobs.py) shares it; named
        # for this process, so that two test runs in one checkout never open each other's file.
        VAR_DIR.mkdir(exist_ok=True)
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-dashboard-{os.getpid()}.sqlite3")}
        # No fsync per commit (0.8 ms each on these machines). Every transactional test ends with a
        # flush and Django recreating content types and permissions: 93 statements, most of them
        # committed on their own, 45 ms with an fsync each and 20 ms without. Locking and what each
        # connection sees are unchanged; only a crash of the machine could lose commits, of a file
        # the run throws away.
        DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"

# --- Logging --------------------------------------------------------------------------------------
# JSON lines with the request id in production (a log shipper parses them); readable text in DEBUG.
# gunicorn's own error and access logs follow the same LOG_FORMAT (telnyx_admin.logging.GunicornLogger).
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "telnyx_admin.request_context.RequestIdFilter"},
        "redact_secrets": {"()": "telnyx_admin.log_redaction.SecretRedactionFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {"()": "telnyx_admin.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler would print DEBUG-time lines twice: route them through root only.
        "django": {"handlers": [], "propagate": True},
        # 4xx are in the access log already; keep server errors.
        "django.request": {"level": "ERROR"},
    },
}
