"""Streaming CSV of audit entries, safe to open in a spreadsheet (telnyx_admin.csv_stream)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from audit.models import AuditEntry
from telnyx_admin.csv_stream import csv_chunks

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


def entry_row(entry: AuditEntry) -> tuple[object, ...]:
    return (
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


def entry_csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    # iterator(): constant memory however long the log is.
    return csv_chunks(HEADER, (entry_row(entry) for entry in entries.iterator(chunk_size=2000)))
