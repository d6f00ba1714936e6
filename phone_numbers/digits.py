"""Phone numbers as the index matches them: digits only, whatever people type around them."""

from __future__ import annotations

import re

_NOT_DIGIT = re.compile(r"\D+")


def digits_of(text: str) -> str:
    """`+1 (415) 555-0100` -> `14155550100`: spaces, dashes, brackets, dots and `+` are dropped."""
    return _NOT_DIGIT.sub("", text or "")
