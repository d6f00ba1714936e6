from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelnyxAdminConfig(AppConfig):
    """The project package itself: site-wide middleware, health checks and shared templates tags."""

    name = "telnyx_admin"
    verbose_name = "Telnyx Admin"

    def ready(self) -> None:
        # The admin manages users and groups only. Apps register their models during admin's
        # autodiscover (admin is first in INSTALLED_APPS, so that has happened by now): drop the rest.
        from django.contrib import admin
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        for model in list(admin.site._registry):
            if model not in (get_user_model(), Group):
                admin.site.unregister(model)
        # Under the dashboard's own name (templates/admin/base_site.html links back to it).
        admin.site.site_header = _("Telnyx Admin")
        admin.site.site_title = _("Telnyx Admin")
        admin.site.index_title = _("Users and groups")
        admin.site.site_url = None  # the branding links back instead of a "View site" link
