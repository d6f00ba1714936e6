"""PhoneNumber.from_api skips the frozen dataclass's __init__ (the export parses thousands): the
object it builds must be exactly the one __init__ would, on the Python versions this was checked on."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from telnyx_admin.telnyx.profiles import PhoneNumber

CHECKED_PYTHONS = {(3, 12), (3, 13)}

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


def test_the_python_version_is_one_the_shortcut_was_checked_on():
    assert sys.version_info[:2] in CHECKED_PYTHONS, (
        "check PhoneNumber.from_api against this Python's dataclasses, then add it to CHECKED_PYTHONS"
    )


@pytest.mark.parametrize("data", [FULL, {"id": "1"}, {**FULL, "features": None, "tags": None}])
def test_it_builds_what_the_dataclass_init_builds(data):
    parsed = PhoneNumber.from_api(data)
    known = {field.name for field in dataclasses.fields(PhoneNumber)}
    fields = {key: value for key, value in data.items() if key in known}
    fields["eligible_messaging_products"] = tuple(fields.get("eligible_messaging_products") or ())
    fields["tags"] = tuple(fields.get("tags") or ())
    if not isinstance(fields.get("features"), dict):
        fields["features"] = {}
    built = PhoneNumber(**fields)
    assert parsed == built
    assert vars(parsed) == vars(built)
    assert repr(parsed) == repr(built)


def test_it_stays_frozen():
    parsed = PhoneNumber.from_api(FULL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.phone_number = "+1"  # type: ignore[misc]


def test_an_answer_without_an_id_is_refused():
    with pytest.raises(TypeError):
        PhoneNumber.from_api({"phone_number": "+18005550001"})
