"""Pagination and filters: page[number], page[size], filter[name]..., filter[messaging_profile_id]."""

import pytest

LIST_PATHS = ["/messaging_profiles", "/short_codes", "PROFILE/phone_numbers", "PROFILE/short_codes"]


@pytest.fixture
def acme(fresh_sandbox):
    return fresh_sandbox.profile_named("Acme Bulk Notifications")


def list_path(path, acme):
    return path.replace("PROFILE", f"/messaging_profiles/{acme['id']}")


def test_default_page_is_first_of_twenty(fresh_sandbox):
    body = fresh_sandbox.get("/messaging_profiles").json()
    assert body["meta"] == {"page_number": 1, "page_size": 20, "total_pages": 3, "total_results": 57}


def test_pages_walk_every_profile_once_in_created_order(fresh_sandbox):
    seen = []
    for number in (1, 2, 3):
        body = fresh_sandbox.get("/messaging_profiles", params={"page[number]": number}).json()
        assert body["meta"]["page_number"] == number
        seen += body["data"]
    assert len(seen) == 57
    assert len({profile["id"] for profile in seen}) == 57
    assert [(p["created_at"], p["id"]) for p in seen] == sorted((p["created_at"], p["id"]) for p in seen)


def test_a_page_past_the_end_is_empty_with_correct_meta(fresh_sandbox):
    body = fresh_sandbox.get("/messaging_profiles", params={"page[number]": 4}).json()
    assert body == {
        "data": [],
        "meta": {"page_number": 4, "page_size": 20, "total_pages": 3, "total_results": 57},
    }
    huge = fresh_sandbox.get("/messaging_profiles", params={"page[number]": 10**29}).json()
    assert huge["data"] == [] and huge["meta"]["total_results"] == 57


@pytest.mark.parametrize("size", [1, 250])
def test_page_size_bounds_are_accepted(fresh_sandbox, acme, size):
    body = fresh_sandbox.get(
        f"/messaging_profiles/{acme['id']}/phone_numbers", params={"page[size]": size}
    ).json()
    assert len(body["data"]) == size
    assert body["meta"]["total_pages"] == -(-body["meta"]["total_results"] // size)


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize(
    ("parameter", "value", "code"),
    [
        ("page[number]", "0", "10015"),
        ("page[number]", "-1", "10015"),
        ("page[number]", "two", "10020"),
        ("page[number]", "1.5", "10020"),
        ("page[number]", "", "10020"),
        ("page[size]", "0", "10015"),
        ("page[size]", "251", "10015"),
        ("page[size]", "ten", "10020"),
        ("page[number]", "1" * 5000, "10015"),
        ("page[size]", "1" * 5000, "10015"),
    ],
)
def test_bad_page_parameters_are_422_with_the_parameter(fresh_sandbox, acme, path, parameter, value, code):
    response = fresh_sandbox.get(list_path(path, acme), params={parameter: value})
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["source"] == {"parameter": parameter}
    assert error["code"] == code


def test_both_bad_page_parameters_are_reported(fresh_sandbox):
    response = fresh_sandbox.get("/messaging_profiles", params={"page[number]": "0", "page[size]": "999"})
    assert [e["source"]["parameter"] for e in response.json()["errors"]] == ["page[number]", "page[size]"]


@pytest.mark.parametrize("parameter", ["filter[name]", "filter[name][eq]"])
def test_name_filters_match_exactly(fresh_sandbox, parameter):
    body = fresh_sandbox.get("/messaging_profiles", params={parameter: "Acme Bulk Notifications"}).json()
    assert [p["name"] for p in body["data"]] == ["Acme Bulk Notifications"]
    assert body["meta"]["total_results"] == 1
    partial = fresh_sandbox.get("/messaging_profiles", params={parameter: "Acme Bulk"}).json()
    assert partial["data"] == [] and partial["meta"]["total_results"] == 0


def test_name_contains_is_case_insensitive(fresh_sandbox):
    body = fresh_sandbox.get(
        "/messaging_profiles", params={"filter[name][contains]": "aCmE", "page[size]": 250}
    ).json()
    names = [p["name"] for p in body["data"]]
    assert "Acme Bulk Notifications" in names
    assert all("acme" in name.lower() for name in names)
    assert body["meta"]["total_results"] == len(names) >= 2


def test_short_codes_filter_by_profile_and_by_null(fresh_sandbox, acme):
    everything = fresh_sandbox.get("/short_codes", params={"page[size]": 250}).json()
    assert everything["meta"]["total_results"] >= 40
    unassigned = fresh_sandbox.get("/short_codes", params={"filter[messaging_profile_id]": "null"}).json()
    assert unassigned["meta"]["total_results"] >= 10
    assert all(code["messaging_profile_id"] is None for code in unassigned["data"])
    mine = fresh_sandbox.get("/short_codes", params={"filter[messaging_profile_id]": acme["id"]}).json()
    assert mine["meta"]["total_results"] >= 1
    assert {code["messaging_profile_id"] for code in mine["data"]} == {acme["id"]}
    synonym = fresh_sandbox.get(f"/messaging_profiles/{acme['id']}/short_codes").json()
    assert synonym == mine


def test_short_codes_filter_rejects_a_malformed_profile_id(fresh_sandbox):
    response = fresh_sandbox.get("/short_codes", params={"filter[messaging_profile_id]": "acme"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"] == {"parameter": "filter[messaging_profile_id]"}


def test_unknown_query_parameters_are_ignored(fresh_sandbox):
    assert (
        fresh_sandbox.get("/messaging_profiles", params={"sort": "name", "filter[colour]": "x"}).json()[
            "meta"
        ]["total_results"]
        == 57
    )
