"""telnyx_admin.csv_stream: the one rule for spreadsheet-safe cells, used by every CSV download."""

from __future__ import annotations

import csv
import io

import pytest

from telnyx_admin.csv_stream import CHUNK_CHARS, csv_chunks, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Anything a spreadsheet would evaluate gets a leading apostrophe.
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("+1-800-FLOWERS", "'+1-800-FLOWERS"),
        ("+1 555", "'+1 555"),
        ("+", "'+"),
        ("-", "'-"),
        ("+1e5", "'+1e5"),
        ("+14155550100\n", "'+14155550100\n"),
        # Plain numbers cannot carry a formula: E.164 numbers are the numbers export's main column.
        ("+14155550100", "+14155550100"),
        ("-0.5", "-0.5"),
        ("42", "42"),
        # Harmless text, and values that are not text.
        ("Acme = good", "Acme = good"),
        ("otp", "otp"),
        ("", ""),
        (None, ""),
        (True, "true"),
        (False, "false"),
        (0.87, "0.87"),
        (42, "42"),
        (-3, "-3"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_chunks_hold_the_header_then_every_row_in_order_with_safe_cells():
    rows = [(index, f"=evil{index}()", None) for index in range(3_000)]
    chunks = list(csv_chunks(("n", "text", "empty"), iter(rows)))
    assert len(chunks) > 1 and all(len(chunk) < CHUNK_CHARS * 2 for chunk in chunks)
    read = list(csv.reader(io.StringIO("".join(chunks))))
    assert read[0] == ["n", "text", "empty"]
    assert read[1:] == [[str(index), f"'=evil{index}()", ""] for index in range(3_000)]


def test_no_rows_is_just_the_header():
    assert list(csv_chunks(("a", "b"), iter([]))) == ["a,b\r\n"]
