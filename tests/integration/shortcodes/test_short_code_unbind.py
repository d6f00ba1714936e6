"""Unbinding a short code: a confirmation step, then `messaging_profile_id: null`."""

from __future__ import annotations

from audit.models import AuditEntry

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_it_asks_for_confirmation_first(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    response = support_client.get(f"/short-codes/{code['id']}/unbind/", **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="binding"')
    assert f"Unbind short code <strong>{code['short_code']}</strong> from" in body
    assert bulk["name"] in body
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] == bulk["id"]
    assert not AuditEntry.objects.exists()


def test_it_unbinds_and_audits(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    response = support_client.post(f"/short-codes/{code['id']}/unbind/", {"updated_at": code["updated_at"]})
    assert response.status_code == 302
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] is None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome) == ("short_code.unbind", "success")
    assert entry.changes == {"messaging_profile_id": {"before": bulk["id"], "after": None}}
    page = support_client.get(response["Location"]).content.decode()
    assert "is no longer bound to a profile" in page and "Not bound to any profile." in page


def test_a_stale_unbind_is_refused(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    seed_short_codes.sandbox.patch(
        f"/short_codes/{code['id']}", json={"messaging_profile_id": bulk["id"], "tags": ["moved"]}
    ).raise_for_status()
    response = support_client.post(
        f"/short-codes/{code['id']}/unbind/", {"updated_at": code["updated_at"]}, **HTMX
    )
    assert "was changed by someone else" in response.content.decode()
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] == bulk["id"]
