"""List pages are served from memory, yet every write is visible in the very next read.

Each test reads a page first (so it is cached), writes, then reads the same URL again.
"""

import threading

import requests

ACME = "Acme Bulk Notifications"


def page(sandbox, path, **params):
    response = sandbox.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_repeated_page_is_the_same_bytes(sandbox):
    params = {"page[size]": 250, "page[number]": 2}
    acme = sandbox.profile_named(ACME)
    path = f"/messaging_profiles/{acme['id']}/phone_numbers"
    first, second = sandbox.get(path, params=params), sandbox.get(path, params=params)
    assert first.content == second.content
    assert first.headers["Content-Type"] == second.headers["Content-Type"] == "application/json"


def test_query_parameters_are_part_of_the_key(sandbox):
    by_two = page(sandbox, "/messaging_profiles", **{"page[size]": 2})
    by_three = page(sandbox, "/messaging_profiles", **{"page[size]": 3})
    second_page = page(sandbox, "/messaging_profiles", **{"page[size]": 2, "page[number]": 2})
    assert len(by_two["data"]) == 2 and len(by_three["data"]) == 3
    assert second_page["data"][0] == by_three["data"][2]
    named = page(sandbox, "/messaging_profiles", **{"filter[name][contains]": "acme"})
    assert ACME in {p["name"] for p in named["data"]}
    assert all("acme" in p["name"].lower() for p in named["data"])
    exact = page(sandbox, "/messaging_profiles", **{"filter[name][eq]": ACME})
    assert [p["name"] for p in exact["data"]] == [ACME]


def test_a_created_profile_is_listed_at_once(sandbox, sandbox_profile):
    params = {"filter[name][contains]": "cache probe"}
    assert page(sandbox, "/messaging_profiles", **params)["data"] == []
    created = sandbox_profile(name="Cache probe")
    assert page(sandbox, "/messaging_profiles", **params)["data"] == [created]


def test_an_update_is_listed_at_once(sandbox, sandbox_profile):
    created = sandbox_profile(name="Cache probe before")
    params = {"filter[name][eq]": "Cache probe before"}
    assert page(sandbox, "/messaging_profiles", **params)["data"] == [created]
    updated = sandbox.patch(f"/messaging_profiles/{created['id']}", json={"name": "Cache probe after"})
    assert updated.status_code == 200
    assert page(sandbox, "/messaging_profiles", **params)["data"] == []
    after = page(sandbox, "/messaging_profiles", **{"filter[name][eq]": "Cache probe after"})
    assert after["data"] == [updated.json()["data"]]


def test_deleting_a_profile_empties_its_pages_and_unassigns_its_codes(fresh_sandbox):
    sandbox = fresh_sandbox
    codes = page(sandbox, "/short_codes", **{"page[size]": 250})["data"]
    profile_id = next(code["messaging_profile_id"] for code in codes if code["messaging_profile_id"])
    unassigned_before = page(sandbox, "/short_codes", **{"filter[messaging_profile_id]": "null"})["meta"]
    own = page(sandbox, f"/messaging_profiles/{profile_id}/short_codes")
    assert own["meta"]["total_results"] >= 1
    assert sandbox.delete(f"/messaging_profiles/{profile_id}").status_code == 200
    unassigned_after = page(sandbox, "/short_codes", **{"filter[messaging_profile_id]": "null"})["meta"]
    assert (
        unassigned_after["total_results"] == unassigned_before["total_results"] + own["meta"]["total_results"]
    )
    assert sandbox.get(f"/messaging_profiles/{profile_id}/short_codes").status_code == 404


def test_binding_a_short_code_moves_it_between_pages_at_once(fresh_sandbox):
    sandbox = fresh_sandbox
    unassigned = page(sandbox, "/short_codes", **{"filter[messaging_profile_id]": "null"})
    code = unassigned["data"][0]
    target = sandbox.profile_named(ACME)["id"]
    before = page(sandbox, f"/messaging_profiles/{target}/short_codes")["meta"]["total_results"]
    assert (
        sandbox.patch(f"/short_codes/{code['id']}", json={"messaging_profile_id": target}).status_code == 200
    )
    after = page(sandbox, "/short_codes", **{"filter[messaging_profile_id]": "null"})
    assert code["id"] not in {c["id"] for c in after["data"]}
    assert after["meta"]["total_results"] == unassigned["meta"]["total_results"] - 1
    assert page(sandbox, f"/messaging_profiles/{target}/short_codes")["meta"]["total_results"] == before + 1


def test_a_reset_is_visible_at_once(fresh_sandbox, sandbox_profile):
    sandbox = fresh_sandbox
    seeded = page(sandbox, "/messaging_profiles")["meta"]["total_results"]
    sandbox_profile(name="Gone after reset")
    assert page(sandbox, "/messaging_profiles")["meta"]["total_results"] == seeded + 1
    sandbox.reset()
    assert page(sandbox, "/messaging_profiles")["meta"]["total_results"] == seeded


def test_a_rejected_write_changes_nothing_and_pages_stay_right(sandbox):
    before = page(sandbox, "/messaging_profiles")
    assert sandbox.post("/messaging_profiles", json={"name": ""}).status_code == 422
    assert page(sandbox, "/messaging_profiles") == before


def test_reads_racing_writes_never_see_an_older_page_after_a_write_returns(sandbox, sandbox_profile):
    """Readers hammer the page while names change; each write is seen by the first read after it."""
    created = sandbox_profile(name="Race 0")
    params = {"filter[name][contains]": "race "}
    stop = threading.Event()

    def reader():
        with requests.Session() as session:  # its own connection: Sessions are not shared across threads
            while not stop.is_set():
                url = f"{sandbox.api_url}/messaging_profiles"
                session.get(url, params=params, headers=sandbox.headers, timeout=10)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(1, 21):
            response = sandbox.patch(f"/messaging_profiles/{created['id']}", json={"name": f"Race {n}"})
            assert response.status_code == 200
            assert [p["name"] for p in page(sandbox, "/messaging_profiles", **params)["data"]] == [
                f"Race {n}"
            ]
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def test_failed_and_faulted_requests_are_not_cached(sandbox):
    sandbox.set_faults(error_rate=1.0, error_status=503)
    try:
        assert sandbox.get("/messaging_profiles", params={"page[size]": 7}).status_code == 503
    finally:
        sandbox.clear_faults()
    assert len(page(sandbox, "/messaging_profiles", **{"page[size]": 7})["data"]) == 7
    assert sandbox.get("/messaging_profiles", params={"page[size]": 0}).status_code == 422
    stats = sandbox.stats()
    assert stats["total_requests"] >= 3  # cached or not, every request is counted
