"""The CSV export of a profile's phone numbers: one header row, then one row per number in API order.

Safe to open in a spreadsheet: a cell that a spreadsheet would read as a formula (starting with
= + - @, a tab or a carriage return) gets a leading apostrophe, so a tag or value written by anyone
with API access cannot run on an auditor's machine. A plain number such as an E.164 phone number
(`+14155550100`) or `-0.5` is left alone: it cannot hold a formula, and quoting it would corrupt
the column people export this file for.
"""

from __future__ import annotations

import csv
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

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_FEATURE_KEYS = ("domestic_two_way", "international_inbound", "international_outbound")
_HEALTH_KEYS = ("message_count", "success_ratio", "spam_ratio", "inbound_outbound_ratio")


def safe_cell(value: Any) -> str:
    """`value` as CSV text that no spreadsheet evaluates as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _feature(number: PhoneNumber, product: str, key: str) -> Any:
    features = number.features.get(product)
    # No MMS at all (features.mms is null) reads as an empty cell, not as "false".
    return features.get(key) if isinstance(features, Mapping) else None


def number_row(number: PhoneNumber) -> list[str]:
    health = number.health if isinstance(number.health, Mapping) else {}
    values: list[Any] = [
        number.id,
        number.phone_number,
        number.country_code,
        number.type,
        number.messaging_product,
        number.traffic_type,
        " ".join(number.eligible_messaging_products),
        *(_feature(number, "sms", key) for key in _FEATURE_KEYS),
        *(_feature(number, "mms", key) for key in _FEATURE_KEYS),
        *(health.get(key) for key in _HEALTH_KEYS),
        " ".join(number.tags),
        number.created_at,
        number.updated_at,
    ]
    return [safe_cell(value) for value in values]


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


# Lines are sent in chunks of about this many characters: one write per row would cost the server
# a system call (and a chunk header) per number, which dominates a 5,000-row export.
CHUNK_CHARS = 32_768


def phone_number_csv_chunks(numbers: Iterable[PhoneNumber]) -> Iterator[str]:
    """The header line, then one CSV line per number, in chunks produced as `numbers` is read."""
    writer = csv.writer(_Echo())
    buffer = [writer.writerow(HEADER)]
    size = len(buffer[0])
    for number in numbers:
        line = writer.writerow(number_row(number))
        buffer.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)
