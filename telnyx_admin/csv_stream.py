"""CSV downloads that are safe to open in a spreadsheet, streamed in chunks: every export uses this.

The one rule for a cell (`safe_cell`): a cell that a spreadsheet would read as a formula, one that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return, gets a leading apostrophe, so text that
anyone with access to Telnyx or the dashboard typed (a tag, a profile name) cannot run on the machine
of the person who opens the file. A plain number is left as it is, sign and all (`+14155550100`,
`-0.5`): it cannot hold a formula, and quoting it would spoil the E.164 phone-number column that
people export the numbers for. Booleans are written `true`/`false`, missing values as empty cells.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

_FORMULA_START = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
# Lines are sent in chunks of about this many characters: one write per row would cost the server a
# system call (and a chunk header) per row, which dominates a 5,000-row export.
CHUNK_CHARS = 32_768


def safe_cell(value: Any) -> str:
    """`value` as CSV text that no spreadsheet evaluates as a formula (see the module's rule)."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    text = value if type(value) is str else str(value)
    if text and text[0] in _FORMULA_START and _PLAIN_NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def csv_chunks(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The header line, then one line per row (every cell through `safe_cell`), in chunks of about
    CHUNK_CHARS characters, produced as `rows` is read."""
    # csv.writer into a StringIO: both in C, so a row costs no Python-level write() call.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
