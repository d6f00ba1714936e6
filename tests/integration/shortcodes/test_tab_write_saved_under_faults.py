"""A bind or unbind on the profile's tab that Telnyx saved is reported as saved, even when the
tab's refresh afterwards fails."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AuditEntry

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_saved_bind_says_so_when_the_refresh_fails(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    chosen = seed_short_codes.unassigned()[0]
    # Calls: 1 unassigned list (the form's choices), 2 GET short code, 3 PATCH, 4 the tab's re-list.
    seed_short_codes.sandbox.set_faults(error_rate=0.25, error_status=500)
    response = support_client.post(
        reverse("profiles:short_codes", args=[bulk["id"]]),
        {"action": "bind", "short_code_id": chosen["id"]},
        **HTMX,
    )
    seed_short_codes.sandbox.clear_faults()
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Short code {chosen['short_code']} is now bound to this profile." in body
    assert "The list could not be refreshed" in body
    assert "Nothing was changed" not in body
    assert seed_short_codes.short_code(chosen["id"])["messaging_profile_id"] == bulk["id"]
    assert AuditEntry.objects.get().outcome == "success"


def test_a_failure_before_the_write_is_still_a_banner(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    chosen = seed_short_codes.unassigned()[0]
    seed_short_codes.sandbox.set_faults(error_rate=1.0, error_status=503)
    response = support_client.post(
        reverse("profiles:short_codes", args=[bulk["id"]]),
        {"action": "bind", "short_code_id": chosen["id"]},
        **HTMX,
    )
    seed_short_codes.sandbox.clear_faults()
    assert "is now bound" not in response.content.decode()
    assert seed_short_codes.short_code(chosen["id"])["messaging_profile_id"] is None
