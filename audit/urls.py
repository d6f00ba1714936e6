from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    # Loaded by htmx into the history tab of profile and short-code detail pages.
    path("history/<str:object_type>/<str:object_id>/", views.object_history, name="history"),
]
