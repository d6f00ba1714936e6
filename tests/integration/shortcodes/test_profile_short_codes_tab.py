"""A profile's short-codes tab: list, bind an unassigned one, unbind one, all inside the tab."""

from __future__ import annotations

from django.urls import reverse

from audit.models import AuditEntry
from tests.fixtures.short_codes import telnyx_calls

HTMX = {"HTTP_HX_REQUEST": "true"}


def tab(profile: dict) -> str:
    return reverse("profiles:short_codes", args=[profile["id"]])


def test_it_lists_the_profiles_short_codes_with_one_call(seed_short_codes, auditor_client):
    bulk = seed_short_codes.profile()
    response = auditor_client.get(tab(bulk), **HTMX)  # directory cold: the tab needs no names
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="short-codes-tab"')
    assert body.count('data-testid="tab-row"') == 4
    for code in seed_short_codes.bound_to(bulk["id"]):
        assert code["short_code"] in body
    assert telnyx_calls(response) == 1
    # Auditors get no write controls.
    assert "Bind a short code" not in body and "Unbind" not in body


def test_the_tab_is_also_a_page(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    body = support_client.get(tab(bulk)).content.decode()
    assert "<html" in body and f'Short codes of <a href="/profiles/{bulk["id"]}/">{bulk["name"]}</a>' in body


def test_it_paginates_inside_the_tab(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    for code in seed_short_codes.unassigned():  # give the profile 16 short codes
        seed_short_codes.sandbox.patch(
            f"/short_codes/{code['id']}", json={"messaging_profile_id": bulk["id"]}
        )
    first = support_client.get(tab(bulk), **HTMX).content.decode()
    assert first.count('data-testid="tab-row"') == 16
    small = support_client.get(tab(bulk), {"page_size": 20, "page": 1}, **HTMX).content.decode()
    assert "16 results" in small
    assert 'hx-target="#short-codes-tab"' in small and 'hx-push-url="false"' in small


def test_support_binds_an_unassigned_short_code_in_place(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    form = support_client.get(tab(bulk), {"add": 1}, **HTMX).content.decode()
    unassigned = seed_short_codes.unassigned()
    for code in unassigned:
        assert f'<option value="{code["id"]}">{code["short_code"]} ({code["country_code"]})</option>' in form
    chosen = unassigned[0]
    response = support_client.post(tab(bulk), {"action": "bind", "short_code_id": chosen["id"]}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="short-codes-tab"')
    assert f"Short code {chosen['short_code']} is now bound to this profile." in body
    assert body.count('data-testid="tab-row"') == 5
    assert seed_short_codes.short_code(chosen["id"])["messaging_profile_id"] == bulk["id"]
    entry = AuditEntry.objects.get()
    assert entry.changes == {"messaging_profile_id": {"before": None, "after": bulk["id"]}}


def test_binding_a_short_code_bound_meanwhile_is_refused(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    other = seed_short_codes.create_profile("Quick Fingers Ltd")
    chosen = seed_short_codes.unassigned()[0]
    seed_short_codes.sandbox.patch(f"/short_codes/{chosen['id']}", json={"messaging_profile_id": other["id"]})
    body = support_client.post(
        tab(bulk), {"action": "bind", "short_code_id": chosen["id"]}, **HTMX
    ).content.decode()
    # It is no longer offered, so the form says so and nothing is stolen from the other profile.
    assert "That short code is no longer unassigned." in body
    assert seed_short_codes.short_code(chosen["id"])["messaging_profile_id"] == other["id"]


def test_binding_to_a_profile_deleted_meanwhile_keeps_the_tab_and_says_why(seed_short_codes, support_client):
    doomed = seed_short_codes.create_profile("Vanishing Co")
    chosen = seed_short_codes.unassigned()[0]
    support_client.get(tab(doomed), {"add": 1}, **HTMX)
    seed_short_codes.delete_profile(doomed["id"])
    response = support_client.post(tab(doomed), {"action": "bind", "short_code_id": chosen["id"]}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "No messaging profile has this id." in body
    assert seed_short_codes.short_code(chosen["id"])["messaging_profile_id"] is None
    assert AuditEntry.objects.get().outcome == "failure"


def test_support_unbinds_with_a_confirmation_step(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    confirm = support_client.get(tab(bulk), {"confirm": code["id"]}, **HTMX).content.decode()
    assert f"Unbind {code['short_code']} from this profile?" in confirm
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] == bulk["id"]
    body = support_client.post(
        tab(bulk), {"action": "unbind", "short_code_id": code["id"]}, **HTMX
    ).content.decode()
    assert f"Short code {code['short_code']} was unbound from this profile." in body
    assert body.count('data-testid="tab-row"') == 3
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] is None
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.changes) == (
        "short_code.unbind",
        {"messaging_profile_id": {"before": bulk["id"], "after": None}},
    )


def test_unbinding_one_that_moved_elsewhere_is_refused(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    other = seed_short_codes.create_profile("Moved Here Inc")
    code = seed_short_codes.bound_to(bulk["id"])[0]
    seed_short_codes.sandbox.patch(f"/short_codes/{code['id']}", json={"messaging_profile_id": other["id"]})
    body = support_client.post(
        tab(bulk), {"action": "unbind", "short_code_id": code["id"]}, **HTMX
    ).content.decode()
    assert "is no longer bound to this profile" in body
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] == other["id"]


def test_without_htmx_a_write_redirects_back_with_a_message(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    response = support_client.post(tab(bulk), {"action": "unbind", "short_code_id": code["id"]})
    assert response.status_code == 302 and response["Location"] == tab(bulk)
    assert "was unbound from this profile" in support_client.get(tab(bulk)).content.decode()


def test_auditors_and_account_managers_cannot_write(seed_short_codes, auditor_client, account_manager_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.unassigned()[0]
    seed_short_codes.sandbox.clear_stats()
    for client in (auditor_client, account_manager_client):
        response = client.post(tab(bulk), {"action": "bind", "short_code_id": code["id"]}, **HTMX)
        assert response.status_code == 403
        # ?add=1 does not reveal a bind form either.
        assert "tab-bind-form" not in client.get(tab(bulk), {"add": 1}, **HTMX).content.decode()
    assert "PATCH /v2/short_codes/{id}" not in seed_short_codes.sandbox.stats()["requests"]
    assert not AuditEntry.objects.exists()


def test_an_unknown_profile_is_a_404(seed_short_codes, support_client):
    response = support_client.get("/profiles/00000000-0000-4000-8000-000000000000/short-codes/")
    assert response.status_code == 404


def test_a_failure_in_the_tab_becomes_the_banner(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    seed_short_codes.sandbox.set_faults(error_rate=1, error_status=503)
    response = support_client.get(tab(bulk), **HTMX)
    assert response["HX-Retarget"] == "#messages"
    assert "Telnyx is unavailable" in response.content.decode()
