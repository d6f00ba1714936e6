from django.apps import AppConfig


class TelnyxAdminConfig(AppConfig):
    """The project package itself: site-wide middleware, health checks and shared templates tags."""

    name = "telnyx_admin"
    verbose_name = "Telnyx Admin"
