"""Inline edit of a row of `/spend-limits/` (account managers), against the live sandbox."""

from __future__ import annotations

import re

import pytest

from profiles import catalog
from tests.fixtures.profile_writes import audit_entries

pytestmark = pytest.mark.django_db

PATCH_ROUTE = "PATCH /v2/messaging_profiles/{id}"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _fresh_catalog(telnyx_settings):
    catalog.invalidate()
    yield
    catalog.invalidate()


def _edit(profile_id: str) -> str:
    return f"/spend-limits/{profile_id}/edit/"


def _post(profile: dict, **values) -> dict:
    data = {"daily_spend_limit": profile["daily_spend_limit"], "updated_at": profile["updated_at"]}
    if profile["daily_spend_limit_enabled"]:
        data["daily_spend_limit_enabled"] = "on"
    data.update({key: value for key, value in values.items() if value is not None})
    if values.get("daily_spend_limit_enabled") is False:
        data.pop("daily_spend_limit_enabled", None)
    return data


def _current(sandbox, profile_id: str) -> dict:
    return sandbox.get(f"/messaging_profiles/{profile_id}").json()["data"]


def test_the_edit_row_is_a_form_with_the_current_values(account_manager_client, make_profile):
    profile = make_profile(daily_spend_limit="120.00", daily_spend_limit_enabled=True)

    html = account_manager_client.get(_edit(profile["id"]), headers=HTMX).content.decode()

    assert 'data-testid="spend-edit-row"' in html
    assert 'name="daily_spend_limit" value="120.00"' in html
    assert 'data-testid="inline-enabled" checked' in html
    assert f'name="updated_at" value="{profile["updated_at"]}"' in html


def test_saving_swaps_the_row_back_with_the_new_values_and_audits(
    account_manager_client, account_manager, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile(daily_spend_limit="100.00", daily_spend_limit_enabled=False)

    response = account_manager_client.post(
        _edit(profile["id"]),
        _post(profile, daily_spend_limit="80", daily_spend_limit_enabled="on"),
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="spend-row-{profile["id"]}" data-testid="spend-row"')
    assert '>USD\u00a080.00</td><td data-label="Enforced">Yes</td>' in html
    assert 'data-testid="row-status"' in html
    now = _current(telnyx_settings, profile["id"])
    assert (now["daily_spend_limit"], now["daily_spend_limit_enabled"]) == ("80", True)
    assert sandbox_requests(PATCH_ROUTE) == 1
    (entry,) = audit_entries(action="profile.spend_limit", object_id=profile["id"])
    assert entry.outcome == "success" and entry.actor == account_manager
    assert entry.changes == {
        "daily_spend_limit": {"before": "100.00", "after": "80"},
        "daily_spend_limit_enabled": {"before": False, "after": True},
    }


def test_the_overview_shows_the_change_after_an_inline_save(account_manager_client, make_profile):
    profile = make_profile(daily_spend_limit="100.00")
    account_manager_client.get("/spend-limits/", {"q": profile["name"]})  # the catalog is now cached

    account_manager_client.post(_edit(profile["id"]), _post(profile, daily_spend_limit="61"), headers=HTMX)

    html = account_manager_client.get("/spend-limits/", {"q": profile["name"]}).content.decode()
    assert ">USD\u00a061.00</td>" in html


def test_a_stale_row_gets_the_conflict_panel_with_the_input_kept(
    account_manager_client, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile(daily_spend_limit="100.00")
    # Someone else changes the limit after the row was opened for editing.
    telnyx_settings.patch(f"/messaging_profiles/{profile['id']}", json={"daily_spend_limit": "300"})

    response = account_manager_client.post(
        _edit(profile["id"]), _post(profile, daily_spend_limit="55.5"), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="conflict"' in html
    assert 'name="daily_spend_limit" value="55.5"' in html  # the input is kept
    assert f'name="updated_at" value="{profile["updated_at"]}"' in html  # the old stamp stays
    assert _current(telnyx_settings, profile["id"])["daily_spend_limit"] == "300"
    assert sandbox_requests(PATCH_ROUTE) == 1  # only the other person's change
    # "Save my values anyway" carries the new stamp: then it saves.
    stamp = re.search(r'name="confirm_overwrite" value="([^"]+)"', html).group(1)
    data = {**_post(profile, daily_spend_limit="55.5"), "confirm_overwrite": stamp}
    saved = account_manager_client.post(_edit(profile["id"]), data, headers=HTMX).content.decode()
    assert 'data-testid="spend-row"' in saved
    assert _current(telnyx_settings, profile["id"])["daily_spend_limit"] == "55.5"


def test_an_invalid_amount_stays_in_the_row_with_its_error(
    account_manager_client, make_profile, sandbox_requests
):
    profile = make_profile()

    html = account_manager_client.post(
        _edit(profile["id"]), _post(profile, daily_spend_limit="12,50"), headers=HTMX
    ).content.decode()

    assert 'aria-invalid="true"' in html and 'value="12,50"' in html
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert audit_entries() == []


def test_cancel_puts_the_row_back(account_manager_client, make_profile):
    profile = make_profile(daily_spend_limit="42.00")
    html = account_manager_client.get(f"/spend-limits/{profile['id']}/row/", headers=HTMX).content.decode()
    assert 'data-testid="spend-row"' in html and "42.00" in html


def test_others_never_see_or_post_the_spend_limit_fields(
    auditor_client, support_client, make_profile, sandbox_requests
):
    profile = make_profile()
    for client in (auditor_client, support_client):
        page = client.get("/spend-limits/", {"q": profile["name"]}).content.decode()
        assert 'data-testid="spend-edit"' not in page
        assert 'data-testid="bulk-form"' not in page and 'name="profile"' not in page
        assert client.get(_edit(profile["id"]), headers=HTMX).status_code == 403
        assert (
            client.post(_edit(profile["id"]), _post(profile, daily_spend_limit="1"), headers=HTMX).status_code
            == 403
        )
    assert sandbox_requests(PATCH_ROUTE) == 0
