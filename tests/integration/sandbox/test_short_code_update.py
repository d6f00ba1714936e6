"""PATCH /short_codes/{id}: bind, unbind, tags, and each rule that rejects a body."""

import pytest

UNKNOWN_PROFILE = "0b6e4a52-9c1d-4f3e-8a7b-000000000000"


@pytest.fixture
def short_code(fresh_sandbox):
    """An assigned seed short code (the data is reset around the test)."""
    codes = fresh_sandbox.get("/short_codes", params={"page[size]": 250}).json()["data"]
    return next(code for code in codes if code["messaging_profile_id"])


def assert_single_error(response, pointer, code):
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["source"], error["code"]) == ({"pointer": pointer}, code)


def test_it_binds_to_another_profile(fresh_sandbox, short_code):
    target = fresh_sandbox.profile_named("Acme Bulk Notifications")
    response = fresh_sandbox.patch(
        f"/short_codes/{short_code['id']}", json={"messaging_profile_id": target["id"]}
    )
    assert response.status_code == 200
    updated = response.json()["data"]
    assert updated["messaging_profile_id"] == target["id"]
    assert updated["tags"] == short_code["tags"]
    assert updated["updated_at"] > short_code["updated_at"]
    listed = fresh_sandbox.get(f"/messaging_profiles/{target['id']}/short_codes", params={"page[size]": 250})
    assert short_code["id"] in [code["id"] for code in listed.json()["data"]]


@pytest.mark.parametrize("unbind", [None, ""])
def test_it_unbinds_with_null_or_empty_string(fresh_sandbox, short_code, unbind):
    response = fresh_sandbox.patch(f"/short_codes/{short_code['id']}", json={"messaging_profile_id": unbind})
    assert response.status_code == 200
    assert response.json()["data"]["messaging_profile_id"] is None
    unassigned = fresh_sandbox.get(
        "/short_codes", params={"filter[messaging_profile_id]": "null", "page[size]": 250}
    )
    assert short_code["id"] in [code["id"] for code in unassigned.json()["data"]]


@pytest.mark.parametrize(
    "tags",
    [["vip"], [], ["a" * 64], [f"tag-{i}" for i in range(20)], ["spaced tag", "Ünïcode"]],
    ids=["one", "none", "64-chars", "20-tags", "spaces-unicode"],
)
def test_it_replaces_tags(fresh_sandbox, short_code, tags):
    body = {"messaging_profile_id": short_code["messaging_profile_id"], "tags": tags}
    response = fresh_sandbox.patch(f"/short_codes/{short_code['id']}", json=body)
    assert response.status_code == 200
    assert response.json()["data"]["tags"] == tags
    assert fresh_sandbox.get(f"/short_codes/{short_code['id']}").json()["data"]["tags"] == tags


def test_it_keeps_tags_when_they_are_not_sent(fresh_sandbox, short_code):
    body = {"messaging_profile_id": short_code["messaging_profile_id"], "colour": "ignored"}
    response = fresh_sandbox.patch(f"/short_codes/{short_code['id']}", json=body)
    assert response.status_code == 200
    assert response.json()["data"]["tags"] == short_code["tags"]
    assert "colour" not in response.json()["data"]


@pytest.mark.parametrize(
    ("body", "pointer", "code"),
    [
        pytest.param({}, "/messaging_profile_id", "10004", id="missing-profile"),
        pytest.param({"tags": ["x"]}, "/messaging_profile_id", "10004", id="tags-without-profile"),
        pytest.param({"messaging_profile_id": 5}, "/messaging_profile_id", "10020", id="profile-number"),
        pytest.param(
            {"messaging_profile_id": "not-a-uuid"}, "/messaging_profile_id", "10015", id="profile-malformed"
        ),
        pytest.param(
            {"messaging_profile_id": UNKNOWN_PROFILE}, "/messaging_profile_id", "10015", id="profile-unknown"
        ),
        pytest.param({"messaging_profile_id": None, "tags": "vip"}, "/tags", "10020", id="tags-string"),
        pytest.param({"messaging_profile_id": None, "tags": [5]}, "/tags/0", "10020", id="tag-number"),
        pytest.param({"messaging_profile_id": None, "tags": ["ok", ""]}, "/tags/1", "10015", id="tag-empty"),
        pytest.param({"messaging_profile_id": None, "tags": ["  "]}, "/tags/0", "10015", id="tag-blank"),
        pytest.param(
            {"messaging_profile_id": None, "tags": ["a" * 65]}, "/tags/0", "10015", id="tag-65-chars"
        ),
        pytest.param(
            {"messaging_profile_id": None, "tags": [f"t{i}" for i in range(21)]},
            "/tags",
            "10015",
            id="21-tags",
        ),
    ],
)
def test_it_rejects(fresh_sandbox, short_code, body, pointer, code):
    response = fresh_sandbox.patch(f"/short_codes/{short_code['id']}", json=body)
    assert_single_error(response, pointer, code)
    assert fresh_sandbox.get(f"/short_codes/{short_code['id']}").json()["data"] == short_code


def test_it_404s_for_an_unknown_short_code(sandbox):
    response = sandbox.patch(f"/short_codes/{UNKNOWN_PROFILE}", json={"messaging_profile_id": None})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "10005"
