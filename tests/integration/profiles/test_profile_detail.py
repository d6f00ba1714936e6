"""The profile detail page (/profiles/<id>/) against the live sandbox: every field, masking, tabs, 404."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _dashboard_uses_sandbox(telnyx_settings):
    return telnyx_settings


def _all_profiles(sandbox) -> list[dict]:
    return sandbox.get("/messaging_profiles", params={"page[size]": 250}).json()["data"]


def _profile_where(sandbox, predicate) -> dict:
    found = [profile for profile in _all_profiles(sandbox) if predicate(profile)]
    assert found, "the sandbox seed should contain such a profile"
    return found[0]


def _url(profile_id: str) -> str:
    return f"/profiles/{profile_id}/"


def _text(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed, for label/value assertions; a URL's
    <wbr> (where it may wrap) joins its parts rather than spacing them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.replace("<wbr>", "")))


def test_it_works(support_client, sandbox):
    profile = sandbox.profile_named("Acme Bulk Notifications")
    response = support_client.get(_url(profile["id"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{escape(profile['name'])}</h1>" in html
    for group in (
        "General",
        "Webhooks",
        "Outbound",
        "Spend limit",
        "URL shortener",
        "MMS and encoding",
        "Redaction",
        "Identifiers and timestamps",
    ):
        assert f">{group}</h2>" in html


def test_it_shows_every_field_with_its_value(support_client, sandbox):
    profile = _profile_where(
        sandbox,
        lambda p: p["number_pool_settings"] and p["url_shortener_settings"] and p["webhook_url"],
    )
    text = _text(support_client.get(_url(profile["id"])).content.decode())
    yes_no = {True: "Yes", False: "No"}
    pool, shortener = profile["number_pool_settings"], profile["url_shortener_settings"]
    expected = [
        f"Name {profile['name']}",
        f"Enabled {yes_no[profile['enabled']]}",
        f"Webhook URL {profile['webhook_url']}",
        f"Failover URL {profile['webhook_failover_url'] or '—'}",
        f"API version {profile['webhook_api_version']}",
        f"Health webhook URL {profile['health_webhook_url'] or '—'}",
        f"Alpha sender {profile['alpha_sender'] or '—'}",
        f"Mobile numbers only {yes_no[profile['mobile_only']]}",
        f"Toll-free weight {pool['toll_free_weight']}",
        f"Long code weight {pool['long_code_weight']}",
        f"Skip unhealthy numbers {yes_no[pool['skip_unhealthy']]}",
        f"Sticky sender {yes_no[pool['sticky_sender']]}",
        f"Geomatch {yes_no[pool['geomatch']]}",
        f"Daily spend limit USD {Decimal(profile['daily_spend_limit']):,.2f}",
        f"Enforced {yes_no[profile['daily_spend_limit_enabled']]}",
        f"Domain {shortener['domain']}",
        f"Replace blacklisted links only {yes_no[shortener['replace_blacklist_only']]}",
        f"Send webhooks {yes_no[shortener['send_webhooks']]}",
        f"Fall back to SMS {yes_no[profile['mms_fall_back_to_sms']]}",
        f"MMS transcoding {yes_no[profile['mms_transcoding']]}",
        f"Smart encoding {yes_no[profile['smart_encoding']]}",
        f"Redaction {'On' if profile['redaction_enabled'] else 'Off'}",
        f"Redaction level {profile['redaction_level']}",
        f"Profile id {profile['id']}",
        f"Organization id {profile['organization_id']}",
        f"AI assistant id {profile['ai_assistant_id'] or '—'}",
        f"Resource group id {profile['resource_group_id'] or '—'}",
    ]
    for line in expected:
        assert escape(line) in text or line in text, line
    if profile["whitelisted_destinations"] == ["*"]:
        assert "All destinations (*)" in text
    else:
        for code in profile["whitelisted_destinations"]:
            assert code in text


def test_switched_off_settings_read_off(support_client, sandbox):
    profile = _profile_where(
        sandbox, lambda p: p["number_pool_settings"] is None and p["url_shortener_settings"] is None
    )
    text = _text(support_client.get(_url(profile["id"])).content.decode())
    assert "Number pool Off" in text
    assert "URL shortener Status Off" in text


def test_a_profile_without_destinations_says_so(support_client, sandbox):
    profile = sandbox.profile_named("Legacy Import (destinations pending)")
    text = _text(support_client.get(_url(profile["id"])).content.decode())
    assert "None: outbound messages are blocked until some are set" in text


def test_v1_secret_never_reaches_the_page(support_client, sandbox):
    profile = sandbox.profile_named("Acme Bulk Notifications")
    secret = profile["v1_secret"]
    assert len(secret) >= 8
    html = support_client.get(_url(profile["id"])).content.decode()
    assert secret not in html
    assert secret[-4:] not in html  # not even a hint of it
    assert "set (hidden)" in html


def test_the_phone_numbers_tab_loads_by_htmx(support_client, sandbox):
    profile = sandbox.profile_named("Acme Bulk Notifications")
    html = support_client.get(_url(profile["id"])).content.decode()
    numbers_url = f"/profiles/{profile['id']}/phone-numbers/"
    assert f'hx-get="{numbers_url}" hx-trigger="load"' in html
    assert 'role="tab"' in html and 'id="tab-panel"' in html


def test_the_history_tab_loads_the_audit_partial(support_client, sandbox):
    profile = sandbox.profile_named("Acme Bulk Notifications")
    html = support_client.get(_url(profile["id"])).content.decode()
    history_url = reverse("audit:history", args=["messaging_profile", profile["id"]])
    assert f'hx-get="{history_url}"' in html
    tab = support_client.get(history_url, **HTMX)
    assert tab.status_code == 200
    assert 'id="history"' in tab.content.decode()


def test_the_short_codes_tab_loads_by_htmx(support_client, sandbox):
    profile = sandbox.profile_named("Acme Bulk Notifications")
    short_codes_url = reverse("profiles:short_codes", args=[profile["id"]])
    html = support_client.get(_url(profile["id"])).content.decode()
    assert f'hx-get="{short_codes_url}"' in html
    assert support_client.get(short_codes_url, **HTMX).status_code == 200


def test_one_telnyx_call_for_the_page(support_client, sandbox):
    profile_id = sandbox.profile_named("Acme Bulk Notifications")["id"]
    sandbox.clear_stats()
    response = support_client.get(_url(profile_id))
    assert 'desc="1 call"' in response["Server-Timing"]
    assert sandbox.stats()["requests"] == {"GET /v2/messaging_profiles/{id}": 1}


def test_an_unknown_profile_is_the_sites_404(support_client, sandbox):
    response = support_client.get(_url(str(uuid.uuid4())))
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-404"' in html and "<nav" in html


def test_an_id_that_is_no_uuid_is_404_without_asking_telnyx(support_client, sandbox):
    response = support_client.get("/profiles/not-a-profile-id/")
    assert response.status_code == 404
    assert sandbox.stats()["total_requests"] == 0


def test_an_uppercase_id_is_the_same_profile(support_client, sandbox):
    profile = sandbox.profile_named("Acme Bulk Notifications")
    response = support_client.get(_url(profile["id"].upper()))
    assert response.status_code == 200
    assert profile["id"] in response.content.decode()


def test_an_outage_shows_the_banner(support_client, telnyx_settings):
    profile_id = telnyx_settings.profile_named("Acme Bulk Notifications")["id"]
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    response = support_client.get(_url(profile_id))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Telnyx is unavailable" in html
    assert f'href="/profiles/{profile_id}/"' in html


def test_a_rate_limit_shows_retry_in(support_client, telnyx_settings, settings):
    settings.TELNYX_MAX_RETRY_AFTER = 1
    profile_id = telnyx_settings.profile_named("Acme Bulk Notifications")["id"]
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=12)
    response = support_client.get(_url(profile_id))
    assert response.status_code == 429
    assert "Retry in 12 s." in response.content.decode()


def _action_links(html: str) -> set[str]:
    actions = html[html.index('data-testid="profile-actions"') :]
    actions = actions[: actions.index("</div>")]
    return set(re.findall(r">([^<>]+)</a>", actions))


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (
            "support_client",
            {
                "profiles:edit": "Edit settings",
                "profiles:duplicate": "Duplicate",
                "profiles:delete": "Delete",
            },
        ),
        ("account_manager_client", {"profiles:spend_limit": "Change spend limit"}),
        ("auditor_client", {}),
        (
            "superuser_client",
            {
                "profiles:edit": "Edit settings",
                "profiles:duplicate": "Duplicate",
                "profiles:delete": "Delete",
                "profiles:spend_limit": "Change spend limit",
            },
        ),
    ],
)
def test_action_buttons_follow_permissions(request, sandbox, who, allowed):
    profile_id = sandbox.profile_named("Acme Bulk Notifications")["id"]
    html = request.getfixturevalue(who).get(_url(profile_id)).content.decode()
    assert _action_links(html) == set(allowed.values())
    for name, label in allowed.items():
        assert f'href="{reverse(name, args=[profile_id])}">{label}</a>' in html


@pytest.mark.parametrize("who", ["support_client", "account_manager_client", "auditor_client"])
def test_every_role_may_view(request, sandbox, who):
    profile_id = sandbox.profile_named("Acme Bulk Notifications")["id"]
    assert request.getfixturevalue(who).get(_url(profile_id)).status_code == 200


def test_it_requires_a_role(groupless_client, sandbox):
    profile_id = sandbox.profile_named("Acme Bulk Notifications")["id"]
    sandbox.clear_stats()
    assert groupless_client.get(_url(profile_id)).status_code == 403
    assert sandbox.stats()["total_requests"] == 0
