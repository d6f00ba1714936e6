"""Duplicate a profile (`profiles:duplicate`): the create form filled in from another profile, against the
live sandbox, and the audit entry of the create naming its source."""

from __future__ import annotations

import uuid

import pytest

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

CREATE_ROUTE = "POST /v2/messaging_profiles"

SETTINGS = {
    "whitelisted_destinations": ["US", "CA"],
    "webhook_url": "https://hooks.example.com/source",
    "webhook_api_version": "1",
    "alpha_sender": "ACME",
    "mobile_only": True,
    "number_pool_settings": {
        "toll_free_weight": 2,
        "long_code_weight": 1,
        "skip_unhealthy": True,
        "sticky_sender": False,
        "geomatch": True,
    },
    "daily_spend_limit": "75.00",
    "daily_spend_limit_enabled": True,
}


@pytest.fixture
def source(sandbox_profile, telnyx_settings) -> dict:
    return sandbox_profile(name=f"Source {uuid.uuid4().hex[:8]}", **SETTINGS)


def _url(profile: dict) -> str:
    return f"/profiles/{profile['id']}/duplicate/"


def _post_data(form) -> dict:
    """What the browser would submit for the form as rendered (unchecked boxes are left out)."""
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value in (False, None):
            continue
        else:
            data[name] = value
    return data


def test_it_fills_in_the_create_form_from_the_profile(support_client, source):
    response = support_client.get(_url(source))
    assert response.status_code == 200
    form = response.context["form"]
    values = {name: form[name].value() for name in form.fields}
    assert values["name"] == f"{source['name']} (copy)"
    assert values["webhook_url"] == SETTINGS["webhook_url"]
    assert values["webhook_api_version"] == "1"
    assert values["alpha_sender"] == "ACME"
    assert sorted(values["whitelisted_destinations"]) == ["CA", "US"]
    assert values["mobile_only"] is True
    assert values["number_pool_enabled"] is True
    assert values["number_pool_settings__geomatch"] is True
    # Support staff may not set spend limits: not in the form, so neither shown nor sent.
    assert "daily_spend_limit" not in form.fields and "daily_spend_limit_enabled" not in form.fields
    page = response.content.decode()
    assert 'data-testid="duplicate-of"' in page
    # Never the id, secret or timestamps as values to send.
    assert source["v1_secret"] not in page
    for name in ("id", "v1_secret", "created_at", "updated_at"):
        assert f'name="{name}"' not in page


def test_the_spend_limit_is_copied_for_those_who_may_set_it(support_manager_client, source):
    form = support_manager_client.get(_url(source)).context["form"]
    assert form["daily_spend_limit"].value() == "75.00"
    assert form["daily_spend_limit_enabled"].value() is True


def test_creating_the_duplicate_records_its_source(support_client, source, sandbox):
    form = support_client.get(_url(source)).context["form"]
    response = support_client.post(_url(source), _post_data(form))
    assert response.status_code == 302, response.context and response.context["form"].errors
    copies = sandbox.get(
        "/messaging_profiles", params={"filter[name][eq]": f"{source['name']} (copy)"}
    ).json()["data"]
    assert len(copies) == 1
    copy = copies[0]
    assert response["Location"] == f"/profiles/{copy['id']}/"
    assert copy["id"] != source["id"] and copy["v1_secret"] != source["v1_secret"]
    assert copy["webhook_url"] == SETTINGS["webhook_url"]
    assert copy["number_pool_settings"]["geomatch"] is True
    # The copy was made by someone who may not set spend limits: the API's default, not the source's.
    assert copy["daily_spend_limit"] != "75.00"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.outcome) == ("profile.create", copy["id"], "success")
    assert entry.intent["source_profile_id"] == source["id"]
    sandbox.delete(f"/messaging_profiles/{copy['id']}")


def test_the_audit_log_and_history_say_what_it_duplicates(support_client, auditor_client, source, sandbox):
    form = support_client.get(_url(source)).context["form"]
    support_client.post(_url(source), _post_data(form))
    entry = AuditEntry.objects.get()
    for page in (
        auditor_client.get("/audit/").content.decode(),
        support_client.get(f"/audit/history/messaging_profile/{entry.object_id}/").content.decode(),
    ):
        assert "Duplicated from profile" in page
        assert f'href="/profiles/{source["id"]}/"' in page
    sandbox.delete(f"/messaging_profiles/{entry.object_id}")


def test_a_vanished_source_is_a_404(support_client, telnyx_settings):
    assert support_client.get(f"/profiles/{uuid.uuid4()}/duplicate/").status_code == 404


@pytest.mark.parametrize("client", ["auditor_client", "account_manager_client"])
def test_only_those_who_may_create_profiles_may_duplicate(request, client, source, sandbox):
    other = request.getfixturevalue(client)
    before = sandbox.stats()["requests"].get(CREATE_ROUTE, 0)
    assert other.get(_url(source)).status_code == 403
    assert other.post(_url(source), {"name": "Nope", "whitelisted_destinations": ["US"]}).status_code == 403
    assert sandbox.stats()["requests"].get(CREATE_ROUTE, 0) == before
