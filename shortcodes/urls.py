"""Short-code pages. Every `<short_code_id:...>` is a UUID, lower-cased (see telnyx_admin.ids)."""

from django.urls import path, register_converter

from shortcodes import bulk_views, views
from telnyx_admin.ids import TelnyxIdConverter

register_converter(TelnyxIdConverter, "short_code_id")

app_name = "shortcodes"
urlpatterns = [
    path("", views.short_code_list, name="list"),
    # The profile picker's options (profiles whose name contains the typed text), for htmx.
    # Bulk bind/unbind of the list's selection: preview (POST step=preview), then confirm.
    path("bulk/", bulk_views.short_code_bulk, name="bulk"),
    path("profile-options/", views.profile_options, name="profile_options"),
    path("<short_code_id:short_code_id>/", views.short_code_detail, name="detail"),
    path("<short_code_id:short_code_id>/bind/", views.short_code_bind, name="bind"),
    path("<short_code_id:short_code_id>/unbind/", views.short_code_unbind, name="unbind"),
    path("<short_code_id:short_code_id>/tags/", views.short_code_tags, name="tags"),
]
