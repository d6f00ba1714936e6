"""Root URLconf: see the URL map in ARCHITECTURE.md."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from telnyx_admin import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Django's set_language: the header's language switcher, on the sign-in page too (so public).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Sign in and out only: no self-service password reset (no mail is configured); admins set passwords.
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profiles/", include("profiles.urls")),
    path("spend-limits/", include("profiles.spend_limits_urls")),
    path("jobs/", include("jobs.urls")),
    path("numbers/", include("phone_numbers.urls")),
    path("short-codes/", include("shortcodes.urls")),
    path("audit/", include("audit.urls")),
]

# A database that cannot be reached answers 503 with a page saying so, not 500.
handler500 = "telnyx_admin.views.server_error"
