"""`/spend-limits/`: the account-wide spend-limit overview (URL map in ARCHITECTURE.md)."""

from django.urls import path

from profiles.views import spend_limits

app_name = "spend_limits"
urlpatterns = [
    path("", spend_limits.spend_limit_overview, name="overview"),
]
