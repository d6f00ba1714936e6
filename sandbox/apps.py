"""App config for the sandbox (installed only in `sandbox.settings`)."""

from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Telnyx API sandbox"
    default_auto_field = "django.db.models.BigAutoField"
