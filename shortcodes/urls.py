from django.urls import path

from shortcodes import views

app_name = "shortcodes"
urlpatterns = [
    path("", views.short_code_list, name="list"),
    # The profile picker's options (profiles whose name contains the typed text), for htmx.
    path("profile-options/", views.profile_options, name="profile_options"),
    path("<str:short_code_id>/", views.short_code_detail, name="detail"),
    path("<str:short_code_id>/bind/", views.short_code_bind, name="bind"),
    path("<str:short_code_id>/unbind/", views.short_code_unbind, name="unbind"),
    path("<str:short_code_id>/tags/", views.short_code_tags, name="tags"),
]
