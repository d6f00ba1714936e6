"""Binding and moving a short code from its detail page, against the live sandbox."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from tests.fixtures.short_codes import calls_to

HTMX = {"HTTP_HX_REQUEST": "true"}


def bind_url(code: dict) -> str:
    return f"/short-codes/{code['id']}/bind/"


def test_it_binds_an_unassigned_short_code(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    bulk = seed_short_codes.profile()
    response = support_client.post(
        bind_url(code), {"messaging_profile_id": bulk["id"], "updated_at": code["updated_at"]}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/short-codes/{code['id']}/"
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] == bulk["id"]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.object_type, entry.object_id) == (
        "short_code.bind",
        "success",
        "short_code",
        code["id"],
    )
    assert entry.changes == {"messaging_profile_id": {"before": None, "after": bulk["id"]}}
    assert entry.actor_username == "sam.support"
    assert code["short_code"] in entry.object_label
    page = support_client.get(f"/short-codes/{code['id']}/").content.decode()
    assert f"Short code {code['short_code']} is now bound to {bulk['name']}." in page


def test_it_moves_a_short_code_to_another_profile(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    other = seed_short_codes.create_profile("Rebind Target Co")
    response = support_client.post(
        bind_url(code), {"messaging_profile_id": other["id"], "updated_at": code["updated_at"]}
    )
    assert response.status_code == 302
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] == other["id"]
    entry = AuditEntry.objects.get()
    assert entry.changes == {"messaging_profile_id": {"before": bulk["id"], "after": other["id"]}}
    # The new profile was unknown to the cached directory: the bind dropped it, so its name shows.
    page = support_client.get(f"/short-codes/{code['id']}/").content.decode()
    assert "Rebind Target Co" in page and "unknown profile" not in page


def test_binding_to_a_profile_deleted_meanwhile_shows_the_api_error_beside_the_field(
    seed_short_codes, support_client
):
    code = seed_short_codes.unassigned()[0]
    doomed = seed_short_codes.create_profile("Doomed Profile")
    detail = support_client.get(f"/short-codes/{code['id']}/")  # the user opens the form
    assert detail.status_code == 200
    seed_short_codes.delete_profile(doomed["id"])  # someone deletes the profile meanwhile
    response = support_client.post(
        bind_url(code), {"messaging_profile_id": doomed["id"], "updated_at": code["updated_at"]}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="binding"')
    beside_field = '<p class="field-error" data-testid="error-messaging_profile_id">'
    assert beside_field + "No messaging profile has this id.</p>" in body
    # Nothing lost: the chosen profile is still selected, ready to resubmit or change.
    assert f'name="messaging_profile_id" value="{doomed["id"]}" checked' in body
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] is None
    entry = AuditEntry.objects.get()
    assert entry.outcome == "failure"
    assert entry.error == (
        "ValidationFailed 422: 10015 No messaging profile has this id. (/messaging_profile_id)"
    )
    assert entry.changes == {"messaging_profile_id": {"before": None, "after": doomed["id"]}}


def test_an_invalid_profile_id_is_refused_before_telnyx(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    seed_short_codes.sandbox.clear_stats()
    response = support_client.post(bind_url(code), {"messaging_profile_id": "acme"}, **HTMX)
    assert "Choose a messaging profile from the list." in response.content.decode()
    assert calls_to(seed_short_codes.sandbox, "PATCH /v2/short_codes/{id}") == 0
    assert not AuditEntry.objects.exists()


def test_a_stale_form_gets_a_conflict_and_keeps_the_choice(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    bulk = seed_short_codes.profile()
    seed_short_codes.sandbox.patch(
        f"/short_codes/{code['id']}", json={"messaging_profile_id": None, "tags": ["changed"]}
    ).raise_for_status()
    response = support_client.post(
        bind_url(code), {"messaging_profile_id": bulk["id"], "updated_at": code["updated_at"]}, **HTMX
    )
    body = response.content.decode()
    assert "was changed by someone else since this page was loaded" in body
    assert "tags: changed" in body
    assert f'value="{bulk["id"]}" checked' in body
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] is None
    current = seed_short_codes.short_code(code["id"])["updated_at"]
    assert f'name="updated_at" value="{current}"' in body  # a second submit is deliberate
    assert AuditEntry.objects.get().outcome == "failure"


@pytest.mark.parametrize("who", ["auditor_client", "account_manager_client"])
def test_other_roles_are_refused_and_nothing_reaches_telnyx(seed_short_codes, who, request):
    client = request.getfixturevalue(who)
    code = seed_short_codes.unassigned()[0]
    bulk = seed_short_codes.profile()
    seed_short_codes.sandbox.clear_stats()
    for url, data in [
        (bind_url(code), {"messaging_profile_id": bulk["id"]}),
        (f"/short-codes/{code['id']}/unbind/", {}),
        (f"/short-codes/{code['id']}/tags/", {"tags": ["x"], "op": "save"}),
    ]:
        assert client.post(url, data).status_code == 403
    assert seed_short_codes.sandbox.stats()["total_requests"] == 0
    assert not AuditEntry.objects.exists()


def test_a_vanished_short_code_goes_back_to_the_list(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    missing = "00000000-0000-4000-8000-000000000000"
    data = {"messaging_profile_id": bulk["id"], "updated_at": "2026-01-01T00:00:00Z"}
    response = support_client.post(f"/short-codes/{missing}/bind/", data)
    assert response.status_code == 302 and response["Location"] == "/short-codes/"
    assert AuditEntry.objects.get().outcome == "failure"


def test_rate_limit_on_bind_shows_the_banner(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    bulk = seed_short_codes.profile()
    seed_short_codes.sandbox.set_faults(error_rate=1, error_status=429, retry_after_seconds=90)
    data = {"messaging_profile_id": bulk["id"], "updated_at": code["updated_at"]}
    response = support_client.post(bind_url(code), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#messages"
    assert "Retry in 90 s." in response.content.decode()
    assert AuditEntry.objects.get().outcome == "failure"


def test_server_error_on_bind_shows_the_banner(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    bulk = seed_short_codes.profile()
    seed_short_codes.sandbox.set_faults(error_rate=1, error_status=500)
    data = {"messaging_profile_id": bulk["id"], "updated_at": code["updated_at"]}
    response = support_client.post(bind_url(code), data)
    assert response.status_code == 503
    assert "Telnyx is unavailable" in response.content.decode()
