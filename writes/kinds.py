"""What the write path needs to know about each kind of Telnyx object, and how it compares values.

Reading a write back means asking Telnyx for the object and comparing what it holds with what the
write wanted. Each app registers its kind (profiles, short codes) from its AppConfig.ready(): how to
fetch one object, how to find the object a create may have made, and how to name it for people.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


@dataclass(frozen=True)
class ObjectKind:
    object_type: str
    # What people call one ("messaging profile"), for messages.
    noun: str
    # The object by id. Raises NotFound when it does not exist, other TelnyxErrors when Telnyx fails.
    fetch: Callable[[str], Any]
    # A short name for people (the profile's name, "12345 (US)" for a short code).
    label: Callable[[Any], str]
    # For kinds that can be created: the object a create entry made, or None (see writes.judge).
    find_created: Callable[[Any], Any | None] | None = None
    # List attributes whose order means nothing (a set carried as a JSON array).
    unordered: frozenset[str] = field(default_factory=frozenset)
    # Attributes holding a decimal amount as text ("100" and "100.00" are the same limit).
    decimals: frozenset[str] = field(default_factory=frozenset)

    def value(self, obj: Any, name: str) -> Any:
        """The attribute of a fetched object in JSON shape (records as dicts, tuples as lists)."""
        return jsonable(getattr(obj, name, None))

    def canonical(self, name: str, value: Any) -> Any:
        """`value` in the form two equal values share: "" and null alike, sets sorted, amounts and
        whole floats normalised."""
        value = _canonical(jsonable(value))
        if name in self.unordered and isinstance(value, list):
            return sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
        if name in self.decimals and isinstance(value, str):
            try:
                return format(Decimal(value).normalize(), "f")
            except InvalidOperation:
                return value
        return value

    def same(self, name: str, a: Any, b: Any) -> bool:
        return self.canonical(name, a) == self.canonical(name, b)

    def differing(self, obj: Any, values: Mapping[str, Any]) -> dict[str, Any]:
        """The entries of `values` that `obj` does not hold already: what a write of them must send.
        The write path decides this on the object it re-read under the lock (writes.path.update); a
        preview may ask the same question of the object it has."""
        return {
            name: value for name, value in values.items() if not self.same(name, self.value(obj, name), value)
        }

    def digest(self, name: str, value: Any) -> str:
        """A fingerprint of a value for the audit entry's intent: compared on read-back, and short
        even when the value itself is too long to keep whole."""
        text = json.dumps(self.canonical(name, value), sort_keys=True, cls=DjangoJSONEncoder)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def jsonable(value: Any) -> Any:
    """An API value in JSON shape (records become dicts, tuples lists)."""
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    if isinstance(value, tuple | list):
        return [jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {key: jsonable(item) for key, item in value.items()}
    return value


def _canonical(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    return value


_KINDS: dict[str, ObjectKind] = {}


def register(kind: ObjectKind) -> None:
    _KINDS[kind.object_type] = kind


def kind_of(object_type: str) -> ObjectKind:
    """Raises KeyError for a type no app registered."""
    return _KINDS[object_type]
