"""Streaming CSV of audit entries, safe to open in a spreadsheet.

Cells that a spreadsheet would read as a formula (starting with = + - @ or a tab/CR) get a leading
apostrophe: an object label typed by one user must not run as a formula on an auditor's machine.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from audit.models import AuditEntry

HEADER = (
    "time",
    "user",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "outcome",
    "error",
    "changes",
    "request_id",
    "client_ip",
    "resolution",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer over a stream."""

    def write(self, value: str) -> str:
        return value


def entry_rows(entries: Iterable[AuditEntry]) -> Iterator[list[str]]:
    yield list(HEADER)
    for entry in entries:
        yield [
            safe_cell(value)
            for value in (
                entry.created_at.isoformat(),
                entry.actor_username,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_label,
                entry.outcome,
                entry.error,
                json.dumps(entry.changes, cls=DjangoJSONEncoder, sort_keys=True) if entry.changes else "",
                entry.request_id,
                entry.client_ip,
                entry.resolution,
            )
        ]


def entry_csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # iterator(): constant memory however long the log is.
    for row in entry_rows(entries.iterator(chunk_size=2000)):
        yield writer.writerow(row)
