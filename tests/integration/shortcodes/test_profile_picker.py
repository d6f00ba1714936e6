"""The profile picker's options: the API's name filter, as radio inputs named for the form."""

from __future__ import annotations

from tests.fixtures.short_codes import calls_to

URL = "/short-codes/profile-options/"


def test_it_offers_profiles_whose_name_contains_the_text(seed_short_codes, auditor_client):
    bulk = seed_short_codes.profile()
    response = auditor_client.get(URL, {"name_contains": "bulk notif", "field": "messaging_profile_id"})
    body = response.content.decode()
    assert f'<input type="radio" name="messaging_profile_id" value="{bulk["id"]}"> {bulk["name"]}' in body
    matching = seed_short_codes.sandbox.get(
        "/messaging_profiles", params={"filter[name][contains]": "bulk notif", "page[size]": 250}
    ).json()["data"]
    assert 1 < len(matching) <= 10
    assert body.count('type="radio"') == len(matching)
    for profile in matching:
        assert profile["name"] in body
    seed_short_codes.sandbox.clear_stats()
    auditor_client.get(URL, {"name_contains": "bulk notif"})
    stats = seed_short_codes.sandbox.stats()["requests"]
    assert stats == {"GET /v2/messaging_profiles": 1}


def test_it_names_the_radios_for_the_list_filter(seed_short_codes, auditor_client):
    body = auditor_client.get(URL, {"name_contains": "Acme", "field": "profile"}).content.decode()
    assert 'name="profile"' in body and 'name="messaging_profile_id"' not in body


def test_it_caps_the_options_and_says_how_many_more(seed_short_codes, auditor_client):
    body = auditor_client.get(URL, {"name_contains": "a"}).content.decode()
    assert body.count('type="radio"') == 10
    assert "more matches: type more of the name." in body


def test_no_text_no_call(seed_short_codes, auditor_client):
    body = auditor_client.get(URL, {"name_contains": "  "}).content.decode()
    assert "radio" not in body
    assert calls_to(seed_short_codes.sandbox, "GET /v2/messaging_profiles") == 0


def test_no_match_says_so(seed_short_codes, auditor_client):
    body = auditor_client.get(URL, {"name_contains": "zzzz-nothing"}).content.decode()
    assert "No profile name contains “zzzz-nothing”." in body


def test_an_unknown_field_name_falls_back_to_the_api_name(seed_short_codes, auditor_client):
    body = auditor_client.get(URL, {"name_contains": "Acme", "field": 'evil"onclick'}).content.decode()
    assert 'name="messaging_profile_id"' in body and "evil" not in body
