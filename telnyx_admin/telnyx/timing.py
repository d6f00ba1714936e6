"""A per-request tally of Telnyx calls, turned into a `Server-Timing` header by the dashboard.

The tally lives in a context variable so that each request (thread) counts only its own calls.
Work handed to a thread pool must run inside `contextvars.copy_context()` to add to the same tally;
the tally is a mutable object guarded by a lock, so concurrent page fetches add up correctly.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Tally:
    calls: int = 0
    milliseconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, milliseconds: float) -> None:
        with self._lock:
            self.calls += 1
            self.milliseconds += milliseconds

    def server_timing(self) -> str:
        noun = "call" if self.calls == 1 else "calls"
        return f'telnyx;dur={self.milliseconds:.1f};desc="{self.calls} {noun}"'


_current: contextvars.ContextVar[Tally | None] = contextvars.ContextVar("telnyx_tally", default=None)


def record_call(milliseconds: float) -> None:
    tally = _current.get()
    if tally is not None:
        tally.add(milliseconds)


@contextlib.contextmanager
def tally_scope() -> Iterator[Tally]:
    """Count the calls made inside the block, then restore whatever tally was current before.

    Threads in a server are reused across requests; resetting the variable keeps a finished
    request's tally from collecting calls made by whatever that thread does next.
    """
    tally = Tally()
    token = _current.set(tally)
    try:
        yield tally
    finally:
        _current.reset(token)
