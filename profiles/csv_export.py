"""The CSV export of a profile's phone numbers: one header row, then one row per number in API order.

Safe to open in a spreadsheet: a cell that a spreadsheet would read as a formula (starting with
= + - @, a tab or a carriage return) gets a leading apostrophe, so a tag or value written by anyone
with API access cannot run on an auditor's machine. A plain number such as an E.164 phone number
(`+14155550100`) or `-0.5` is left alone: it cannot hold a formula, and quoting it would corrupt
the column people export this file for.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from telnyx_admin.telnyx.profiles import PhoneNumber

HEADER = (
    "id",
    "phone_number",
    "country_code",
    "type",
    "messaging_product",
    "traffic_type",
    "eligible_messaging_products",
    "sms_domestic_two_way",
    "sms_international_inbound",
    "sms_international_outbound",
    "mms_domestic_two_way",
    "mms_international_inbound",
    "mms_international_outbound",
    "health_message_count",
    "health_success_ratio",
    "health_spam_ratio",
    "health_inbound_outbound_ratio",
    "tags",
    "created_at",
    "updated_at",
)

_FORMULA_START = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_FEATURE_KEYS = ("domestic_two_way", "international_inbound", "international_outbound")
_HEALTH_KEYS = ("message_count", "success_ratio", "spam_ratio", "inbound_outbound_ratio")
_NO_FEATURES = (None, None, None)

# Written for speed as much as clarity: an export formats ~20 cells for each of thousands of
# numbers, so the common case (plain text, no formula character first) takes the shortest path.


def safe_cell(value: Any) -> str:
    """`value` as CSV text that no spreadsheet evaluates as a formula."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    text = value if type(value) is str else str(value)
    if text and text[0] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _features(features: Mapping[str, Any], product: str) -> tuple[Any, ...]:
    found = features.get(product)
    # No MMS at all (features.mms is null) reads as empty cells, not as "false".
    if not isinstance(found, dict):
        return _NO_FEATURES
    return tuple(found.get(key) for key in _FEATURE_KEYS)


def number_row(number: PhoneNumber) -> list[str]:
    health = number.health if isinstance(number.health, dict) else {}
    values = (
        number.id,
        number.phone_number,
        number.country_code,
        number.type,
        number.messaging_product,
        number.traffic_type,
        " ".join(number.eligible_messaging_products),
        *_features(number.features, "sms"),
        *_features(number.features, "mms"),
        *(health.get(key) for key in _HEALTH_KEYS),
        " ".join(number.tags),
        number.created_at,
        number.updated_at,
    )
    # safe_cell inlined for the common cases (text, None): ~100,000 cells per 5,000-number export.
    cells = []
    for value in values:
        if type(value) is str:
            if value and value[0] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(value):
                value = "'" + value
            cells.append(value)
        elif value is None:
            cells.append("")
        else:
            cells.append(safe_cell(value))
    return cells


# Lines are sent in chunks of about this many characters: one write per row would cost the server
# a system call (and a chunk header) per number, which dominates a 5,000-row export.
CHUNK_CHARS = 32_768


def phone_number_csv_chunks(numbers: Iterable[PhoneNumber]) -> Iterator[str]:
    """The header line, then one CSV line per number, in chunks produced as `numbers` is read."""
    # csv.writer into a StringIO: both in C, so a row costs no Python-level write() call.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for number in numbers:
        writer.writerow(number_row(number))
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
