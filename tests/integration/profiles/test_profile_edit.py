"""The edit page (`profiles:edit`) against the live sandbox: only changed fields are sent, after the
`updated_at` check; conflicts, 422s, Telnyx failures and vanished profiles keep the user's input."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from audit.context import AuditContext
from profiles import directory, services
from profiles.forms import ProfileEditForm
from telnyx_admin.telnyx import errors
from tests.fixtures.profile_writes import audit_entries, resubmit

pytestmark = pytest.mark.django_db

PATCH_ROUTE = "PATCH /v2/messaging_profiles/{id}"


def _url(profile_id: str) -> str:
    return reverse("profiles:edit", args=[profile_id])


def _current(sandbox, profile_id: str) -> dict:
    return sandbox.get(f"/messaging_profiles/{profile_id}").json()["data"]


def _post_data(profile: dict, **changes) -> dict:
    """What the browser posts after the user changed `changes` in the form loaded for `profile`."""
    return resubmit(ProfileEditForm(profile=profile, with_spend_limit=True), **changes)


def test_it_shows_the_form_with_the_profile_and_its_version(support_client, make_profile):
    profile = make_profile(alpha_sender="ACME")
    response = support_client.get(_url(profile["id"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{profile["name"]}"' in html
    assert 'value="ACME"' in html
    assert f'<input type="hidden" name="updated_at" value="{profile["updated_at"]}"' in html
    assert profile["v1_secret"] not in html


def test_it_404s_for_an_unknown_profile(support_client, telnyx_settings):
    assert support_client.get(_url(str(uuid.uuid4()))).status_code == 404
    assert support_client.get("/profiles/not-a-uuid/edit/").status_code == 404


def test_it_sends_only_the_changed_field_and_audits_before_and_after(
    support_client, support_user, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile()
    data = _post_data(profile, webhook_url="https://hooks.example.com/after")
    response = support_client.post(_url(profile["id"]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:detail", args=[profile["id"]])
    now = _current(telnyx_settings, profile["id"])
    assert now["webhook_url"] == "https://hooks.example.com/after"
    assert now["name"] == profile["name"]
    assert sandbox_requests(PATCH_ROUTE) == 1
    (entry,) = audit_entries(action="profile.update")
    assert entry.outcome == "success"
    assert entry.actor == support_user
    assert entry.object_id == profile["id"]
    assert entry.changes == {
        "webhook_url": {
            "before": "https://hooks.example.com/before",
            "after": "https://hooks.example.com/after",
        }
    }
    page = support_client.get(response["Location"]).content.decode()
    assert f"The messaging profile &quot;{profile['name']}&quot; was changed successfully." in page


def test_turning_the_number_pool_on_sends_the_whole_object(support_client, make_profile, telnyx_settings):
    profile = make_profile()
    data = _post_data(
        profile,
        number_pool_enabled=True,
        number_pool_settings__toll_free_weight="2",
        number_pool_settings__long_code_weight="8",
        number_pool_settings__geomatch=True,
    )
    assert support_client.post(_url(profile["id"]), data).status_code == 302

    assert _current(telnyx_settings, profile["id"])["number_pool_settings"] == {
        "toll_free_weight": 2,
        "long_code_weight": 8,
        "skip_unhealthy": False,
        "sticky_sender": False,
        "geomatch": True,
    }
    (entry,) = audit_entries(action="profile.update")
    assert set(entry.changes) == {"number_pool_settings"}
    assert entry.changes["number_pool_settings"]["before"] is None


def test_htmx_success_is_a_client_redirect(support_client, make_profile):
    profile = make_profile()
    data = _post_data(profile, name=f"{profile['name']} renamed")
    response = support_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("profiles:detail", args=[profile["id"]])


def test_nothing_changed_sends_nothing_and_records_nothing(
    support_client, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile()
    response = support_client.post(_url(profile["id"]), _post_data(profile), follow=True)

    assert response.redirect_chain[0][0] == reverse("profiles:detail", args=[profile["id"]])
    assert "No changes" in response.content.decode()
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert audit_entries() == []
    assert _current(telnyx_settings, profile["id"])["updated_at"] == profile["updated_at"]


def test_invalid_input_is_shown_beside_the_field_and_nothing_is_sent(
    support_manager_client, make_profile, sandbox_requests
):
    profile = make_profile()
    data = _post_data(profile, alpha_sender="TOO-LONG-SENDER!", daily_spend_limit="")
    response = support_manager_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-alpha_sender"' in html
    assert 'data-testid="error-daily_spend_limit"' in html
    assert 'value="TOO-LONG-SENDER!"' in html
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert audit_entries() == []


def test_the_destinations_rule_is_checked_before_sending(
    support_client, no_destinations_profile, sandbox_requests
):
    """The API requires destinations on update while the profile has none; the form says so first."""
    profile = no_destinations_profile
    data = _post_data(profile, mobile_only=not profile["mobile_only"])
    response = support_client.post(_url(profile["id"]), data)

    assert response.status_code == 200
    assert 'data-testid="error-whitelisted_destinations"' in response.content.decode()
    assert sandbox_requests(PATCH_ROUTE) == 0


def test_a_422_the_form_let_through_is_shown_kept_and_audited(support_client, make_profile, telnyx_settings):
    profile = make_profile()
    # Every third request fails: the view's GET and the write path's re-read pass, the PATCH gets the 422.
    telnyx_settings.set_faults(error_rate=1 / 3, error_status=422)
    data = _post_data(profile, webhook_url="https://hooks.example.com/mine")
    response = support_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in html
    assert "Injected fault" in html
    assert 'value="https://hooks.example.com/mine"' in html
    (entry,) = audit_entries(action="profile.update")
    assert entry.outcome == "failure"
    assert "ValidationFailed 422" in entry.error
    assert entry.changes == {
        "webhook_url": {
            "before": "https://hooks.example.com/before",
            "after": "https://hooks.example.com/mine",
        }
    }


def test_a_conflict_names_what_differs_and_keeps_the_input(
    support_client, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile()
    data = _post_data(profile, webhook_url="https://hooks.example.com/mine")
    # Someone else renames the profile between the user's GET and POST.
    telnyx_settings.patch(f"/messaging_profiles/{profile['id']}", json={"name": "Renamed elsewhere"})
    newer = _current(telnyx_settings, profile["id"])
    telnyx_settings.clear_stats()

    response = support_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="conflict"' in html
    assert "Someone changed this profile" in html
    now, yours = '<td data-label="Now at Telnyx">', '<td data-label="Your value (kept below)">'
    assert f'<th scope="row">Name</th>{now}<code>Renamed elsewhere</code></td>' in html
    assert (
        f'<th scope="row">Webhook URL</th>{now}<code>https://hooks.example.com/before</code></td>'
        f"{yours}<code>https://hooks.example.com/mine</code></td>" in html
    )
    assert 'value="https://hooks.example.com/mine"' in html  # the user's input is kept
    # The hidden stamp is NOT refreshed behind the user's back; only the overwrite button carries it.
    assert f'name="updated_at" value="{profile["updated_at"]}"' in html
    assert f'name="confirm_overwrite" value="{newer["updated_at"]}"' in html
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert _current(telnyx_settings, profile["id"])["name"] == "Renamed elsewhere"
    (entry,) = audit_entries(action="profile.update")
    assert entry.outcome == "failure"
    assert entry.error.startswith("StaleObject")
    assert entry.changes["name"] == {"before": "Renamed elsewhere", "after": profile["name"]}


def test_saving_anyway_after_a_conflict_writes_the_users_values(
    support_client, make_profile, telnyx_settings
):
    profile = make_profile()
    data = _post_data(profile, webhook_url="https://hooks.example.com/mine")
    telnyx_settings.patch(f"/messaging_profiles/{profile['id']}", json={"name": "Renamed elsewhere"})
    newer = _current(telnyx_settings, profile["id"])

    response = support_client.post(_url(profile["id"]), {**data, "confirm_overwrite": newer["updated_at"]})

    assert response.status_code == 302
    now = _current(telnyx_settings, profile["id"])
    assert now["webhook_url"] == "https://hooks.example.com/mine"
    assert now["name"] == profile["name"]
    entries = audit_entries(action="profile.update")
    assert [e.outcome for e in entries] == ["success"]


def test_saving_anyway_conflicts_again_if_the_profile_moved_once_more(
    support_client, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile()
    data = _post_data(profile, webhook_url="https://hooks.example.com/mine")
    telnyx_settings.patch(f"/messaging_profiles/{profile['id']}", json={"name": "Renamed elsewhere"})
    seen = _current(telnyx_settings, profile["id"])["updated_at"]
    telnyx_settings.patch(f"/messaging_profiles/{profile['id']}", json={"mobile_only": True})
    telnyx_settings.clear_stats()

    response = support_client.post(_url(profile["id"]), {**data, "confirm_overwrite": seen})

    assert response.status_code == 200
    assert 'data-testid="conflict"' in response.content.decode()
    assert sandbox_requests(PATCH_ROUTE) == 0


@pytest.mark.parametrize(
    ("faults", "title"),
    [
        # Every third request fails: the view's GET and the re-read pass, the PATCH does not; a 5xx or
        # a dropped connection is then read back (the fourth request), which shows it was not applied.
        ({"error_rate": 1 / 3, "error_status": 429, "retry_after_seconds": 30}, "Telnyx is rate-limiting us"),
        ({"error_rate": 1 / 3, "error_status": 503}, "The change was not applied"),
        ({"drop_rate": 1 / 3}, "The change was not applied"),
        # Every request fails: the view cannot even read the profile, and still keeps the input.
        ({"error_rate": 1.0, "error_status": 502}, "Telnyx is unavailable"),
    ],
)
def test_telnyx_failures_show_a_banner_and_keep_the_input(
    support_client, make_profile, telnyx_settings, faults, title
):
    profile = make_profile()
    telnyx_settings.set_faults(**faults)
    data = _post_data(profile, webhook_url="https://hooks.example.com/mine", alpha_sender="KEEPME")
    response = support_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="telnyx-banner"' in html
    assert title in html
    assert 'value="https://hooks.example.com/mine"' in html
    assert 'value="KEEPME"' in html


def test_a_plain_post_during_an_outage_is_a_503_with_the_input(support_client, make_profile, telnyx_settings):
    profile = make_profile()
    telnyx_settings.set_faults(error_rate=0.5, error_status=503)
    data = _post_data(profile, alpha_sender="KEEPME")
    response = support_client.post(_url(profile["id"]), data)

    # The view's read passes; the re-read is retried past the fault; the PATCH gets the 503 and the
    # read-back after it shows nothing changed.
    assert response.status_code == 503
    assert 'value="KEEPME"' in response.content.decode()
    assert "The change was not applied" in response.content.decode()
    (entry,) = audit_entries(action="profile.update")
    assert (entry.outcome, entry.resolution) == ("failure", "read_back")
    assert entry.error.startswith("ApiUnavailable 503")


def test_a_timeout_shows_a_banner_and_keeps_the_input(
    support_client, make_profile, telnyx_settings, settings
):
    profile = make_profile()
    settings.TELNYX_READ_TIMEOUT = 0.3
    telnyx_settings.set_faults(latency_ms=1000)
    data = _post_data(profile, alpha_sender="KEEPME")
    response = support_client.post(_url(profile["id"]), data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "did not answer in time" in html
    assert 'value="KEEPME"' in html


def test_a_profile_deleted_meanwhile_gives_a_message_and_the_list(
    support_client, make_profile, telnyx_settings
):
    profile = make_profile()
    data = _post_data(profile, alpha_sender="LATE")
    telnyx_settings.delete(f"/messaging_profiles/{profile['id']}")

    response = support_client.post(_url(profile["id"]), data, follow=True)

    assert response.redirect_chain[0][0] == reverse("profiles:list")
    assert "no longer exists" in response.content.decode()


@pytest.mark.parametrize("client_name", ["account_manager_client", "auditor_client"])
def test_other_roles_may_not_edit(request, client_name, make_profile, sandbox_requests):
    profile = make_profile()
    client = request.getfixturevalue(client_name)
    assert client.get(_url(profile["id"])).status_code == 403
    assert client.post(_url(profile["id"]), _post_data(profile, alpha_sender="NOPE")).status_code == 403
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert sandbox_requests("GET /v2/messaging_profiles/{id}") == 0


def test_a_rename_forgets_the_cached_profile_directory(support_client, make_profile):
    profile = make_profile()
    directory.profile_directory()  # built from the sandbox and cached
    assert directory.cached_directory() is not None
    data = _post_data(profile, name=f"{profile['name']} (renamed)")
    assert support_client.post(_url(profile["id"]), data).status_code == 302
    assert directory.cached_directory() is None


# --- the use case on its own ----------------------------------------------------------------------


def test_the_use_case_checks_the_stamp_itself_when_not_given_the_profile(
    support_client, make_profile, telnyx_settings, sandbox_requests
):
    profile = make_profile(alpha_sender="OLD")
    request = support_client.get(_url(profile["id"])).wsgi_request
    telnyx_settings.clear_stats()

    with pytest.raises(errors.StaleObject) as caught:
        services.profile_update(
            actor=request.user,
            audit=AuditContext.of(request),
            profile_id=profile["id"],
            changes={"alpha_sender": "NEW", "enabled": profile["enabled"]},
            expected_updated_at="2001-01-01T00:00:00.000Z",
        )

    # Only the field whose current value differs from the wanted one is named.
    assert caught.value.changed_fields == ("alpha_sender",)
    assert caught.value.current.updated_at == profile["updated_at"]
    assert sandbox_requests("GET /v2/messaging_profiles/{id}") == 1
    assert sandbox_requests(PATCH_ROUTE) == 0
    (entry,) = audit_entries(action="profile.update")
    assert entry.outcome == "failure"
    assert entry.changes["alpha_sender"] == {"before": "OLD", "after": "NEW"}


def test_the_use_case_sends_and_records_nothing_for_no_changes(
    support_client, make_profile, sandbox_requests
):
    profile = make_profile()
    request = support_client.get(_url(profile["id"])).wsgi_request

    result = services.profile_update(
        actor=request.user,
        audit=AuditContext.of(request),
        profile_id=profile["id"],
        changes={},
        expected_updated_at=profile["updated_at"],
    )

    assert result.profile.id == profile["id"] and not result.sent
    assert sandbox_requests(PATCH_ROUTE) == 0
    assert audit_entries() == []


def test_the_use_case_records_a_404_as_a_failed_attempt(support_client, telnyx_settings):
    missing = str(uuid.uuid4())
    request = support_client.get(reverse("profiles:create")).wsgi_request
    with pytest.raises(errors.NotFound):
        services.profile_update(
            actor=request.user,
            audit=AuditContext.of(request),
            profile_id=missing,
            changes={"mobile_only": True},
            expected_updated_at="x",
        )
    (entry,) = audit_entries(action="profile.update")
    assert (entry.object_id, entry.outcome) == (missing, "failure")
    assert entry.error.startswith("NotFound 404")


def test_destinations_in_another_order_are_not_a_change(support_client, make_profile, sandbox_requests):
    """Browsers post a multi-select in option order (CA before US); the API keeps its own order."""
    profile = make_profile(whitelisted_destinations=["US", "CA"])
    reordered = _post_data(profile, whitelisted_destinations=["CA", "US"])
    response = support_client.post(_url(profile["id"]), reordered, follow=True)
    assert "No changes" in response.content.decode()
    assert sandbox_requests(PATCH_ROUTE) == 0

    data = _post_data(profile, whitelisted_destinations=["CA", "US"], alpha_sender="ONLY")
    support_client.post(_url(profile["id"]), data)
    (entry,) = audit_entries(action="profile.update")
    assert set(entry.changes) == {"alpha_sender"}
