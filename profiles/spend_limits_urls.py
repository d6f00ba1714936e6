"""`/spend-limits/`: the account-wide spend-limit overview and its changes (URL map in ARCHITECTURE.md)."""

from django.urls import path

import profiles.urls  # noqa: F401  (registers the profile_id path converter)
from profiles.views import spend_changes, spend_inline, spend_limits

app_name = "spend_limits"
urlpatterns = [
    path("", spend_limits.spend_limit_overview, name="overview"),
    path("bulk/", spend_changes.spend_limit_bulk, name="bulk"),
    path("import/", spend_changes.spend_limit_import, name="import"),
    path("confirm/", spend_changes.spend_limit_confirm, name="confirm"),
    path("<profile_id:profile_id>/row/", spend_inline.spend_limit_row, name="row"),
    path("<profile_id:profile_id>/edit/", spend_inline.spend_limit_row_edit, name="edit"),
]
