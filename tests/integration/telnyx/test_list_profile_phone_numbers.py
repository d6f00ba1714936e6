"""GET /messaging_profiles/{id}/phone_numbers, one page at a time."""

import uuid

import pytest

from telnyx_admin.telnyx import errors, profiles


def test_it_returns_a_page_of_numbers(telnyx_settings, bulk_profile_id):
    page = profiles.list_profile_phone_numbers(profile_id=bulk_profile_id, page_number=2, page_size=50)
    assert len(page) == 50 and page.page_number == 2
    assert page.total_results == 5250 and page.total_pages == 105
    assert all(isinstance(n, profiles.PhoneNumber) for n in page)
    assert all(n.messaging_profile_id == bulk_profile_id for n in page)
    assert all(n.phone_number.startswith("+") for n in page)


def test_it_parses_every_field(telnyx_settings, sandbox, bulk_profile_id):
    page = profiles.list_profile_phone_numbers(profile_id=bulk_profile_id, page_size=10)
    raw = sandbox.get(
        f"/messaging_profiles/{bulk_profile_id}/phone_numbers", params={"page[size]": 10}
    ).json()
    assert [n.to_dict() for n in page] == raw["data"]


def test_an_unknown_profile_is_not_found(telnyx_settings):
    with pytest.raises(errors.NotFound):
        profiles.list_profile_phone_numbers(profile_id=str(uuid.uuid4()))
