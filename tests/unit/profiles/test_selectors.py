"""profiles.selectors: paging values from URLs are clamped, pasted profile ids are recognised."""

from __future__ import annotations

import pytest

from profiles.selectors import MAX_PAGE_NUMBER, clamp_page_number, clamp_page_size, profile_id_in

PROFILE_ID = "8176ad5f-ab50-46dd-9d41-d47983daa976"


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
def test_clamp_page_number(raw, expected):
    assert clamp_page_number(raw) == expected


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
def test_clamp_page_size(raw, expected):
    assert clamp_page_size(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        PROFILE_ID,
        PROFILE_ID.upper(),
        f"  {PROFILE_ID}\n",
        "{" + PROFILE_ID + "}",
        PROFILE_ID.replace("-", ""),
    ],
)
def test_a_pasted_id_is_recognised_in_canonical_form(text):
    assert profile_id_in(text) == PROFILE_ID


@pytest.mark.parametrize(
    "text", ["", "acme", PROFILE_ID[:-1], PROFILE_ID + "0", f"Acme {PROFILE_ID}", "g" * 32]
)
def test_anything_else_is_a_name_search(text):
    assert profile_id_in(text) is None
