"""The spend-limit page (`profiles:spend_limit`, account managers) against the live sandbox."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.context import AuditContext
from profiles import services
from profiles.forms import SpendLimitForm
from telnyx_admin import formatting
from tests.fixtures.profile_writes import audit_entries, resubmit

pytestmark = pytest.mark.django_db

PATCH_ROUTE = "PATCH /v2/messaging_profiles/{id}"


def _url(profile_id: str) -> str:
    return reverse("profiles:spend_limit", args=[profile_id])


def _current(sandbox, profile_id: str) -> dict:
    return sandbox.get(f"/messaging_profiles/{profile_id}").json()["data"]


def _post_data(profile: dict, **changes) -> dict:
    return resubmit(SpendLimitForm(profile=profile), **changes)


def test_url_path():
    profile_id = str(uuid.uuid4())
    assert _url(profile_id) == f"/profiles/{profile_id}/spend-limit/"


def test_it_shows_the_current_limit_and_whether_it_is_enforced(account_manager_client, make_profile):
    profile = make_profile(daily_spend_limit="250.50", daily_spend_limit_enabled=True)
    response = account_manager_client.get(_url(profile["id"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "USD\u00a0250.50" in html
    assert '<span class="chip chip--ok">on</span>' in html
    assert 'name="daily_spend_limit" value="250.50"' in html
    assert 'name="daily_spend_limit_enabled"' in html and "checked" in html
    assert f'name="updated_at" value="{profile["updated_at"]}"' in html


def test_it_404s_for_an_unknown_profile(account_manager_client, telnyx_settings):
    assert account_manager_client.get(_url(str(uuid.uuid4()))).status_code == 404


def test_it_sets_the_limit_and_audits_before_and_after(
    account_manager_client, account_manager, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile(daily_spend_limit="100.00", daily_spend_limit_enabled=False)
    data = _post_data(profile, daily_spend_limit="75.5", daily_spend_limit_enabled=True)
    response = account_manager_client.post(_url(profile["id"]), data, follow=True)

    assert response.redirect_chain[0][0] == reverse("profiles:detail", args=[profile["id"]])
    assert (
        f"The daily spend limit of &quot;{profile['name']}&quot; was changed successfully."
        in response.content.decode()
    )
    now = _current(telnyx_settings, profile["id"])
    assert (now["daily_spend_limit"], now["daily_spend_limit_enabled"]) == ("75.5", True)
    assert sandbox_requests(PATCH_ROUTE) == 1
    (entry,) = audit_entries(action="profile.spend_limit")
    assert entry.outcome == "success"
    assert entry.actor == account_manager
    assert entry.changes == {
        "daily_spend_limit": {"before": "100.00", "after": "75.5"},
        "daily_spend_limit_enabled": {"before": False, "after": True},
    }


def test_switching_enforcement_off_sends_only_that(account_manager_client, make_profile, telnyx_settings):
    profile = make_profile(daily_spend_limit="100.00", daily_spend_limit_enabled=True)
    data = _post_data(profile, daily_spend_limit_enabled=False)
    response = account_manager_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("profiles:detail", args=[profile["id"]])
    (entry,) = audit_entries(action="profile.spend_limit")
    assert entry.changes == {"daily_spend_limit_enabled": {"before": True, "after": False}}
    assert _current(telnyx_settings, profile["id"])["daily_spend_limit"] == "100.00"


@pytest.mark.parametrize("amount", ["12,50", "-5", "$10", "1e3", " 10", ""])
def test_an_invalid_amount_is_shown_beside_the_field_and_not_sent(
    account_manager_client, make_profile, sandbox_requests, amount
):
    profile = make_profile()
    data = _post_data(profile, daily_spend_limit=amount)
    response = account_manager_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-daily_spend_limit"' in html
    assert f'value="{amount}"' in html or amount == ""
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert audit_entries() == []


def test_nothing_changed_sends_nothing(account_manager_client, make_profile, sandbox_requests):
    profile = make_profile()
    response = account_manager_client.post(_url(profile["id"]), _post_data(profile), follow=True)
    assert "No changes" in response.content.decode()
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert audit_entries() == []


def test_an_api_rule_the_form_cannot_see_comes_back_as_a_form_error(
    account_manager_client, no_destinations_profile, telnyx_settings
):
    """The API requires destinations on any update while the profile has none: a 422 pointing at
    /whitelisted_destinations, a field this form does not have. The form says who can fix it."""
    profile = no_destinations_profile
    data = _post_data(profile, daily_spend_limit="42")
    response = account_manager_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in html
    assert "Support staff must set its destinations first" in html
    assert "whitelisted_destinations" not in html.replace('name="whitelisted_destinations"', "")
    assert 'value="42"' in html
    (entry,) = audit_entries(action="profile.spend_limit")
    assert entry.outcome == "failure"
    assert "ValidationFailed 422" in entry.error and "(/whitelisted_destinations)" in entry.error
    assert entry.changes["daily_spend_limit"]["after"] == "42"
    assert _current(telnyx_settings, profile["id"])["daily_spend_limit"] == profile["daily_spend_limit"]


def test_a_conflict_is_shown_with_the_input_kept(account_manager_client, make_profile, telnyx_settings):
    profile = make_profile(daily_spend_limit="100.00")
    data = _post_data(profile, daily_spend_limit="150")
    telnyx_settings.patch(f"/messaging_profiles/{profile['id']}", json={"daily_spend_limit": "300"})

    response = account_manager_client.post(_url(profile["id"]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="conflict"' in html
    # Theirs, then yours, as money (the History tab writes amounts alike).
    assert (
        f'<td data-label="Now at Telnyx"><code>{formatting.money("300")}</code></td>'
        f'<td data-label="Your value (kept below)"><code>{formatting.money("150")}</code></td>' in html
    )
    assert 'value="150"' in html
    assert _current(telnyx_settings, profile["id"])["daily_spend_limit"] == "300"
    (entry,) = audit_entries(action="profile.spend_limit")
    assert entry.outcome == "failure" and entry.error.startswith("StaleObject")


@pytest.mark.parametrize(
    "faults",
    [
        {"error_rate": 0.5, "error_status": 429, "retry_after_seconds": 30},
        {"error_rate": 0.5, "error_status": 500},
        {"drop_rate": 0.5},
    ],
)
def test_telnyx_failures_show_a_banner_and_keep_the_input(
    account_manager_client, make_profile, telnyx_settings, faults
):
    profile = make_profile()
    telnyx_settings.set_faults(**faults)
    data = _post_data(profile, daily_spend_limit="999")
    response = account_manager_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="telnyx-banner"' in html
    assert 'value="999"' in html
    (entry,) = audit_entries(action="profile.spend_limit")
    assert entry.outcome == "failure"


def test_the_use_case_refuses_anything_but_the_spend_limit(
    account_manager_client, make_profile, sandbox_requests
):
    profile = make_profile()
    request = account_manager_client.get(_url(profile["id"])).wsgi_request
    with pytest.raises(ValueError, match="name"):
        services.profile_spend_limit_update(
            actor=request.user,
            audit=AuditContext.of(request),
            profile_id=profile["id"],
            changes={"daily_spend_limit": "1", "name": "sneaky"},
            expected_updated_at=profile["updated_at"],
        )
    assert sandbox_requests(PATCH_ROUTE) == 0


def test_the_use_case_refuses_an_actor_without_the_permission(support_client, make_profile, sandbox_requests):
    profile = make_profile()
    request = support_client.get(reverse("profiles:detail", args=[profile["id"]])).wsgi_request
    with pytest.raises(PermissionDenied):
        services.profile_spend_limit_update(
            actor=request.user,
            audit=AuditContext.of(request),
            profile_id=profile["id"],
            changes={"daily_spend_limit": "1"},
            expected_updated_at=profile["updated_at"],
        )
    assert sandbox_requests(PATCH_ROUTE) == 0


@pytest.mark.parametrize("client_name", ["support_client", "auditor_client"])
def test_other_roles_may_not_change_the_spend_limit(request, client_name, make_profile, sandbox_requests):
    profile = make_profile()
    client = request.getfixturevalue(client_name)
    assert client.get(_url(profile["id"])).status_code == 403
    assert client.post(_url(profile["id"]), _post_data(profile, daily_spend_limit="1")).status_code == 403
    assert sandbox_requests(PATCH_ROUTE) == 0
