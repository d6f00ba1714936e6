"""The CSV export of a profile's phone numbers: one header row, then one row per number in API order.

Cells are written by telnyx_admin.csv_stream, the one rule for spreadsheet-safe CSV: a cell that a
spreadsheet would run as a formula is quoted, a plain number such as an E.164 phone number is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from telnyx_admin.csv_stream import csv_chunks
from telnyx_admin.telnyx.number_listing import NO_FEATURES, NO_HEALTH, FeatureSet, NumberListing

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


def _features(found: FeatureSet | None) -> tuple[bool | None, ...]:
    # No MMS at all (features.mms is null) reads as empty cells, not as "false".
    if found is None:
        return (None, None, None)
    return (found.domestic_two_way, found.international_inbound, found.international_outbound)


def number_row(number: NumberListing) -> tuple[Any, ...]:
    features = number.features or NO_FEATURES
    health = number.health or NO_HEALTH
    return (
        number.id,
        number.phone_number,
        number.country_code,
        number.type,
        number.messaging_product,
        number.traffic_type,
        " ".join(number.eligible_messaging_products),
        *_features(features.sms),
        *_features(features.mms),
        health.message_count,
        health.success_ratio,
        health.spam_ratio,
        health.inbound_outbound_ratio,
        " ".join(number.tags),
        number.created_at,
        number.updated_at,
    )


def phone_number_csv_chunks(numbers: Iterable[NumberListing]) -> Iterator[str]:
    """The header line, then one CSV line per number, in chunks produced as `numbers` is read."""
    return csv_chunks(HEADER, (number_row(number) for number in numbers))
