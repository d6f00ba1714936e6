"""The create page (`profiles:create`) against the live sandbox: form, success, every failure path."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

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
        "daily_spend_limit": "50.25",
        "daily_spend_limit_enabled": "on",
    }
    data.update(overrides)
    return data


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
        "Spend limit",
        "URL shortener",
        "MMS and encoding",
    ):
        assert f"<legend>{legend}</legend>" in html
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
    assert created["daily_spend_limit"] == "50.25"
    assert created["daily_spend_limit_enabled"] is True
    assert created["whitelisted_destinations"] == ["US", "GB"]
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
    assert entry.changes["daily_spend_limit"] == {"before": None, "after": "50.25"}
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
    support_client, telnyx_settings, sandbox_requests
):
    data = _valid(daily_spend_limit="12,50", webhook_url="ftp://nope")
    response = support_client.post(URL, data)

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
    response = support_client.post(URL, _valid(daily_spend_limit="-1"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="profile-form"')
    assert "<html" not in html
    assert 'data-testid="error-daily_spend_limit"' in html


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
    payload = {**form.to_payload(), "webhook_url": "not a url", "daily_spend_limit": 12}
    request = support_client.get(URL).wsgi_request

    with pytest.raises(errors.ValidationFailed) as caught:
        services.profile_create(request=request, fields=payload)

    add_api_errors(form, caught.value)
    assert set(form.errors) >= {"webhook_url", "daily_spend_limit"}
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == "failure"
    assert "/webhook_url" in entry.error and "/daily_spend_limit" in entry.error


@pytest.mark.parametrize(
    ("faults", "title"),
    [
        ({"error_rate": 1.0, "error_status": 429, "retry_after_seconds": 30}, "Telnyx is rate-limiting us"),
        ({"error_rate": 1.0, "error_status": 503}, "Telnyx is unavailable"),
        ({"error_rate": 1.0, "error_status": 500}, "Telnyx is unavailable"),
        ({"drop_rate": 1.0}, "Telnyx is unavailable"),
    ],
)
def test_telnyx_failures_show_a_banner_and_keep_the_input(support_client, telnyx_settings, faults, title):
    telnyx_settings.set_faults(**faults)
    data = _valid(alpha_sender="ACME")
    response = support_client.post(URL, data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="telnyx-banner"' in html
    assert title in html
    assert f'value="{data["name"]}"' in html
    assert 'value="ACME"' in html
    assert 'value="50.25"' in html
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == "failure"


def test_a_plain_post_that_is_rate_limited_says_when_to_retry(support_client, telnyx_settings):
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=30)
    data = _valid()
    response = support_client.post(URL, data)

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Retry in 30 s." in html
    assert f'value="{data["name"]}"' in html


def test_a_timeout_shows_a_banner_and_keeps_the_input(support_client, telnyx_settings, settings):
    settings.TELNYX_READ_TIMEOUT = 0.3
    telnyx_settings.set_faults(latency_ms=1200)
    data = _valid()
    response = support_client.post(URL, data, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "did not answer in time" in html
    assert f'value="{data["name"]}"' in html
    (entry,) = audit_entries(action="profile.create")
    assert entry.outcome == "failure"
    assert "RequestTimeout" in entry.error


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
