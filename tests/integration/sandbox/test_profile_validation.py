"""Every validation rule for messaging profiles, accepted and rejected, on create and on update.

The same field table runs against POST /messaging_profiles (merged into a valid body) and
PATCH /messaging_profiles/{id} (sent alone). Each rejection must be a 422 carrying exactly one
Telnyx error with the expected code and JSON pointer.
"""

import pytest

TITLES = {
    "10003": "Invalid URL",
    "10004": "Missing required parameter",
    "10015": "Bad Request",
    "10020": "Invalid resource type",
}
LONGEST_URL = "https://example.com/" + "a" * (2000 - len("https://example.com/"))

# (fields, expected value of the field in the response: the sent value unless given)
ACCEPTED = [
    pytest.param({"name": "Support line"}, id="name"),
    pytest.param({"name": "  Café Zürich: Bestellungen  "}, id="name-unicode-padded"),
    pytest.param({"whitelisted_destinations": ["US", "CA", "GB"]}, id="destinations-codes"),
    pytest.param({"whitelisted_destinations": ["AQ"]}, id="destinations-rare-code"),
    pytest.param({"whitelisted_destinations": ["*"]}, id="destinations-wildcard"),
    pytest.param({"enabled": False}, id="enabled"),
    pytest.param({"webhook_url": "https://hooks.example.com/telnyx?x=1"}, id="webhook-url"),
    pytest.param({"webhook_url": "http://localhost:8080/hook"}, id="webhook-url-http-port"),
    pytest.param({"webhook_url": LONGEST_URL}, id="webhook-url-2000-chars"),
    pytest.param({"webhook_url": ""}, id="webhook-url-empty-clears"),
    pytest.param({"webhook_url": None}, id="webhook-url-null-clears"),
    pytest.param({"webhook_failover_url": "https://backup.example.net/x"}, id="failover-url"),
    pytest.param({"webhook_failover_url": None}, id="failover-url-null"),
    pytest.param({"health_webhook_url": "https://status.example.org/"}, id="health-url"),
    pytest.param({"health_webhook_url": ""}, id="health-url-empty"),
    pytest.param({"webhook_api_version": "1"}, id="api-version-1"),
    pytest.param({"webhook_api_version": "2"}, id="api-version-2"),
    pytest.param({"webhook_api_version": "2010-04-01"}, id="api-version-legacy"),
    pytest.param({"number_pool_settings": None}, id="number-pool-null"),
    pytest.param(
        {"number_pool_settings": {"toll_free_weight": 0, "long_code_weight": 2.5, "skip_unhealthy": True}},
        id="number-pool-required-only",
    ),
    pytest.param(
        {
            "number_pool_settings": {
                "toll_free_weight": 10,
                "long_code_weight": 1,
                "skip_unhealthy": False,
                "sticky_sender": True,
                "geomatch": True,
            }
        },
        id="number-pool-full",
    ),
    pytest.param({"url_shortener_settings": None}, id="url-shortener-null"),
    pytest.param({"url_shortener_settings": {"domain": "acct.fyi"}}, id="url-shortener-domain-only"),
    pytest.param(
        {
            "url_shortener_settings": {
                "domain": "acct.fyi",
                "prefix": "",
                "replace_blacklist_only": True,
                "send_webhooks": True,
            }
        },
        id="url-shortener-full",
    ),
    pytest.param({"alpha_sender": None}, id="alpha-sender-null"),
    pytest.param({"alpha_sender": "ACME"}, id="alpha-sender"),
    pytest.param({"alpha_sender": "Acme 2024 X"}, id="alpha-sender-11-with-spaces"),
    pytest.param({"daily_spend_limit": "0"}, id="spend-limit-zero"),
    pytest.param({"daily_spend_limit": "250"}, id="spend-limit-integer"),
    pytest.param({"daily_spend_limit": "100.50"}, id="spend-limit-decimal"),
    pytest.param({"daily_spend_limit_enabled": True}, id="spend-limit-enabled"),
    pytest.param({"mms_fall_back_to_sms": True}, id="mms-fallback"),
    pytest.param({"mms_transcoding": True}, id="mms-transcoding"),
    pytest.param({"mobile_only": True}, id="mobile-only"),
    pytest.param({"smart_encoding": True}, id="smart-encoding"),
]

NORMALISED = {
    "number-pool-required-only": {
        "toll_free_weight": 0,
        "long_code_weight": 2.5,
        "skip_unhealthy": True,
        "sticky_sender": False,
        "geomatch": False,
    },
    "url-shortener-domain-only": {
        "domain": "acct.fyi",
        "prefix": "",
        "replace_blacklist_only": False,
        "send_webhooks": False,
    },
}

# (fields, pointer, code)
REJECTED = [
    pytest.param({"name": ""}, "/name", "10015", id="name-empty"),
    pytest.param({"name": " \t\n"}, "/name", "10015", id="name-blank"),
    pytest.param({"name": 42}, "/name", "10020", id="name-number"),
    pytest.param({"name": None}, "/name", "10020", id="name-null"),
    pytest.param(
        {"whitelisted_destinations": []}, "/whitelisted_destinations", "10015", id="destinations-empty"
    ),
    pytest.param(
        {"whitelisted_destinations": "US"}, "/whitelisted_destinations", "10020", id="destinations-string"
    ),
    pytest.param(
        {"whitelisted_destinations": ["us"]}, "/whitelisted_destinations/0", "10015", id="dest-lowercase"
    ),
    pytest.param(
        {"whitelisted_destinations": ["US", "XX"]},
        "/whitelisted_destinations/1",
        "10015",
        id="destinations-unassigned-code",
    ),
    pytest.param(
        {"whitelisted_destinations": ["XK"]},
        "/whitelisted_destinations/0",
        "10015",
        id="destinations-user-assigned-code",
    ),
    pytest.param(
        {"whitelisted_destinations": ["USA"]}, "/whitelisted_destinations/0", "10015", id="dest-alpha3"
    ),
    pytest.param(
        {"whitelisted_destinations": ["US\n"]}, "/whitelisted_destinations/0", "10015", id="dest-newline"
    ),
    pytest.param(
        {"whitelisted_destinations": ["US", "*"]},
        "/whitelisted_destinations/1",
        "10015",
        id="destinations-wildcard-after-code",
    ),
    pytest.param(
        {"whitelisted_destinations": ["*", "GB"]},
        "/whitelisted_destinations/0",
        "10015",
        id="destinations-wildcard-before-code",
    ),
    pytest.param(
        {"whitelisted_destinations": ["US", 1]},
        "/whitelisted_destinations/1",
        "10020",
        id="destinations-number-item",
    ),
    pytest.param({"enabled": "true"}, "/enabled", "10020", id="enabled-string"),
    pytest.param({"enabled": 1}, "/enabled", "10020", id="enabled-integer"),
    pytest.param({"enabled": None}, "/enabled", "10020", id="enabled-null"),
    pytest.param({"webhook_url": "ftp://files.example.com/"}, "/webhook_url", "10003", id="url-ftp"),
    pytest.param({"webhook_url": "javascript:alert(1)"}, "/webhook_url", "10003", id="url-javascript"),
    pytest.param({"webhook_url": "https://"}, "/webhook_url", "10003", id="url-no-host"),
    pytest.param({"webhook_url": "//example.com/x"}, "/webhook_url", "10003", id="url-no-scheme"),
    pytest.param({"webhook_url": "hooks.example.com"}, "/webhook_url", "10003", id="url-bare-host"),
    pytest.param({"webhook_url": "https://exa mple.com/"}, "/webhook_url", "10003", id="url-space"),
    pytest.param({"webhook_url": "https://example.com/\n"}, "/webhook_url", "10003", id="url-newline"),
    pytest.param({"webhook_url": "https://example.com:99999/"}, "/webhook_url", "10003", id="url-bad-port"),
    pytest.param({"webhook_url": LONGEST_URL + "a"}, "/webhook_url", "10003", id="url-2001-chars"),
    pytest.param({"webhook_url": 42}, "/webhook_url", "10020", id="url-number"),
    pytest.param(
        {"webhook_failover_url": "mailto:ops@example.com"},
        "/webhook_failover_url",
        "10003",
        id="failover-url-mailto",
    ),
    pytest.param({"health_webhook_url": "not a url"}, "/health_webhook_url", "10003", id="health-url-words"),
    pytest.param({"webhook_api_version": "3"}, "/webhook_api_version", "10015", id="api-version-unknown"),
    pytest.param({"webhook_api_version": 2}, "/webhook_api_version", "10020", id="api-version-number"),
    pytest.param({"number_pool_settings": "on"}, "/number_pool_settings", "10020", id="pool-string"),
    pytest.param(
        {"number_pool_settings": {"toll_free_weight": 1, "skip_unhealthy": True}},
        "/number_pool_settings/long_code_weight",
        "10004",
        id="pool-missing-long-code-weight",
    ),
    pytest.param(
        {"number_pool_settings": {"toll_free_weight": 1, "long_code_weight": 1}},
        "/number_pool_settings/skip_unhealthy",
        "10004",
        id="pool-missing-skip-unhealthy",
    ),
    pytest.param(
        {"number_pool_settings": {"toll_free_weight": -1, "long_code_weight": 1, "skip_unhealthy": True}},
        "/number_pool_settings/toll_free_weight",
        "10015",
        id="pool-negative-weight",
    ),
    pytest.param(
        {"number_pool_settings": {"toll_free_weight": 1, "long_code_weight": "2", "skip_unhealthy": True}},
        "/number_pool_settings/long_code_weight",
        "10020",
        id="pool-string-weight",
    ),
    pytest.param(
        {"number_pool_settings": {"toll_free_weight": True, "long_code_weight": 1, "skip_unhealthy": True}},
        "/number_pool_settings/toll_free_weight",
        "10020",
        id="pool-boolean-weight",
    ),
    pytest.param(
        {"number_pool_settings": {"toll_free_weight": 1, "long_code_weight": 1, "skip_unhealthy": "no"}},
        "/number_pool_settings/skip_unhealthy",
        "10020",
        id="pool-string-skip-unhealthy",
    ),
    pytest.param(
        {
            "number_pool_settings": {
                "toll_free_weight": 1,
                "long_code_weight": 1,
                "skip_unhealthy": True,
                "geomatch": 0,
            }
        },
        "/number_pool_settings/geomatch",
        "10020",
        id="pool-integer-geomatch",
    ),
    pytest.param(
        {"url_shortener_settings": {}}, "/url_shortener_settings/domain", "10004", id="shortener-no-domain"
    ),
    pytest.param(
        {"url_shortener_settings": {"domain": ""}},
        "/url_shortener_settings/domain",
        "10015",
        id="shortener-empty-domain",
    ),
    pytest.param(
        {"url_shortener_settings": {"domain": 7}},
        "/url_shortener_settings/domain",
        "10020",
        id="shortener-number-domain",
    ),
    pytest.param(
        {"url_shortener_settings": {"domain": "acct.fyi", "prefix": 5}},
        "/url_shortener_settings/prefix",
        "10020",
        id="shortener-number-prefix",
    ),
    pytest.param(
        {"url_shortener_settings": {"domain": "acct.fyi", "send_webhooks": "yes"}},
        "/url_shortener_settings/send_webhooks",
        "10020",
        id="shortener-string-flag",
    ),
    pytest.param(
        {"url_shortener_settings": ["acct.fyi"]}, "/url_shortener_settings", "10020", id="shortener-array"
    ),
    pytest.param({"alpha_sender": ""}, "/alpha_sender", "10015", id="alpha-sender-empty"),
    pytest.param({"alpha_sender": "AcmeSender12"}, "/alpha_sender", "10015", id="alpha-sender-12-chars"),
    pytest.param({"alpha_sender": "Acme-Corp"}, "/alpha_sender", "10015", id="alpha-sender-hyphen"),
    pytest.param({"alpha_sender": "ACME\n"}, "/alpha_sender", "10015", id="alpha-sender-newline"),
    pytest.param({"alpha_sender": 5}, "/alpha_sender", "10020", id="alpha-sender-number"),
    pytest.param({"daily_spend_limit": 100}, "/daily_spend_limit", "10020", id="spend-limit-number"),
    pytest.param({"daily_spend_limit": None}, "/daily_spend_limit", "10020", id="spend-limit-null"),
    pytest.param({"daily_spend_limit": "10\n"}, "/daily_spend_limit", "10015", id="spend-limit-newline"),
    pytest.param({"daily_spend_limit": "-1"}, "/daily_spend_limit", "10015", id="spend-limit-negative"),
    pytest.param({"daily_spend_limit": "1e3"}, "/daily_spend_limit", "10015", id="spend-limit-exponent"),
    pytest.param({"daily_spend_limit": "10."}, "/daily_spend_limit", "10015", id="spend-limit-trailing-dot"),
    pytest.param({"daily_spend_limit": ".5"}, "/daily_spend_limit", "10015", id="spend-limit-leading-dot"),
    pytest.param({"daily_spend_limit": "$10"}, "/daily_spend_limit", "10015", id="spend-limit-currency"),
    pytest.param({"daily_spend_limit": ""}, "/daily_spend_limit", "10015", id="spend-limit-empty"),
    pytest.param(
        {"daily_spend_limit_enabled": "false"},
        "/daily_spend_limit_enabled",
        "10020",
        id="spend-limit-enabled-string",
    ),
    pytest.param({"mms_fall_back_to_sms": 0}, "/mms_fall_back_to_sms", "10020", id="mms-fallback-integer"),
    pytest.param({"mms_transcoding": "yes"}, "/mms_transcoding", "10020", id="mms-transcoding-string"),
    pytest.param({"mobile_only": None}, "/mobile_only", "10020", id="mobile-only-null"),
    pytest.param({"smart_encoding": []}, "/smart_encoding", "10020", id="smart-encoding-array"),
]


def assert_single_error(response, pointer: str, code: str) -> None:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    (error,) = errors
    assert error["source"] == {"pointer": pointer}
    assert error["code"] == code
    assert error["title"] == TITLES[code]
    assert error["detail"]


@pytest.mark.parametrize("fields", ACCEPTED)
def test_create_accepts(sandbox, sandbox_profile, fields, request):
    profile = sandbox_profile(**fields)
    expected = NORMALISED.get(request.node.callspec.id)
    for name, value in fields.items():
        assert profile[name] == (expected if expected is not None else value)


@pytest.mark.parametrize("fields", ACCEPTED)
def test_update_accepts(sandbox, sandbox_profile, fields, request):
    profile = sandbox_profile(name="Before update", whitelisted_destinations=["DE"])
    response = sandbox.patch(f"/messaging_profiles/{profile['id']}", json=fields)
    assert response.status_code == 200, response.text
    updated = response.json()["data"]
    expected = NORMALISED.get(request.node.callspec.id)
    for name, value in fields.items():
        assert updated[name] == (expected if expected is not None else value)
    assert sandbox.get(f"/messaging_profiles/{profile['id']}").json()["data"] == updated


@pytest.mark.parametrize(("fields", "pointer", "code"), REJECTED)
def test_create_rejects(sandbox, fields, pointer, code):
    body = {"name": "Rejected profile", "whitelisted_destinations": ["US"], **fields}
    response = sandbox.post("/messaging_profiles", json=body)
    assert_single_error(response, pointer, code)


@pytest.mark.parametrize(("fields", "pointer", "code"), REJECTED)
def test_update_rejects_and_changes_nothing(sandbox, sandbox_profile, fields, pointer, code):
    profile = sandbox_profile(name="Unchanged")
    response = sandbox.patch(f"/messaging_profiles/{profile['id']}", json=fields)
    assert_single_error(response, pointer, code)
    assert sandbox.get(f"/messaging_profiles/{profile['id']}").json()["data"] == profile


@pytest.mark.parametrize("missing", ["name", "whitelisted_destinations"])
def test_create_requires(sandbox, missing):
    body = {"name": "Incomplete", "whitelisted_destinations": ["US"]}
    del body[missing]
    assert_single_error(sandbox.post("/messaging_profiles", json=body), f"/{missing}", "10004")


def test_create_reports_every_problem_once(sandbox):
    response = sandbox.post(
        "/messaging_profiles",
        json={
            "whitelisted_destinations": ["US", "us", "*"],
            "webhook_url": "ftp://x",
            "daily_spend_limit": 5,
        },
    )
    assert response.status_code == 422
    pointers = {error["source"]["pointer"]: error["code"] for error in response.json()["errors"]}
    assert pointers == {
        "/name": "10004",
        "/whitelisted_destinations/1": "10015",
        "/whitelisted_destinations/2": "10015",
        "/webhook_url": "10003",
        "/daily_spend_limit": "10020",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("resource_group_id", "rg-blue"),
        ("resource_group_id", "r" * 64),
        ("resource_group_id", None),
        ("ai_assistant_id", "assistant-1"),
        ("ai_assistant_id", "a" * 64),
        ("ai_assistant_id", None),
    ],
)
def test_create_accepts_external_ids(sandbox, sandbox_profile, field, value):
    assert sandbox_profile(**{field: value})[field] == value


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("resource_group_id", "r" * 65, "10015"),
        ("resource_group_id", 5, "10020"),
        ("ai_assistant_id", "a" * 65, "10015"),
        ("ai_assistant_id", ["a"], "10020"),
    ],
)
def test_create_rejects_external_ids(sandbox, field, value, code):
    body = {"name": "External ids", "whitelisted_destinations": ["US"], field: value}
    assert_single_error(sandbox.post("/messaging_profiles", json=body), f"/{field}", code)


def test_update_ignores_read_only_and_create_only_fields(sandbox, sandbox_profile):
    profile = sandbox_profile(name="Read-only fields")
    response = sandbox.patch(
        f"/messaging_profiles/{profile['id']}",
        json={
            "id": "00000000-0000-4000-8000-000000000000",
            "record_type": "something_else",
            "created_at": "1999-01-01T00:00:00Z",
            "updated_at": 12,
            "v1_secret": "chosen-by-client",
            "organization_id": "other-org",
            "resource_group_id": "x" * 100,
            "redaction_level": "high",
            "colour": "blue",
        },
    )
    assert response.status_code == 200, response.text
    updated = response.json()["data"]
    assert {k: v for k, v in updated.items() if k != "updated_at"} == {
        k: v for k, v in profile.items() if k != "updated_at"
    }


def test_create_ignores_unknown_fields(sandbox, sandbox_profile):
    profile = sandbox_profile(colour="blue", v1_secret="mine", id="not-used")
    assert "colour" not in profile
    assert profile["v1_secret"] != "mine"
    assert profile["id"] != "not-used"


def test_update_with_an_empty_object_is_valid_and_touches_updated_at(sandbox, sandbox_profile):
    profile = sandbox_profile(name="Empty patch")
    updated = sandbox.patch(f"/messaging_profiles/{profile['id']}", json={}).json()["data"]
    assert profile["updated_at"] < updated["updated_at"]
    assert {k: v for k, v in updated.items() if k != "updated_at"} == {
        k: v for k, v in profile.items() if k != "updated_at"
    }


@pytest.mark.parametrize("body", [b"", b"  \n"], ids=["no-body", "blank-body"])
@pytest.mark.parametrize(
    "route", ["/messaging_profiles/{profile}", "/short_codes/{code}", "/messaging_profiles"]
)
def test_a_write_without_a_body_is_refused(sandbox, sandbox_profile, body, route):
    profile = sandbox_profile(name="Bodiless write")
    code = sandbox.get("/short_codes", params={"page[size]": 1}).json()["data"][0]
    path = route.format(profile=profile["id"], code=code["id"])
    method = sandbox.post if route == "/messaging_profiles" else sandbox.patch
    response = method(path, data=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["code"] == "10015"
    assert sandbox.get(f"/messaging_profiles/{profile['id']}").json()["data"] == profile


def test_update_requires_destinations_while_the_profile_has_none(fresh_sandbox):
    profile = fresh_sandbox.profile_named("Legacy Import (destinations pending)")
    assert profile["whitelisted_destinations"] == []
    path = f"/messaging_profiles/{profile['id']}"

    assert_single_error(
        fresh_sandbox.patch(path, json={"name": "Renamed"}), "/whitelisted_destinations", "10004"
    )
    assert_single_error(fresh_sandbox.patch(path, json={}), "/whitelisted_destinations", "10004")

    response = fresh_sandbox.patch(path, json={"whitelisted_destinations": ["GB"], "name": "Renamed"})
    assert response.status_code == 200
    assert response.json()["data"]["whitelisted_destinations"] == ["GB"]
    # Once it has destinations, other fields may change alone.
    assert fresh_sandbox.patch(path, json={"enabled": False}).status_code == 200
