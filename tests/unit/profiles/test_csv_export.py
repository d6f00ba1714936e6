"""profiles.csv_export: the row layout and formula-safe cells, on crafted records the sandbox cannot hold."""

from __future__ import annotations

import csv
import io
import json

from profiles.csv_export import HEADER, phone_number_csv_chunks
from telnyx_admin.csv_stream import CHUNK_CHARS
from telnyx_admin.telnyx import number_listing
from telnyx_admin.telnyx.number_listing import NumberListing


def _page(*numbers: dict) -> tuple[NumberListing, ...]:
    """Numbers decoded as the export decodes a page of them."""
    body = json.dumps({"data": list(numbers), "meta": {"total_pages": 1}}).encode()
    return number_listing._parse(body).items


def _number(**fields) -> NumberListing:
    data = {
        "id": "1234",
        "phone_number": "+14155550100",
        "country_code": "US",
        "type": "longcode",
        "messaging_product": "A2P",
        "traffic_type": "A2P",
        "eligible_messaging_products": ["A2P", "P2P"],
        "features": {
            "sms": {"domestic_two_way": True, "international_inbound": False, "international_outbound": True},
            "mms": None,
        },
        "health": {
            "message_count": 10,
            "success_ratio": 0.9,
            "spam_ratio": 0.01,
            "inbound_outbound_ratio": 1.1,
        },
        "tags": ["otp", "=evil()"],
        "created_at": "2024-03-05T06:32:00.000Z",
        "updated_at": "2024-05-16T06:32:00.000Z",
        **fields,
    }
    (number,) = _page(data)
    return number


def _row(number: NumberListing) -> dict[str, str]:
    """The number's line of a real export, read back by a CSV reader."""
    header, line = csv.reader(io.StringIO("".join(phone_number_csv_chunks([number]))))
    return dict(zip(header, line, strict=True))


def test_a_row_has_one_cell_per_header_column():
    row = _row(_number())
    assert row["phone_number"] == "+14155550100"
    assert row["eligible_messaging_products"] == "A2P P2P"
    assert row["sms_domestic_two_way"] == "true"
    assert row["sms_international_inbound"] == "false"
    assert row["mms_domestic_two_way"] == ""  # no MMS at all is not "false"
    assert row["health_success_ratio"] == "0.9"
    assert row["tags"] == "otp =evil()"  # joined: the cell starts with "otp", harmless


def test_a_dangerous_first_tag_is_quoted():
    row = _row(_number(tags=["=evil()", "otp"]))
    assert row["tags"] == "'=evil() otp"


def test_missing_health_and_features_give_empty_cells():
    row = _row(_number(health=None, features=None))
    assert row["health_message_count"] == "" and row["sms_domestic_two_way"] == ""


def test_an_integral_ratio_is_written_as_telnyx_wrote_it():
    row = _row(
        _number(
            health={"message_count": 3, "success_ratio": 1, "spam_ratio": 0, "inbound_outbound_ratio": 2.5}
        )
    )
    assert (row["health_success_ratio"], row["health_spam_ratio"], row["health_inbound_outbound_ratio"]) == (
        "1",
        "0",
        "2.5",
    )


def test_a_page_that_breaks_the_contracts_types_still_exports_every_number():
    odd = {
        "id": 42,
        "phone_number": "+14155550199",
        "tags": ["=evil()", 7],
        "features": {"sms": {"domestic_two_way": "yes", "international_inbound": True}, "mms": "none"},
        "health": {"message_count": "lots", "success_ratio": 0.5},
    }
    fine, strange = _page({"id": "1", "phone_number": "+14155550100"}, odd)
    assert fine == NumberListing(id="1", phone_number="+14155550100")
    row = _row(strange)
    assert (row["id"], row["phone_number"], row["tags"]) == ("42", "+14155550199", "'=evil() 7")
    assert (row["sms_domestic_two_way"], row["sms_international_inbound"], row["mms_domestic_two_way"]) == (
        "",
        "true",
        "",
    )
    assert (row["health_message_count"], row["health_success_ratio"]) == ("", "0.5")


def test_chunks_hold_the_header_then_every_row_in_order():
    numbers = [_number(id=str(index), phone_number=f"+1415555{index:04d}") for index in range(2_000)]
    chunks = list(phone_number_csv_chunks(iter(numbers)))
    assert len(chunks) > 1 and all(len(chunk) < CHUNK_CHARS * 2 for chunk in chunks)
    rows = list(csv.reader(io.StringIO("".join(chunks))))
    assert rows[0] == list(HEADER)
    assert [row[0] for row in rows[1:]] == [str(index) for index in range(2_000)]


def test_no_numbers_is_just_the_header():
    assert list(phone_number_csv_chunks(iter([]))) == [",".join(HEADER) + "\r\n"]
