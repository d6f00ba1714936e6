"""The official telnyx SDK drives the sandbox's short-code operations (8-10)."""

import pytest

from tests.contract import SDK_TESTS

pytestmark = SDK_TESTS


@pytest.fixture
def codes(fresh_sandbox):
    return fresh_sandbox.get("/short_codes", params={"page[size]": 250}).json()["data"]


def test_list_auto_paginates_across_three_pages(fresh_sandbox, telnyx_sdk, codes):
    fresh_sandbox.clear_stats()
    listed = list(telnyx_sdk.short_codes.list())
    assert [code.id for code in listed] == [code["id"] for code in codes]
    assert len(listed) >= 40
    assert fresh_sandbox.stats()["requests"]["GET /v2/short_codes"] >= 3


def test_list_filters_unassigned_and_by_profile(fresh_sandbox, telnyx_sdk, codes):
    unassigned = list(telnyx_sdk.short_codes.list(filter={"messaging_profile_id": "null"}))
    assert len(unassigned) >= 10
    assert all(code.messaging_profile_id is None for code in unassigned)
    owner = next(code["messaging_profile_id"] for code in codes if code["messaging_profile_id"])
    owned = list(telnyx_sdk.short_codes.list(filter={"messaging_profile_id": owner}))
    assert owned and {code.messaging_profile_id for code in owned} == {owner}


def test_retrieve(telnyx_sdk, codes):
    code = telnyx_sdk.short_codes.retrieve(codes[0]["id"]).data
    assert (code.id, code.short_code, code.country_code, code.tags) == (
        codes[0]["id"],
        codes[0]["short_code"],
        codes[0]["country_code"],
        codes[0]["tags"],
    )


def test_update_binds_tags_and_unbinds(fresh_sandbox, telnyx_sdk, codes):
    code = next(code for code in codes if code["messaging_profile_id"] is None)
    target = fresh_sandbox.profile_named("Acme Bulk Notifications")
    bound = telnyx_sdk.short_codes.update(
        code["id"], messaging_profile_id=target["id"], tags=["sdk", "vip"]
    ).data
    assert (bound.messaging_profile_id, bound.tags) == (target["id"], ["sdk", "vip"])
    unbound = telnyx_sdk.short_codes.update(code["id"], messaging_profile_id="").data
    assert unbound.messaging_profile_id is None
    assert unbound.tags == ["sdk", "vip"]
    assert unbound.updated_at > bound.updated_at
