"""Root URLconf: see the URL map in ARCHITECTURE.md."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profiles/", include("profiles.urls")),
    path("short-codes/", include("shortcodes.urls")),
    path("audit/", include("audit.urls")),
]
