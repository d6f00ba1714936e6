"""WSGI entry point of the sandbox, served by gunicorn from `runsandbox`."""

import os

from django.core.wsgi import get_wsgi_application

# Forced, not defaulted: an inherited DJANGO_SETTINGS_MODULE (pytest-django exports the dashboard's)
# must never turn the sandbox into a second dashboard.
os.environ["DJANGO_SETTINGS_MODULE"] = "sandbox.settings"
application = get_wsgi_application()
