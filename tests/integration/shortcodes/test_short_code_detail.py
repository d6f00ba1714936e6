"""The short-code detail page: every field, write controls by role, history partial."""

from __future__ import annotations

from audit.models import AuditEntry


def test_it_shows_every_field(seed_short_codes, auditor_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    body = auditor_client.get(f"/short-codes/{code['id']}/").content.decode()
    for value in (
        code["short_code"],
        code["country_code"],
        code["id"],
        code["messaging_profile_id"],
        code["record_type"],
        code["created_at"],
        code["updated_at"],
        bulk["name"],
        *code["tags"],
    ):
        assert value in body, value
    assert f'hx-get="/audit/history/short_code/{code["id"]}/"' in body


def test_auditors_and_account_managers_see_no_write_controls(
    seed_short_codes, auditor_client, account_manager_client, support_client
):
    code = seed_short_codes.all()[0]
    url = f"/short-codes/{code['id']}/"
    for client in (auditor_client, account_manager_client):
        body = client.get(url).content.decode()
        assert 'id="binding"' not in body and 'id="tags"' not in body and "/bind/" not in body
        assert client.get(f"{url}unbind/").status_code == 403
    body = support_client.get(url).content.decode()
    assert 'data-testid="bind-form"' in body and 'data-testid="tags-form"' in body


def test_history_lists_this_short_codes_writes(seed_short_codes, support_client, auditor_client):
    code = seed_short_codes.unassigned()[0]
    data = {"tags": ["history-check"], "op": "save", "updated_at": code["updated_at"]}
    support_client.post(f"/short-codes/{code['id']}/tags/", data)
    assert AuditEntry.objects.count() == 1
    body = auditor_client.get(
        f"/audit/history/short_code/{code['id']}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "short_code.tags_update" in body and "sam.support" in body


def test_an_unknown_short_code_is_a_404(seed_short_codes, support_client):
    assert support_client.get("/short-codes/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_a_rate_limited_detail_page_shows_the_banner(seed_short_codes, support_client):
    code = seed_short_codes.all()[0]
    seed_short_codes.sandbox.set_faults(error_rate=1, error_status=429, retry_after_seconds=60)
    response = support_client.get(f"/short-codes/{code['id']}/")
    assert response.status_code == 429 and "Retry in 60 s." in response.content.decode()
