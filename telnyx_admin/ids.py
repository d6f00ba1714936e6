"""Telnyx object ids: UUIDs, handled in their canonical form (lower case, with dashes).

Profile and short-code ids both come in URLs and form fields. Anything that is not a UUID is refused
before a call reaches Telnyx, and ids are lower-cased on the way in, so a write made through an
upper-case URL is audited under the same id that the object's history looks up.
"""

from __future__ import annotations

import re

# fullmatch, never `$`: `$` also matches before a trailing newline.
UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID = re.compile(UUID_PATTERN)


def is_telnyx_id(value: object) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


def canonical_id(value: str) -> str:
    """The canonical spelling of an id that `is_telnyx_id` accepted."""
    return value.lower()


class TelnyxIdConverter:
    """URL converter `<telnyx_id:...>`: a UUID in any case, handed to the view in lower case."""

    regex = UUID_PATTERN

    def to_python(self, value: str) -> str:
        return canonical_id(value)

    def to_url(self, value: object) -> str:
        return canonical_id(str(value))
