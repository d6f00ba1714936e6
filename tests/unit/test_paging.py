"""telnyx_admin.paging: paging values from URLs are corrected, never refused, the same way on every list."""

from __future__ import annotations

import pytest

from telnyx_admin.paging import MAX_PAGE_NUMBER, PagingForm, page_number_from, page_size_from


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("0", 1),
        ("-3", 1),
        ("2", 2),
        (" 7 ", 7),
        ("1.5", 1),
        ("9" * 30, MAX_PAGE_NUMBER),
    ],
)
def test_page_number(raw, expected):
    assert page_number_from(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 20),
        ("", 20),
        ("x", 20),
        ("0", 20),
        ("-50", 20),
        ("1", 20),
        ("20", 20),
        ("21", 50),
        ("50", 50),
        ("100", 100),
        ("101", 250),
        ("250", 250),
        ("251", 250),
        ("9" * 30, 250),
    ],
)
def test_page_size_snaps_up_to_an_offered_size(raw, expected):
    assert page_size_from(raw) == expected


def test_a_list_with_another_default_keeps_the_same_snapping():
    assert page_size_from("", default=10) == 10
    assert page_size_from("30", default=10) == 50


def test_the_form_is_never_invalid_and_reads_both_values():
    form = PagingForm({"page": "x", "page_size": "30"})
    assert form.paging() == (1, 50)
    assert form.is_valid()
    assert PagingForm({}, default_page_size=10).paging() == (1, 10)
    assert PagingForm().paging() == (1, 20)
