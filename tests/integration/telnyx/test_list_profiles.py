"""GET /messaging_profiles through the service layer: pages, name filters, Page metadata."""

import pytest

from telnyx_admin.telnyx import errors, profiles


def test_it_returns_the_first_page_with_meta(telnyx_settings):
    page = profiles.list_profiles()
    assert isinstance(page.items[0], profiles.MessagingProfile)
    assert (page.page_number, page.page_size) == (1, 20)
    assert page.total_results == 57 and page.total_pages == 3
    assert len(page) == 20 and page.has_next() and not page.has_previous()


def test_pages_do_not_overlap(telnyx_settings):
    first = profiles.list_profiles(page_number=1, page_size=25)
    second = profiles.list_profiles(page_number=2, page_size=25)
    assert not {p.id for p in first} & {p.id for p in second}
    assert second.number == 2 and second.start_index() == 26


def test_it_filters_by_name_contains(telnyx_settings):
    page = profiles.list_profiles(name_contains="Bulk")
    assert page.total_results >= 1
    assert all("bulk" in p.name.lower() for p in page)


def test_it_filters_by_exact_name(telnyx_settings):
    page = profiles.list_profiles(name_eq="Acme Bulk Notifications")
    assert [p.name for p in page] == ["Acme Bulk Notifications"]


def test_an_unmatched_filter_is_an_empty_page(telnyx_settings):
    page = profiles.list_profiles(name_contains="no profile is called this")
    assert page.items == () and page.total_results == 0


def test_it_parses_every_contract_field(telnyx_settings, sandbox):
    page = profiles.list_profiles(page_size=50)
    raw = sandbox.get("/messaging_profiles", params={"page[size]": 50}).json()["data"]
    assert [p.to_dict() for p in page] == raw


def test_a_bad_page_size_is_a_validation_error_keyed_by_parameter(telnyx_settings):
    with pytest.raises(errors.ValidationFailed) as caught:
        profiles.list_profiles(page_size=251)
    assert "page[size]" in caught.value.field_errors()
