"""The account-wide CSVs, streamed from the index: every number with its profile's name, and one line
per profile (numbers, short codes, spend limit). Cells go through telnyx_admin.csv_stream, the one
rule for spreadsheet-safe CSV."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from phone_numbers.models import IndexedNumber
from telnyx_admin.csv_stream import csv_chunks

NUMBER_HEADER = (
    "phone_number",
    "profile_id",
    "profile_name",
    "id",
    "country_code",
    "type",
    "messaging_product",
    "traffic_type",
    "health_message_count",
    "health_success_ratio",
    "health_spam_ratio",
    "tags",
    "seen_at",
)
SUMMARY_HEADER = (
    "profile_id",
    "profile_name",
    "phone_numbers",
    "short_codes",
    "daily_spend_limit",
    "daily_spend_limit_enabled",
    "numbers_read_at",
)


def number_csv_chunks(numbers: QuerySet[IndexedNumber], names: Mapping[str, str]) -> Iterator[str]:
    # iterator(): constant memory, however many numbers the account holds.
    rows = (
        (
            number.phone_number,
            number.profile_id,
            names.get(number.profile_id, ""),
            number.number_id,
            number.country_code,
            number.type,
            number.messaging_product,
            number.traffic_type,
            number.message_count,
            number.success_ratio,
            number.spam_ratio,
            " ".join(number.tag_list),
            number.seen_at.isoformat(),
        )
        for number in numbers.iterator(chunk_size=2000)
    )
    return csv_chunks(NUMBER_HEADER, rows)


def summary_csv_chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    return csv_chunks(SUMMARY_HEADER, rows)
