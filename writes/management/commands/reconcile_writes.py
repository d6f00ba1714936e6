"""`manage.py reconcile_writes`: resolve writes whose answer from Telnyx was lost.

Safe to run from cron or a periodic task on every instance at once: each open entry is judged under
its object's write lock and resolved at most once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from writes.reconcile import reconcile_open


class Command(BaseCommand):
    help = "Read back writes whose outcome is unknown and record whether Telnyx applied them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="At most this many entries per run.")

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        counts = reconcile_open(limit=limit)
        if not counts:
            self.stdout.write("No open writes to reconcile.")
            return
        summary = ", ".join(f"{result}: {number}" for result, number in sorted(counts.items()))
        self.stdout.write(f"Reconciled {sum(counts.values())} open write(s): {summary}.")
