"""Audit log pages. An object's history is looked up by its Telnyx id, a UUID lower-cased by the
converter (telnyx_admin.ids), so anything else (a NUL byte PostgreSQL refuses, an over-long id) is a 404
before the database is asked, and an upper-case id finds the entries made under the canonical one."""

from django.urls import path, register_converter

from audit import views
from telnyx_admin.ids import TelnyxIdConverter

register_converter(TelnyxIdConverter, "telnyx_id")

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    # Loaded by htmx into the history tab of profile and short-code detail pages.
    path("history/<slug:object_type>/<telnyx_id:object_id>/", views.object_history, name="history"),
]
