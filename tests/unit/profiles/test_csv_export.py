"""profiles.csv_export: the row layout and formula-safe cells, on crafted records the sandbox cannot hold."""

from __future__ import annotations

import csv
import io

from profiles.csv_export import HEADER, phone_number_csv_chunks
from telnyx_admin.csv_stream import CHUNK_CHARS
from telnyx_admin.telnyx.profiles import PhoneNumber


def _number(**fields) -> PhoneNumber:
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
    return PhoneNumber.from_api(data)


def _row(number: PhoneNumber) -> dict[str, str]:
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


def test_chunks_hold_the_header_then_every_row_in_order():
    numbers = [_number(id=str(index), phone_number=f"+1415555{index:04d}") for index in range(2_000)]
    chunks = list(phone_number_csv_chunks(iter(numbers)))
    assert len(chunks) > 1 and all(len(chunk) < CHUNK_CHARS * 2 for chunk in chunks)
    rows = list(csv.reader(io.StringIO("".join(chunks))))
    assert rows[0] == list(HEADER)
    assert [row[0] for row in rows[1:]] == [str(index) for index in range(2_000)]


def test_no_numbers_is_just_the_header():
    assert list(phone_number_csv_chunks(iter([]))) == [",".join(HEADER) + "\r\n"]
