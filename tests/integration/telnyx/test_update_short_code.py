"""PATCH /short_codes/{id}: bind, unbind, tag."""

import uuid

import pytest

from telnyx_admin.telnyx import errors, short_codes


@pytest.fixture
def unassigned(telnyx_settings, fresh_sandbox):
    return short_codes.list_short_codes(unassigned=True).items[0]


def test_it_binds_to_a_profile(unassigned, bulk_profile_id):
    bound = short_codes.update_short_code(short_code_id=unassigned.id, messaging_profile_id=bulk_profile_id)
    assert bound.messaging_profile_id == bulk_profile_id
    assert bound.tags == unassigned.tags  # tags omitted: left alone


@pytest.mark.parametrize("nothing", [None, ""])
def test_none_or_empty_unbinds(unassigned, bulk_profile_id, nothing):
    short_codes.update_short_code(short_code_id=unassigned.id, messaging_profile_id=bulk_profile_id)
    unbound = short_codes.update_short_code(short_code_id=unassigned.id, messaging_profile_id=nothing)
    assert unbound.messaging_profile_id is None


def test_it_replaces_tags(unassigned, bulk_profile_id):
    tagged = short_codes.update_short_code(
        short_code_id=unassigned.id, messaging_profile_id=bulk_profile_id, tags=["vip", "pilot"]
    )
    assert tagged.tags == ("vip", "pilot")
    cleared = short_codes.update_short_code(
        short_code_id=unassigned.id, messaging_profile_id=bulk_profile_id, tags=[]
    )
    assert cleared.tags == ()


def test_binding_to_an_unknown_profile_is_rejected(unassigned):
    with pytest.raises(errors.ValidationFailed) as caught:
        short_codes.update_short_code(short_code_id=unassigned.id, messaging_profile_id=str(uuid.uuid4()))
    assert list(caught.value.field_errors()) == ["/messaging_profile_id"]


def test_an_unknown_short_code_is_not_found(telnyx_settings, bulk_profile_id):
    with pytest.raises(errors.NotFound):
        short_codes.update_short_code(short_code_id=str(uuid.uuid4()), messaging_profile_id=bulk_profile_id)
