"""Faults over time: the sandbox misbehaves, the proxy in front of it loses answers, and on PostgreSQL
the dashboard's database connections are ended under it.

The sandbox's own faults strike before it processes a request (a 5xx there never applied anything).
The proxy's strike after: the sandbox applied the write, then its answer is dropped, or held past the
dashboard's read timeout and dropped, and sometimes the reads that would check it are lost as well.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from loadtests.site import Site
from loadtests.soak.database import Terminator

# A read is tried this often (TELNYX_MAX_RETRIES 2, plus the first): losing that many answers makes
# the read-back after a lost write fail.
READ_ATTEMPTS = 3


@dataclass(frozen=True)
class Phase:
    """One stretch of the cycle. Counts are per 3 seconds of the phase (scaled to its length)."""

    name: str
    sandbox: dict[str, Any] = field(default_factory=dict)
    lose: int = 0  # writes whose answer is lost after the sandbox applied them
    stall: bool = False  # ... held past the dashboard's read timeout first (else dropped at once)
    lose_read_backs: bool = False  # ... and the reads of the written object after each
    terminate_mid_write: int = 0  # PostgreSQL: connections ended while a write waits for its answer


# Rates are deterministic in the sandbox (every 5th request of 0.2), so a run is reproducible up to
# thread interleaving.
FAULT_PHASES: tuple[Phase, ...] = (
    Phase("20% 503", {"error_rate": 0.2, "error_status": 503, "latency_ms": 20}, lose=1),
    Phase("429 bursts", {"rate_limit": {"limit": 12, "window_seconds": 2}, "latency_ms": 10}),
    Phase("answers lost", {"latency_ms": 10}, lose=4),
    Phase("20% 500", {"error_rate": 0.2, "error_status": 500, "latency_ms": 20}, lose=1, stall=True),
    Phase("dropped connections", {"drop_rate": 0.15, "latency_ms": 30}),
    Phase("answers stalled past the read timeout", {"latency_ms": 10}, lose=3, stall=True),
    Phase("latency 400 ms", {"latency_ms": 400}),
    Phase("20% 502 + drops + 429 bursts", {
        "error_rate": 0.2, "error_status": 502, "drop_rate": 0.05, "latency_ms": 50,
        "rate_limit": {"limit": 25, "window_seconds": 2}, "retry_after_seconds": 5,
    }),
    Phase(
        "answers and read-backs lost", {"latency_ms": 10}, lose=3, lose_read_backs=True,
        terminate_mid_write=2,
    ),
    Phase(
        "20% 504", {"error_rate": 0.2, "error_status": 504, "latency_ms": 20}, lose=1,
        terminate_mid_write=2,
    ),
    Phase("calm", {}, terminate_mid_write=1),
)  # fmt: skip


class FaultCycle(threading.Thread):
    """Moves the sandbox and the proxy through FAULT_PHASES, `phase_seconds` each, until stopped."""

    def __init__(
        self, site: Site, *, phase_seconds: float, stall_seconds: float, terminator: Terminator | None
    ) -> None:
        super().__init__(name="faults", daemon=True)
        if site.proxy is None:
            raise ValueError("the soak needs the site started with lossy=True (a proxy to lose answers)")
        self.site = site
        self.proxy = site.proxy
        self.phase_seconds = phase_seconds
        self.stall_seconds = stall_seconds
        self.terminator = terminator
        self.stopped = threading.Event()
        self.phases_run: list[str] = []

    def run(self) -> None:
        for phase in itertools.cycle(FAULT_PHASES):
            if self.stopped.is_set():
                return
            self.enter(phase)
            self.phases_run.append(phase.name)
            if self.stopped.wait(self.phase_seconds):
                return

    def _scaled(self, count: int) -> int:
        return max(1, round(count * self.phase_seconds / 3.0)) if count else 0

    def enter(self, phase: Phase) -> None:
        self.site.sandbox.set_faults(**phase.sandbox)
        self.proxy.clear()
        mid_write = self.terminator.terminate_mid_write if self.terminator is not None else None
        if phase.lose:
            self.proxy.lose_answers(
                count=self._scaled(phase.lose),
                stall=self.stall_seconds if phase.stall else 0.0,
                then_lose_reads=READ_ATTEMPTS if phase.lose_read_backs else 0,
                on_forwarded=mid_write if phase.terminate_mid_write else None,
            )
        if phase.terminate_mid_write and mid_write is not None:
            self.proxy.after_forwarding(mid_write, count=self._scaled(phase.terminate_mid_write))

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
        self.proxy.clear()
        self.site.sandbox.clear_faults()
