"""Generated bodies never make the sandbox answer 500 or anything but a well-formed Telnyx answer."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The same depth in CI as on a laptop (each run draws new bodies); SANDBOX_FUZZ_EXAMPLES=N runs more.
EXAMPLES = int(os.environ.get("SANDBOX_FUZZ_EXAMPLES") or 150)
FIELDS = [
    "name",
    "whitelisted_destinations",
    "enabled",
    "webhook_url",
    "webhook_failover_url",
    "health_webhook_url",
    "webhook_api_version",
    "number_pool_settings",
    "url_shortener_settings",
    "alpha_sender",
    "daily_spend_limit",
    "daily_spend_limit_enabled",
    "mms_fall_back_to_sms",
    "mms_transcoding",
    "mobile_only",
    "smart_encoding",
    "resource_group_id",
    "ai_assistant_id",
    "id",
    "record_type",
    "toll_free_weight",
    "long_code_weight",
    "skip_unhealthy",
    "domain",
    "messaging_profile_id",
    "tags",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["US", "*", "us", "", " ", "https://h.example.com/x", "10.5", "2"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)
    ),
    max_leaves=12,
)
BODIES = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8)
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_well_formed(response, ok_statuses):
    assert response.status_code in ok_statuses, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    if response.status_code == 200:
        assert "data" in body
    else:
        assert body["errors"] and all(error["code"].isdigit() and error["title"] for error in body["errors"])


@FUZZ
@given(body=BODIES)
def test_create_never_fails_unexpectedly(sandbox, body):
    response = sandbox.post("/messaging_profiles", json=body)
    assert_well_formed(response, {200, 422})
    if response.status_code == 200:
        sandbox.delete(f"/messaging_profiles/{response.json()['data']['id']}")


@FUZZ
@given(body=BODIES)
def test_update_never_fails_unexpectedly(sandbox, sandbox_profile, body):
    profile = sandbox.get("/messaging_profiles", params={"filter[name][eq]": "Fuzzed"}).json()["data"]
    profile_id = profile[0]["id"] if profile else sandbox_profile(name="Fuzzed")["id"]
    assert_well_formed(sandbox.patch(f"/messaging_profiles/{profile_id}", json=body), {200, 422})


@FUZZ
@given(body=BODIES)
def test_short_code_update_never_fails_unexpectedly(fresh_sandbox, body):
    code = fresh_sandbox.get("/short_codes", params={"page[size]": 1}).json()["data"][0]
    assert_well_formed(fresh_sandbox.patch(f"/short_codes/{code['id']}", json=body), {200, 422})


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "page[number]",
                "page[size]",
                "filter[name]",
                "filter[name][eq]",
                "filter[name][contains]",
                "filter[messaging_profile_id]",
                "page",
            ]
        ),
        st.text(max_size=12),
        max_size=4,
    )
)
def test_list_parameters_never_fail_unexpectedly(sandbox, params):
    for path in ("/messaging_profiles", "/short_codes"):
        assert_well_formed(sandbox.get(path, params=params), {200, 422})
