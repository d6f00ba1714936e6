"""Decoding answers: exact numbers (also past 64 bits, and NaN as json reads it), and non-JSON refused."""

from __future__ import annotations

import math

import pytest

from telnyx_admin.telnyx import errors, http


def test_a_page_decodes():
    assert http.decode(status=200, headers={}, content=b'{"data": [{"id": "x", "n": 1.5}]}') == {
        "data": [{"id": "x", "n": 1.5}]
    }


def test_numbers_decode_exactly():
    assert math.isnan(http.decode(status=200, headers={}, content=b'{"a": NaN}')["a"])
    big = "1" * 30  # past 64 bits
    assert http.decode(status=200, headers={}, content=f'{{"a": {big}}}'.encode()) == {"a": int(big)}


def test_a_body_that_is_not_json_is_still_refused():
    with pytest.raises(errors.UnexpectedStatus):
        http.decode(status=200, headers={}, content=b"<html>proxy</html>")
