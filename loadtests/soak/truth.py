"""What really reached Telnyx: the writes the sandbox applied, as the FaultProxy in front of it saw
them (a write answered 2xx by the sandbox was applied, whether or not the dashboard heard the answer),
each put down to the submission that caused it.

Every object in the soak is written by one session, one submission at a time, so the write applied
to an object at time t belongs to that object's last submission started before t (a create's object
is its name, unique per intended profile; submitting it again reuses the name).
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from devservers.fault_proxy import Forwarded
from loadtests.soak.ledger import Write

_OBJECT_PATH = re.compile(r"^/v2/(messaging_profiles|short_codes)/([^/]+)$")
_KEY_PREFIX = {"messaging_profiles": "profile", "short_codes": "short_code"}
DELETED = "(deleted)"


@dataclass(frozen=True)
class Applied:
    """One write the sandbox applied."""

    at: float
    key: str  # create:<name> | profile:<id> | short_code:<id>
    object_id: str  # the profile a create made
    method: str
    values: dict[str, Any]  # what the request set (a delete: {DELETED: True})
    lost: bool  # the dashboard never got the answer

    @property
    def target(self) -> str:
        """The object's own key (a create's is the new profile)."""
        return f"profile:{self.object_id}" if self.key.startswith("create:") else self.key


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def applied_writes(forwarded: list[Forwarded]) -> list[Applied]:
    """The applied writes among everything the proxy forwarded, in the order the sandbox answered."""
    found = []
    for write in sorted(forwarded, key=lambda f: f.at):
        if not write.applied:
            continue
        path = urlsplit(write.path).path
        values = _json(write.request_body)
        object_id = str((_json(write.response_body).get("data") or {}).get("id") or "")
        if write.method == "POST" and path == "/v2/messaging_profiles":
            key = f"create:{values.get('name', '')}"
        elif match := _OBJECT_PATH.match(path):
            key, object_id = f"{_KEY_PREFIX[match[1]]}:{match[2]}", match[2]
        else:
            key = f"other:{write.method} {path}"
        if write.method == "DELETE":
            values = {DELETED: True}
        found.append(Applied(write.at, key, object_id, write.method, values, write.lost))
    return found


@dataclass
class Attribution:
    """Which submission caused each applied write."""

    by_write: dict[int, list[Applied]] = field(default_factory=lambda: defaultdict(list))
    strays: list[Applied] = field(default_factory=list)

    def of(self, write: Write) -> list[Applied]:
        return self.by_write.get(id(write), [])


def attribute(writes: list[Write], applied: list[Applied]) -> Attribution:
    by_key: dict[str, list[Write]] = defaultdict(list)
    for write in writes:
        by_key[write.key].append(write)
    for submissions in by_key.values():
        submissions.sort(key=lambda w: w.started)
    result = Attribution()
    for change in applied:
        submissions = by_key.get(change.key, [])
        index = bisect.bisect_right([w.started for w in submissions], change.at) - 1
        if index < 0:
            result.strays.append(change)
        else:
            result.by_write[id(submissions[index])].append(change)
    return result


@dataclass
class History:
    """Each object's values over time: where it started, then every applied write."""

    initial: dict[str, dict[str, Any]] = field(default_factory=dict)
    changes: dict[str, list[Applied]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, applied: list[Applied], initial: dict[str, dict[str, Any]]) -> History:
        history = cls(initial={key: dict(values) for key, values in initial.items()})
        for change in applied:
            history.changes[change.target].append(change)
        return history

    def value_at(self, key: str, name: str, at: float) -> tuple[bool, Any]:
        """(known, value) of one attribute just before `at`."""
        for change in reversed(self.changes.get(key, [])):
            if change.at < at and name in change.values:
                return True, change.values[name]
        values = self.initial.get(key, {})
        return (name in values), values.get(name)

    def last_values(self, key: str) -> dict[str, Any]:
        values = dict(self.initial.get(key, {}))
        for change in self.changes.get(key, []):
            values.update(change.values)
        return values

    def keys(self) -> set[str]:
        return set(self.changes)


def same(held: Any, wanted: Any) -> bool:
    """Equal as the API means it: lists as sets, amounts as decimals, "" as null."""
    if isinstance(wanted, list) or isinstance(held, list):
        return sorted(held or []) == sorted(wanted or [])
    if held in ("", None) and wanted in ("", None):
        return True
    if isinstance(wanted, str) and isinstance(held, str):
        try:
            return Decimal(held) == Decimal(wanted)
        except InvalidOperation:
            return held == wanted
    return held == wanted
