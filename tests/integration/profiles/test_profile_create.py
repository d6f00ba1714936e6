"""The create page (`profiles:create`) against the live sandbox: form, success, every failure path."""

from __future__ import annotations

import time
import uuid

import pytest
from django.urls import reverse

from audit.context import AuditContext
from profiles import directory, services
from profiles.forms import ProfileCreateForm
from telnyx_admin.forms import add_api_errors
from telnyx_admin.telnyx import errors
from tests.fixtures.profile_writes import audit_entries

pytestmark = pytest.mark.django_db

URL = "/profiles/new/"
CREATE_ROUTE = "POST /v2/messaging_profiles"


def _valid(**overrides):
    data = {
        "name": f"Created {uuid.uuid4().hex[:8]}",
        "enabled": "on",
        "whitelisted_destinations": ["US", "GB"],
        "webhook_url": "https://hooks.example.com/created",
        "webhook_api_version": "2",
        "alpha_sender": "ACME",
    }
    data.update(overrides)
    return data


SPEND_LIMIT = {"daily_spend_limit": "50.25", "daily_spend_limit_enabled": "on"}


def _profiles_named(sandbox, name):
    return sandbox.get("/messaging_profiles", params={"filter[name][eq]": name}).json()["data"]


def test_url_name_and_path():
    assert reverse("profiles:create") == URL


def test_it_shows_the_grouped_form(support_client, telnyx_settings):
    response = support_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for legend in (
        "General",
        "Webhooks",
        "Outbound",
        "Number pool",
        "URL shortener",
        "MMS and encoding",
    ):
        assert f"<legend>{legend}</legend>" in html
    # Spend limits belong to account managers: not even shown to support staff.
    assert "<legend>Spend limit</legend>" not in html
    assert 'name="daily_spend_limit"' not in html
    # Number pool and URL shortener are off by default: their fields start hidden.
    assert 'id="fieldset-number-pool" class="form-group" hidden' in html
    assert 'id="fieldset-url-shortener" class="form-group" hidden' in html
    assert 'data-reveals="fieldset-number-pool"' in html
    assert "/static/js/reveal-toggle.js" in html
    assert "<script>" not in html  # no inline script: the CSP is nonce-only


def test_it_creates_and_redirects_to_the_detail_page(support_client, telnyx_settings, sandbox_requests):
    data = _valid()
    response = support_client.post(URL, data)

    (created,) = _profiles_named(telnyx_settings, data["name"])
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:detail", args=[created["id"]])
    assert created["whitelisted_destinations"] == ["US", "GB"]
    assert created["alpha_sender"] == "ACME"
    assert sandbox_requests(CREATE_ROUTE) == 1
    page = support_client.get(response["Location"])
    assert (
        f"The messaging profile &quot;{data['name']}&quot; was created successfully." in page.content.decode()
    )


def test_it_records_one_success_entry_with_after_values(support_client, support_user, telnyx_settings):
    data = _valid()
    support_client.post(URL, data)

    (created,) = _profiles_named(telnyx_settings, data["name"])
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == "success"
    assert entry.object_id == created["id"]
    assert entry.object_label == data["name"]
    assert entry.actor == support_user
    assert entry.changes["name"] == {"before": None, "after": data["name"]}
    assert "daily_spend_limit" not in entry.changes
    assert entry.changes["whitelisted_destinations"] == {"before": None, "after": ["US", "GB"]}
    assert entry.changes["number_pool_settings"] == {"before": None, "after": None}


def test_htmx_success_is_a_client_redirect(support_client, telnyx_settings):
    data = _valid()
    response = support_client.post(URL, data, headers={"HX-Request": "true"})

    (created,) = _profiles_named(telnyx_settings, data["name"])
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("profiles:detail", args=[created["id"]])


def test_it_sends_the_number_pool_when_toggled_on(support_client, telnyx_settings):
    data = _valid(
        number_pool_enabled="on",
        number_pool_settings__toll_free_weight="3",
        number_pool_settings__long_code_weight="1.5",
        number_pool_settings__skip_unhealthy="on",
    )
    support_client.post(URL, data)

    (created,) = _profiles_named(telnyx_settings, data["name"])
    assert created["number_pool_settings"] == {
        "toll_free_weight": 3,
        "long_code_weight": 1.5,
        "skip_unhealthy": True,
        "sticky_sender": False,
        "geomatch": False,
    }


def test_invalid_input_is_shown_beside_the_field_and_nothing_is_sent(
    support_manager_client, telnyx_settings, sandbox_requests
):
    data = _valid(daily_spend_limit="12,50", webhook_url="ftp://nope")
    response = support_manager_client.post(URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-daily_spend_limit"' in html
    assert 'data-testid="error-webhook_url"' in html
    assert 'value="12,50"' in html  # the input is kept
    assert f'value="{data["name"]}"' in html
    assert sandbox_requests(CREATE_ROUTE) == 0
    # Nothing was attempted at Telnyx, so nothing is audited.
    assert audit_entries() == []


def test_htmx_invalid_returns_only_the_form(support_client, telnyx_settings):
    response = support_client.post(
        URL, _valid(alpha_sender="far too long a sender"), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="profile-form"')
    assert "<html" not in html
    assert 'data-testid="error-alpha_sender"' in html


def test_a_422_the_form_let_through_is_shown_and_audited(support_client, telnyx_settings):
    telnyx_settings.set_faults(error_rate=1.0, error_status=422)
    data = _valid()
    response = support_client.post(URL, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in html
    assert "Injected fault" in html  # the API's own message, at the top of the form
    assert f'value="{data["name"]}"' in html
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == "failure"
    assert entry.object_id == ""
    assert entry.object_label == data["name"]
    assert "ValidationFailed 422" in entry.error
    assert entry.changes["name"]["after"] == data["name"]


def test_a_422_pointer_from_the_api_lands_beside_its_field(support_client, telnyx_settings):
    """The form mirrors the API, so a real 422 needs a payload the form would never send: bypass it
    through the use case, then map the API's answer onto the form the user would have filled in."""
    data = _valid(webhook_url="https://hooks.example.com/ok")
    form = ProfileCreateForm(data)
    assert form.is_valid()
    payload = {**form.to_payload(), "webhook_url": "not a url", "alpha_sender": "!!"}
    request = support_client.get(URL).wsgi_request

    with pytest.raises(errors.ValidationFailed) as caught:
        services.profile_create(actor=request.user, audit=AuditContext.of(request), fields=payload)

    add_api_errors(form, caught.value)
    assert set(form.errors) >= {"webhook_url", "alpha_sender"}
    (entry,) = audit_entries(action="profile.create")
    assert (entry.outcome, entry.resolution) == ("failure", "answered")
    assert "/webhook_url" in entry.error and "/alpha_sender" in entry.error


@pytest.mark.parametrize(
    ("faults", "title", "outcome"),
    [
        # A 429 is refused before processing: a failure, said at once.
        (
            {"error_rate": 1.0, "error_status": 429, "retry_after_seconds": 30},
            "Telnyx is rate-limiting us",
            "failure",
        ),
        # A 5xx or a dropped connection may hide an applied write; with Telnyx failing the read-back
        # too, nobody can tell yet: the entry stays open, and the page says so.
        (
            {"error_rate": 1.0, "error_status": 503},
            "We do not know yet whether the change was applied",
            "unknown",
        ),
        (
            {"error_rate": 1.0, "error_status": 500},
            "We do not know yet whether the change was applied",
            "unknown",
        ),
        ({"drop_rate": 1.0}, "We do not know yet whether the change was applied", "unknown"),
    ],
)
def test_telnyx_failures_show_a_banner_and_keep_the_input(
    support_client, telnyx_settings, faults, title, outcome
):
    telnyx_settings.set_faults(**faults)
    data = _valid(alpha_sender="ACME")
    response = support_client.post(URL, data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="telnyx-banner"' in html
    assert title in html
    assert f'value="{data["name"]}"' in html
    assert 'value="ACME"' in html
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == outcome
    assert entry.is_open == (outcome == "unknown")


def test_a_server_error_read_back_as_not_applied_is_a_failure_you_may_retry(support_client, telnyx_settings):
    # Every second request fails: the create gets the 500, the read-back that follows gets through.
    telnyx_settings.set_faults(error_rate=0.5, error_status=500)
    telnyx_settings.get("/messaging_profiles", params={"page[size]": 1})  # uses up the one that passes
    data = _valid()
    response = support_client.post(URL, data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "The change was not applied" in html
    assert "you can save again" in html
    (entry,) = audit_entries(action="profile.create")
    assert (entry.outcome, entry.resolution) == ("failure", "read_back")
    telnyx_settings.clear_faults()
    assert _profiles_named(telnyx_settings, data["name"]) == []


def test_a_plain_post_that_is_rate_limited_says_when_to_retry(support_client, telnyx_settings):
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=30)
    data = _valid()
    response = support_client.post(URL, data)

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Retry in 30 s." in html
    assert f'value="{data["name"]}"' in html


def test_a_timeout_is_an_unknown_outcome_resolved_later_and_never_duplicated(
    support_client, telnyx_settings, settings
):
    """The sandbox applies the create after its latency, but the answer comes too late: the page must
    not say "failed" (the profile exists), a second submit must not create a second one, and
    reconcile_writes later records what happened."""
    settings.TELNYX_READ_TIMEOUT = 0.3
    telnyx_settings.set_faults(latency_ms=1200)
    data = _valid()
    response = support_client.post(URL, data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "We do not know yet whether the change was applied" in html
    # There is no profile to open yet: the page says where it would show up and what settles it.
    assert (
        f"Do not create it again: in a minute, search the messaging profile list for “{data['name']}”."
        in html
    )
    assert "reconcile_writes" in html
    assert f'value="{data["name"]}"' in html
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == "unknown" and entry.is_open
    assert entry.intent["op"] == "create"

    # The user presses Save again while Telnyx is still slow: nothing is sent, the page says why.
    time.sleep(1.0)  # let the slow create land at the sandbox
    telnyx_settings.clear_faults()
    settings.TELNYX_READ_TIMEOUT = 10
    again = support_client.post(URL, data, headers={"HX-Request": "true"})
    (created,) = _profiles_named(telnyx_settings, data["name"])
    assert 'data-testid="duplicate"' in again.content.decode()
    assert reverse("profiles:detail", args=[created["id"]]) in again.content.decode()
    # Reading back for the duplicate check resolved the first entry: the create was applied.
    entry.refresh_from_db()
    assert (entry.outcome, entry.resolution, entry.object_id) == ("success", "read_back", created["id"])
    assert len(audit_entries(action="profile.create")) == 1


@pytest.mark.parametrize("client_name", ["account_manager_client", "auditor_client"])
def test_other_roles_may_not_create(request, client_name, telnyx_settings, sandbox_requests):
    client = request.getfixturevalue(client_name)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _valid()).status_code == 403
    assert sandbox_requests(CREATE_ROUTE) == 0
    assert audit_entries() == []


def test_anonymous_is_sent_to_sign_in(client, telnyx_settings):
    response = client.post(URL, _valid())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_rejects_other_methods(support_client):
    assert support_client.put(URL).status_code == 405


def test_a_create_forgets_the_cached_profile_directory(support_client, telnyx_settings):
    directory.profile_directory()  # built from the sandbox and cached
    assert directory.cached_directory() is not None
    assert support_client.post(URL, _valid()).status_code == 302
    assert directory.cached_directory() is None


def test_a_failed_create_keeps_the_cached_profile_directory(support_client, telnyx_settings):
    directory.profile_directory()  # built from the sandbox and cached
    assert directory.cached_directory() is not None
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    support_client.post(URL, _valid())
    assert directory.cached_directory() is not None


def test_a_rejected_api_key_shows_a_banner_without_the_key(support_client, telnyx_settings, settings):
    settings.TELNYX_API_KEY = "wrong-key-that-must-not-leak"
    data = _valid()
    response = support_client.post(URL, data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Telnyx refused our credentials" in html
    assert f'value="{data["name"]}"' in html
    assert "wrong-key-that-must-not-leak" not in html
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == "failure" and entry.error.startswith("AuthFailed 401")
    assert "wrong-key-that-must-not-leak" not in entry.error


def test_an_account_manager_in_support_sets_the_limit_as_a_spend_limit_write(
    support_manager_client, telnyx_settings
):
    response = support_manager_client.get(URL)
    assert "<legend>Spend limit</legend>" in response.content.decode()
    data = _valid(**SPEND_LIMIT)
    response = support_manager_client.post(URL, data)

    (created,) = _profiles_named(telnyx_settings, data["name"])
    assert response.status_code == 302
    assert (created["daily_spend_limit"], created["daily_spend_limit_enabled"]) == ("50.25", True)
    (create,) = audit_entries(action="profile.create")
    (limit,) = audit_entries(action="profile.spend_limit")
    assert "daily_spend_limit" not in create.changes
    assert limit.object_id == created["id"] and limit.outcome == "success"
    assert limit.changes["daily_spend_limit"]["after"] == "50.25"
    assert limit.changes["daily_spend_limit_enabled"] == {"before": False, "after": True}


def test_support_staff_posting_spend_limit_fields_send_nothing_of_them(support_client, telnyx_settings):
    data = _valid(daily_spend_limit="7777", daily_spend_limit_enabled="on")
    assert support_client.post(URL, data).status_code == 302

    (created,) = _profiles_named(telnyx_settings, data["name"])
    assert created["daily_spend_limit"] != "7777"
    assert created["daily_spend_limit_enabled"] is False
    assert audit_entries(action="profile.spend_limit") == []


def test_a_second_create_with_the_same_name_shows_the_first_and_can_be_confirmed(
    support_client, telnyx_settings
):
    data = _valid()
    first = support_client.post(URL, data)
    assert first.status_code == 302
    again = support_client.post(URL, data)
    html = again.content.decode()
    assert again.status_code == 200
    assert "You created a profile with this name moments ago" in html
    assert first["Location"] in html
    assert len(_profiles_named(telnyx_settings, data["name"])) == 1
    # Names need not be unique: the user may insist, and then a second one is made.
    confirmed = support_client.post(URL, {**data, "confirm_duplicate": "1"})
    assert confirmed.status_code == 302
    assert len(_profiles_named(telnyx_settings, data["name"])) == 2


def test_another_user_may_create_the_same_name(support_client, support_manager_client, telnyx_settings):
    data = _valid()
    assert support_client.post(URL, data).status_code == 302
    assert support_manager_client.post(URL, data).status_code == 302
    assert len(_profiles_named(telnyx_settings, data["name"])) == 2
