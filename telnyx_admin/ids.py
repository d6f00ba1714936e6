"""Telnyx object ids: UUIDs, handled in their canonical form (lower case, with dashes).

Profile and short-code ids both come in URLs and form fields. Anything that is not a UUID is refused
before a call reaches Telnyx, and ids are lower-cased on the way in, so a write made through an
upper-case URL is audited under the same id that the object's history looks up.

Every pattern here is applied with `fullmatch`, never with `^…$`: Python's `$` also matches before a
trailing newline, so "<uuid>\\n" would pass.
"""

from __future__ import annotations

import re
import uuid

_HEX = "[0-9a-fA-F]"
UUID_PATTERN = f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
_UUID = re.compile(UUID_PATTERN)
# How people paste an id from a ticket or a log: any case, dashes optional, in braces or not.
_PASTED_UUID = re.compile(rf"\{{?{_HEX}{{8}}-?{_HEX}{{4}}-?{_HEX}{{4}}-?{_HEX}{{4}}-?{_HEX}{{12}}\}}?")


def is_telnyx_id(value: object) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def canonical_id(value: str) -> str:
    """The canonical spelling of an id that `is_telnyx_id` accepted."""
    return value.lower()


def pasted_id(text: str) -> str | None:
    """The canonical id if `text` (surrounding spaces ignored) is a pasted UUID, else None.

    Looser than `is_telnyx_id` on purpose: it reads what people paste into a search box, where a
    braced or dash-less id still means that object.
    """
    candidate = text.strip()
    if _PASTED_UUID.fullmatch(candidate) is None:
        return None
    return str(uuid.UUID(candidate.strip("{}")))


class TelnyxIdConverter:
    """URL converter `<telnyx_id:...>`: a UUID in any case, handed to the view in lower case."""

    regex = UUID_PATTERN

    def to_python(self, value: str) -> str:
        return canonical_id(value)

    def to_url(self, value: object) -> str:
        return canonical_id(str(value))
