"""Create, retrieve, list, update and delete a messaging profile; deletion unassigns its numbers and codes."""

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def test_create_fills_every_field_with_defaults(sandbox, sandbox_profile):
    profile = sandbox_profile(name="Defaults", whitelisted_destinations=["US"])
    assert uuid.UUID(profile["id"]).version == 4
    assert profile["record_type"] == "messaging_profile"
    assert profile["enabled"] is True
    assert profile["webhook_api_version"] == "2"
    assert profile["webhook_url"] == "" and profile["webhook_failover_url"] == ""
    assert profile["health_webhook_url"] is None
    assert profile["number_pool_settings"] is None and profile["url_shortener_settings"] is None
    assert profile["alpha_sender"] is None
    assert isinstance(profile["daily_spend_limit"], str)
    assert profile["daily_spend_limit_enabled"] is False
    assert (profile["redaction_enabled"], profile["redaction_level"]) == (False, 2)
    assert len(profile["v1_secret"]) >= 20
    assert ISO.fullmatch(profile["created_at"]) and profile["created_at"] == profile["updated_at"]
    assert profile["organization_id"]


def test_a_created_profile_is_retrievable_and_listed_last(sandbox, sandbox_profile):
    profile = sandbox_profile(name="Lifecycle: listed last")
    assert sandbox.get(f"/messaging_profiles/{profile['id']}").json()["data"] == profile
    meta = sandbox.get("/messaging_profiles").json()["meta"]
    last_page = sandbox.get("/messaging_profiles", params={"page[number]": meta["total_pages"]}).json()
    assert last_page["data"][-1] == profile


def test_each_profile_gets_its_own_secret_and_id(sandbox, sandbox_profile):
    first, second = sandbox_profile(name="One"), sandbox_profile(name="One")
    assert first["id"] != second["id"]
    assert first["v1_secret"] != second["v1_secret"]


def test_every_write_moves_updated_at_forward(sandbox, sandbox_profile):
    profile = sandbox_profile(name="Timestamps")
    stamps = [profile["updated_at"]]
    for body in ({"name": "Timestamps 2"}, {}, {"name": "Timestamps 2"}, {"enabled": False}):
        updated = sandbox.patch(f"/messaging_profiles/{profile['id']}", json=body).json()["data"]
        assert updated["created_at"] == profile["created_at"]
        stamps.append(updated["updated_at"])
    assert stamps == sorted(set(stamps))


def test_delete_returns_the_profile_and_unassigns_its_numbers_and_short_codes(fresh_sandbox):
    sandbox = fresh_sandbox
    profile = sandbox.profile_named("Acme Bulk Notifications")
    numbers = sandbox.get(f"/messaging_profiles/{profile['id']}/phone_numbers", params={"page[size]": 1})
    codes = sandbox.get(f"/messaging_profiles/{profile['id']}/short_codes").json()["data"]
    assert numbers.json()["meta"]["total_results"] >= 5000 and codes
    unassigned_before = sandbox.get("/short_codes", params={"filter[messaging_profile_id]": "null"}).json()

    response = sandbox.delete(f"/messaging_profiles/{profile['id']}")
    assert response.status_code == 200
    assert response.json()["data"] == profile

    assert sandbox.get(f"/messaging_profiles/{profile['id']}").status_code == 404
    assert sandbox.delete(f"/messaging_profiles/{profile['id']}").status_code == 404
    for code in codes:
        after = sandbox.get(f"/short_codes/{code['id']}").json()["data"]
        assert after["messaging_profile_id"] is None
        assert after["updated_at"] > code["updated_at"]
    unassigned_after = sandbox.get("/short_codes", params={"filter[messaging_profile_id]": "null"}).json()
    assert unassigned_after["meta"]["total_results"] == unassigned_before["meta"]["total_results"] + len(
        codes
    )
    assert sandbox.get("/messaging_profiles").json()["meta"]["total_results"] == 56


def test_concurrent_writes_all_succeed_with_distinct_updated_at(sandbox, sandbox_profile):
    profile = sandbox_profile(name="Concurrent writes")
    path = f"{sandbox.api_url}/messaging_profiles/{profile['id']}"

    def write(index):
        with requests.Session() as session:
            return session.patch(path, json={"name": f"Writer {index}"}, headers=sandbox.headers, timeout=30)

    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(write, range(24)))
    assert [response.status_code for response in responses] == [200] * 24
    stamps = [response.json()["data"]["updated_at"] for response in responses]
    assert len(set(stamps)) == 24
    final = sandbox.get(f"/messaging_profiles/{profile['id']}").json()["data"]
    assert final["updated_at"] == max(stamps)
