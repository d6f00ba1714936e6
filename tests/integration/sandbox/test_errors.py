"""Authentication, unknown ids and routes, malformed JSON: always a Telnyx JSON error, never HTML or 500."""

import pytest
import requests

MISSING = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-key", "Basic c2FuZGJveC1kZW1vLWtleQ==", "sandbox-demo-key"],
    ids=["absent", "empty", "no-key", "wrong-key", "basic", "no-scheme"],
)
@pytest.mark.parametrize(
    "path", ["/v2/messaging_profiles", "/v2/short_codes", "/_sandbox/stats", "/v2/nowhere"]
)
def test_a_missing_or_wrong_key_is_401(sandbox, authorization, path):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = requests.get(f"{sandbox.base_url}{path}", headers=headers, timeout=10)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    (error,) = response.json()["errors"]
    assert (error["code"], error["title"]) == ("10009", "Authentication failed")


def test_the_scheme_is_case_insensitive(sandbox):
    response = requests.get(
        f"{sandbox.api_url}/short_codes", headers={"Authorization": f"bearer {sandbox.api_key}"}, timeout=10
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        f"/messaging_profiles/{MISSING}",
        f"/messaging_profiles/{MISSING}/phone_numbers",
        f"/messaging_profiles/{MISSING}/short_codes",
        f"/short_codes/{MISSING}",
    ],
)
def test_an_unknown_id_is_404_10005(sandbox, path):
    response = sandbox.get(path)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "10005"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_writing_an_unknown_profile_is_404(sandbox, method):
    response = sandbox.session.request(
        method, f"{sandbox.api_url}/messaging_profiles/{MISSING}", json={}, timeout=10
    )
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "10005"


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "12345", MISSING[:-1], MISSING + "0"])
@pytest.mark.parametrize("resource", ["messaging_profiles", "short_codes"])
def test_a_malformed_id_is_404_10006(sandbox, resource, bad_id):
    for method in ("GET", "PATCH"):
        response = sandbox.session.request(
            method, f"{sandbox.api_url}/{resource}/{bad_id}", json={"name": ""}, timeout=10
        )
        assert response.status_code == 404
        (error,) = response.json()["errors"]
        assert (error["code"], error["title"]) == ("10006", "Invalid ID")


@pytest.mark.parametrize(
    "path", ["/v2/", "/v2/messaging_profiles/", "/v2/numbers", "/v1/messaging_profiles", "/"]
)
def test_unknown_routes_are_json_404s(sandbox, path):
    response = sandbox.session.get(f"{sandbox.base_url}{path}", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "10005"


def test_an_unsupported_method_is_a_json_405(sandbox):
    response = sandbox.session.put(f"{sandbox.api_url}/messaging_profiles", json={}, timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert response.json()["errors"][0]["code"] == "10015"


@pytest.mark.parametrize(
    "raw",
    [
        b"{",
        b"{'name': 'x'}",
        b"[1,",
        b"NaN",
        b'{"daily_spend_limit": Infinity}',
        b'{"w": 1e400}',
        b"\xff\xfe",
        b"[" * 100_000,
        b'{"name": "\\ud800", "whitelisted_destinations": ["US"]}',
        b'{"n": 1' + b"0" * 5000 + b"}",
    ],
    ids=[
        "truncated",
        "single-quotes",
        "open-array",
        "nan",
        "infinity",
        "overflow",
        "not-utf8",
        "deep-nesting",
        "lone-surrogate",
        "5000-digit-integer",
    ],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_malformed_json_is_400_10023(sandbox, sandbox_profile, method, raw):
    profile = sandbox_profile()
    path = "/messaging_profiles" if method == "POST" else f"/messaging_profiles/{profile['id']}"
    response = sandbox.session.request(
        method, f"{sandbox.api_url}{path}", data=raw, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["code"], error["title"]) == ("10023", "Invalid JSON")


@pytest.mark.parametrize(
    "body", [b"[]", b'"profile"', b"5", b"null"], ids=["array", "string", "number", "null"]
)
def test_a_body_that_is_not_an_object_is_422(sandbox, body):
    response = sandbox.post("/messaging_profiles", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["code"], error["source"]) == ("10020", {"pointer": ""})


def test_a_body_over_one_megabyte_is_rejected_in_json(sandbox):
    response = sandbox.post(
        "/messaging_profiles", json={"name": "x" * 1_100_000, "whitelisted_destinations": ["US"]}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "10015"
