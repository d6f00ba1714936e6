"""PhoneNumber.from_api: unknown keys ignored, lists as tuples, a missing or null object as empty."""

from __future__ import annotations

import dataclasses

import pytest

from telnyx_admin.telnyx.errors import UnexpectedStatus
from telnyx_admin.telnyx.profiles import PhoneNumber

FULL = {
    "record_type": "messaging_settings",
    "id": "1293384261075731499",
    "phone_number": "+18005550001",
    "messaging_profile_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "country_code": "US",
    "type": "tollfree",
    "messaging_product": "A2P",
    "traffic_type": "A2P",
    "eligible_messaging_products": ["A2P"],
    "features": {"sms": {"domestic_two_way": True}, "mms": None},
    "health": {"message_count": 1, "success_ratio": 0.5, "spam_ratio": 0.0, "inbound_outbound_ratio": 1.0},
    "organization_id": "org",
    "tags": ["a", "b"],
    "created_at": "2019-01-23T18:10:02.574Z",
    "updated_at": "2019-01-23T18:10:02.574Z",
    "unknown_field": "ignored",
}


def test_a_full_answer_keeps_every_known_field():
    parsed = PhoneNumber.from_api(FULL)
    assert (
        parsed.phone_number == "+18005550001" and parsed.messaging_profile_id == FULL["messaging_profile_id"]
    )
    assert parsed.tags == ("a", "b") and parsed.eligible_messaging_products == ("A2P",)
    assert parsed.health == FULL["health"] and parsed.features == FULL["features"]
    assert not hasattr(parsed, "unknown_field")


def test_a_lean_answer_takes_the_defaults():
    assert PhoneNumber.from_api({"id": "1", "features": None, "tags": None}) == PhoneNumber(id="1")


def test_a_number_without_an_id_is_telnyxs_failure():
    with pytest.raises(UnexpectedStatus, match="phone number that has no id"):
        PhoneNumber.from_api({"phone_number": "+18005550001"})


def test_it_stays_frozen():
    parsed = PhoneNumber.from_api(FULL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.phone_number = "+1"  # type: ignore[misc]
