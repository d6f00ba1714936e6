"""Messaging profile pages (URL map in ARCHITECTURE.md).

Every `<profile_id:...>` is a canonical lowercase UUID string (Telnyx profile ids are UUIDs): anything
else is a 404 from the resolver, before a call reaches Telnyx, and views receive a plain `str`.
"""

from django.urls import path, register_converter

from profiles.views import browse, edit
from shortcodes import views as shortcodes_views
from telnyx_admin.ids import TelnyxIdConverter

register_converter(TelnyxIdConverter, "profile_id")

app_name = "profiles"
urlpatterns = [
    path("", browse.profile_list, name="list"),
    path("new/", edit.profile_create, name="create"),
    path("<profile_id:profile_id>/", browse.profile_detail, name="detail"),
    path("<profile_id:profile_id>/edit/", edit.profile_edit, name="edit"),
    # The create form filled in with this profile's settings.
    path("<profile_id:profile_id>/duplicate/", edit.profile_duplicate, name="duplicate"),
    path("<profile_id:profile_id>/spend-limit/", edit.profile_spend_limit, name="spend_limit"),
    path("<profile_id:profile_id>/delete/", edit.profile_delete, name="delete"),
    path("<profile_id:profile_id>/phone-numbers/", browse.profile_phone_numbers, name="phone_numbers"),
    # The short-codes tab belongs to the short-codes app (binding lives there).
    path("<profile_id:profile_id>/short-codes/", shortcodes_views.profile_short_codes, name="short_codes"),
]
