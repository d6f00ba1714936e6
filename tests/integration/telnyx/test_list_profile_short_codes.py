"""GET /messaging_profiles/{id}/short_codes."""

import uuid

import pytest

from telnyx_admin.telnyx import errors, profiles, short_codes


def test_it_lists_the_profiles_short_codes(telnyx_settings, fresh_sandbox, bulk_profile_id):
    page = profiles.list_profile_short_codes(profile_id=bulk_profile_id)
    assert page.total_results == 4
    assert all(isinstance(code, short_codes.ShortCode) for code in page)
    assert {code.messaging_profile_id for code in page} == {bulk_profile_id}


def test_it_agrees_with_the_short_code_filter(telnyx_settings, fresh_sandbox, bulk_profile_id):
    via_profile = profiles.list_profile_short_codes(profile_id=bulk_profile_id, page_size=250)
    via_filter = short_codes.list_short_codes(messaging_profile_id=bulk_profile_id, page_size=250)
    assert via_profile.items == via_filter.items


def test_an_unknown_profile_is_not_found(telnyx_settings):
    with pytest.raises(errors.NotFound):
        profiles.list_profile_short_codes(profile_id=str(uuid.uuid4()))
