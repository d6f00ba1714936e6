"""The JSON round-trip shared by the service layer's records (frozen dataclasses).

Unknown keys in an answer are ignored (Telnyx adds fields over time); missing keys take the
contract's defaults, so an older or leaner answer still parses. A record without its id cannot be
used at all: that answer is Telnyx's failure (`without_id`, an UnexpectedStatus, so a page shows the
error banner), never a TypeError and a 500.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Self

from telnyx_admin.telnyx.errors import UnexpectedStatus


def as_tuple(value: Any) -> tuple[Any, ...]:
    if type(value) is list:  # what JSON gives: checked first, as it is cheaper than isinstance
        return tuple(value)
    return tuple(value) if isinstance(value, list | tuple) else ()


def parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def without_id(noun: str) -> UnexpectedStatus:
    """The error for an answer that lists or returns a `noun` without its id."""
    return UnexpectedStatus(f"Telnyx answered with a {noun} that has no id.")


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    # Computed once per class: an export parses thousands of records.
    return frozenset(f.name for f in dataclasses.fields(cls))


class Record:
    """Shared JSON round-trip for the records below (all frozen dataclasses)."""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        known = _field_names(cls)  # type: ignore[arg-type]  # a class is hashable
        if "id" in known and "id" not in data:  # the one field without a default
            raise without_id(re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower())
        return cls(**{key: value for key, value in data.items() if key in known})

    def to_dict(self) -> dict[str, Any]:
        """The API's JSON shape (lists, nested objects, null), e.g. for audit before/after."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, Record):
                value = value.to_dict()
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            out[f.name] = value
        return out
