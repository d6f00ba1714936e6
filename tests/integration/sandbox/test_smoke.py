"""The sandbox starts, answers with the seed and rejects a missing key."""

import requests


def test_it_lists_the_seeded_profiles(fresh_sandbox):
    sandbox = fresh_sandbox
    response = sandbox.get("/messaging_profiles")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"page_number": 1, "page_size": 20, "total_pages": 3, "total_results": 57}
    assert len(body["data"]) == 20


def test_it_requires_the_key(sandbox):
    response = requests.get(f"{sandbox.api_url}/messaging_profiles", timeout=5)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "10009"
