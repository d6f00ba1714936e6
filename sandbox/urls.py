"""URLconf of the sandbox: the API under /v2/ and the control endpoints under /_sandbox/."""

from django.urls import path

from sandbox import control, views

urlpatterns = [
    path("v2/messaging_profiles", views.messaging_profiles),
    path("v2/messaging_profiles/<str:profile_id>", views.messaging_profile),
    path("v2/messaging_profiles/<str:profile_id>/phone_numbers", views.profile_phone_numbers),
    path("v2/messaging_profiles/<str:profile_id>/short_codes", views.profile_short_codes),
    path("v2/short_codes", views.short_codes),
    path("v2/short_codes/<str:short_code_id>", views.short_code),
    path("_sandbox/reset", control.reset),
    path("_sandbox/faults", control.fault_config),
    path("_sandbox/stats", control.request_stats),
]

# Unknown routes and anything that escapes a view answer in JSON, like the rest of the API.
handler400 = "sandbox.views.bad_request"
handler403 = "sandbox.views.forbidden"
handler404 = "sandbox.views.not_found"
handler500 = "sandbox.views.server_error"
