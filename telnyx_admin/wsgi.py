"""WSGI entry point for gunicorn (and runserver)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telnyx_admin.settings")
application = get_wsgi_application()

# A serving process checks Telnyx in the background for /readyz (at most once per
# TELNYX_HEALTH_INTERVAL per instance); test clients and management commands never import this module.
from telnyx_admin.telnyx import health  # noqa: E402 - needs Django set up

health.start_monitor()
