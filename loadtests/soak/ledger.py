"""What staff did and were told: one `Write` per write they submitted, shared by every session."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

PROFILE_KINDS = frozenset({"create", "edit", "spend_limit", "delete"})
SHORT_CODE_KINDS = frozenset({"bind", "unbind", "tags"})

# The audit action each kind of write records.
ACTIONS = {
    "create": "profile.create",
    "edit": "profile.update",
    "spend_limit": "profile.spend_limit",
    "delete": "profile.delete",
    "bind": "short_code.bind",
    "unbind": "short_code.unbind",
    "tags": "short_code.tags_update",
}

# What the page told the person who saved (loadtests.soak.pages decides):
#   saved       the success message (`read_back`: after the answer was lost and Telnyx was read back),
#               or a banner saying the change was applied before a read for the page failed
#   unchanged   "No changes": the object already held the values, nothing was sent
#   unknown     "We do not know yet whether the change was applied"
#   database    the dashboard's database connection broke during the request: no claim either way
#   not_applied the answer was lost and reading Telnyx back showed the change was not applied
#   failed      a banner saying nothing was changed (Telnyx refused, unreachable, busy, not recorded)
#   conflict    the object moved since the form was loaded
#   duplicate   the create form's "duplicate" panel: the same name was created (or may have been)
#   rejected    the form came back with field errors
#   vanished    the object no longer exists
#   unclear     none of these: always a finding
NOTHING_CHANGED = frozenset({"failed", "not_applied", "conflict", "duplicate", "rejected", "vanished"})


@dataclass
class Write:
    """One write a member of staff submitted, and what the dashboard told them."""

    kind: str
    actor: str
    object_id: str  # for a create: the profile it made (or the duplicate panel showed), once known
    request_id: str
    status: int
    told: str
    wanted: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # a create's name
    note: str = ""
    read_back: bool = False
    pending: bool = False  # a duplicate panel for a create that Telnyx has not confirmed yet
    # time.monotonic() around the POST; the proxy's clock is the same (one process).
    started: float = 0.0
    finished: float = 0.0

    @property
    def key(self) -> str:
        """The object the write is about, as loadtests.soak.truth names applied writes."""
        if self.kind == "create":
            return f"create:{self.label}"
        if self.kind in SHORT_CODE_KINDS:
            return f"short_code:{self.object_id}"
        return f"profile:{self.object_id}"

    @property
    def where(self) -> str:
        return f"{self.kind} {self.request_id} ({self.told})"


@dataclass
class Ledger:
    """Everything the sessions did and were told."""

    writes: list[Write] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    # Answers whose body broke off (a streamed CSV export whose database connection was ended).
    cut_off: list[str] = field(default_factory=list)
    browse_ok: int = 0
    browse_failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)

    def finding(self, text: str) -> None:
        with self.lock:
            self.findings.append(text)

    def broke_off(self, text: str) -> None:
        with self.lock:
            self.cut_off.append(text)

    def browsed(self, ok: bool) -> None:
        with self.lock:
            if ok:
                self.browse_ok += 1
            else:
                self.browse_failed += 1
