"""Listed profiles decoded into the catalog's fields: the contract's shapes the fast way, anything
else the lenient way (never an error for one odd profile), and a body that is not a list refused."""

from __future__ import annotations

import json

import pytest

from telnyx_admin.telnyx import errors, http
from telnyx_admin.telnyx.profile_listing import ProfileListing, _parse

PROFILE = {
    "record_type": "messaging_profile",
    "id": "4d0f460e-1a55-4943-8cfa-cb1a0f9fa772",
    "name": "Acme Alerts",
    "enabled": False,
    "whitelisted_destinations": ["US", "GB"],
    "number_pool_settings": {"long_code_weight": 1.5, "skip_unhealthy": True},
    "daily_spend_limit": "250.00",
    "daily_spend_limit_enabled": True,
    "created_at": "2024-03-10T19:15:00.000Z",
    "updated_at": "2024-11-19T08:16:09.000Z",
}


def page(*profiles, **meta):
    body = {
        "data": list(profiles),
        "meta": {"page_number": 2, "page_size": 250, "total_pages": 8, "total_results": 1751},
    }
    body["meta"].update(meta)
    return json.dumps(body).encode()


def decode(content: bytes):
    return http.decode(status=200, headers={}, content=content, parse=_parse)


def test_a_page_in_the_contracts_shapes_keeps_the_named_fields_and_the_meta():
    listed = decode(page(PROFILE))
    assert listed.items == (
        ProfileListing(
            id=PROFILE["id"], name="Acme Alerts", enabled=False, daily_spend_limit="250.00",
            daily_spend_limit_enabled=True, created_at="2024-03-10T19:15:00.000Z",
            updated_at="2024-11-19T08:16:09.000Z",
        ),
    )  # fmt: skip
    assert (listed.page_number, listed.page_size, listed.total_pages, listed.total_results) == (
        2,
        250,
        8,
        1751,
    )


def test_fields_the_api_leaves_out_or_sets_to_null_take_the_defaults():
    listed = decode(page({"id": "p1", "name": None, "daily_spend_limit": None}))
    assert listed.items == (ProfileListing(id="p1"),)


def test_a_profile_that_breaks_the_contracts_types_is_read_leniently_not_refused():
    odd = {**PROFILE, "name": 12345, "daily_spend_limit": 99.5, "enabled": 0}
    listed = decode(page(PROFILE, odd, total_pages="8"))
    assert [item.name for item in listed.items] == ["Acme Alerts", "12345"]
    assert listed.items[1].daily_spend_limit == "99.5"
    assert listed.items[1].enabled is False
    assert listed.total_pages == 8


def test_a_page_without_meta_counts_its_own_items():
    listed = decode(json.dumps({"data": [PROFILE]}).encode())
    assert (listed.page_number, listed.page_size, listed.total_pages, listed.total_results) == (1, 1, 1, 1)


@pytest.mark.parametrize(
    "content",
    [b"<html>proxy</html>", b'{"errors": []}', b'{"data": {"id": "x"}}', b"[]"],
    ids=["not-json", "no-data", "data-not-a-list", "not-an-object"],
)
def test_an_answer_that_is_not_a_list_page_is_refused(content):
    with pytest.raises(errors.UnexpectedStatus):
        decode(content)


def test_an_error_status_is_still_the_typed_error():
    body = json.dumps({"errors": [{"code": "10004", "title": "Bad", "detail": "bad page"}]}).encode()
    with pytest.raises(errors.ValidationFailed):
        http.decode(status=422, headers={}, content=body, parse=_parse)
