"""WSGI entry point for gunicorn (and runserver)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telnyx_admin.settings")
application = get_wsgi_application()

# A serving process checks Telnyx in the background for /readyz (at most once per
# TELNYX_HEALTH_INTERVAL per instance); test clients and management commands never import this module.
from telnyx_admin.telnyx import health  # noqa: E402 - needs Django set up

health.start_monitor()

# Only a serving process guards its database calls (a deadline, a breaker, a thread kept for probes);
# gunicorn.conf.py tells the guard how many threads the worker has.
from django.conf import settings  # noqa: E402

from telnyx_admin import database_guard  # noqa: E402

database_guard.enable(
    deadline=settings.DATABASE_QUERY_DEADLINE, circuit_seconds=settings.DATABASE_CIRCUIT_SECONDS
)
