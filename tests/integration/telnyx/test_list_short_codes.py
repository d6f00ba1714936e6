"""GET /short_codes: all, one profile's, or unassigned."""

import pytest

from telnyx_admin.telnyx import short_codes


def test_it_lists_every_short_code(telnyx_settings, fresh_sandbox):
    page = short_codes.list_short_codes(page_size=100)
    assert page.total_results == 44 and len(page) == 44


def test_it_lists_unassigned_ones(telnyx_settings, fresh_sandbox):
    page = short_codes.list_short_codes(unassigned=True, page_size=100)
    assert page.total_results == 12
    assert all(code.messaging_profile_id is None for code in page)


def test_it_lists_one_profiles(telnyx_settings, fresh_sandbox, bulk_profile_id):
    page = short_codes.list_short_codes(messaging_profile_id=bulk_profile_id)
    assert page.total_results == 4
    assert all(code.messaging_profile_id == bulk_profile_id for code in page)


def test_it_pages(telnyx_settings, fresh_sandbox):
    pages = [short_codes.list_short_codes(page_number=n, page_size=20) for n in (1, 2, 3)]
    ids = [code.id for page in pages for code in page]
    assert len(ids) == 44 == len(set(ids))
    assert pages[2].total_pages == 3 and not pages[2].has_next()


def test_profile_and_unassigned_together_is_a_programming_error(telnyx_settings):
    with pytest.raises(ValueError):
        short_codes.list_short_codes(messaging_profile_id="x", unassigned=True)
