"""The CSV export of a profile's phone numbers: one header row, then one row per number in API order.

Cells are written by telnyx_admin.csv_stream, the one rule for spreadsheet-safe CSV: a cell that a
spreadsheet would run as a formula is quoted, a plain number such as an E.164 phone number is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from telnyx_admin.csv_stream import csv_chunks
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

_FEATURE_KEYS = ("domestic_two_way", "international_inbound", "international_outbound")
_HEALTH_KEYS = ("message_count", "success_ratio", "spam_ratio", "inbound_outbound_ratio")
_NO_FEATURES = (None, None, None)


def _features(features: Mapping[str, Any], product: str) -> tuple[Any, ...]:
    found = features.get(product)
    # No MMS at all (features.mms is null) reads as empty cells, not as "false".
    if not isinstance(found, dict):
        return _NO_FEATURES
    return tuple(found.get(key) for key in _FEATURE_KEYS)


def number_row(number: PhoneNumber) -> tuple[Any, ...]:
    health = number.health if isinstance(number.health, dict) else {}
    return (
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


def phone_number_csv_chunks(numbers: Iterable[PhoneNumber]) -> Iterator[str]:
    """The header line, then one CSV line per number, in chunks produced as `numbers` is read."""
    return csv_chunks(HEADER, (number_row(number) for number in numbers))
