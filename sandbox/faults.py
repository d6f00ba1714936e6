"""Injected faults and request statistics, held in the memory of the single sandbox process.

Faults are deterministic so that tests are reproducible: a rate r selects the requests where
floor(n * r) steps up (n counting requests since the last PUT), so 0.5 fails exactly every second
request and 0.25 every fourth. Each kind has its own counter, checked in this order:

1. latency_ms: every request first waits this long (in its own thread, others are not blocked);
2. drop_rate: the connection is closed without any response;
3. rate_limit: more than `limit` requests in a fixed window of `window_seconds` get a 429;
4. error_rate: the request fails with `error_status`.
"""

import math
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Action = Literal["drop", "rate_limit", "error"]


@dataclass(frozen=True)
class FaultConfig:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 500
    rate_limit: dict[str, float] | None = None
    retry_after_seconds: int | None = None
    drop_rate: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Decision:
    latency_ms: int = 0
    action: Action | None = None
    retry_after: int | None = None
    error_status: int = 500


def _selected(count: int, rate: float) -> bool:
    """Whether the count-th request (1-based) is one of the `rate` share that gets the fault."""
    return rate > 0 and math.floor(count * rate + 1e-9) > math.floor((count - 1) * rate + 1e-9)


@dataclass
class FaultState:
    config: FaultConfig = field(default_factory=FaultConfig)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _counts: Counter[str] = field(default_factory=Counter)
    _window_start: float = 0.0
    _window_used: int = 0

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._counts.clear()
            self._window_start = 0.0
            self._window_used = 0

    def clear(self) -> None:
        self.configure(FaultConfig())

    def decide(self) -> Decision:
        with self._lock:
            config = self.config
            self._counts["drop"] += 1
            if _selected(self._counts["drop"], config.drop_rate):
                return Decision(config.latency_ms, "drop")
            if config.rate_limit is not None:
                now = time.monotonic()
                window = float(config.rate_limit["window_seconds"])
                if self._window_used == 0 or now >= self._window_start + window:
                    self._window_start, self._window_used = now, 0
                if self._window_used >= config.rate_limit["limit"]:
                    remaining = max(1, math.ceil(self._window_start + window - now))
                    retry_after = config.retry_after_seconds
                    return Decision(
                        config.latency_ms, "rate_limit", remaining if retry_after is None else retry_after
                    )
                self._window_used += 1
            self._counts["error"] += 1
            if _selected(self._counts["error"], config.error_rate):
                return Decision(config.latency_ms, "error", config.retry_after_seconds, config.error_status)
            return Decision(config.latency_ms)


@dataclass
class Stats:
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _requests: Counter[str] = field(default_factory=Counter)
    _faults: Counter[str] = field(default_factory=Counter)

    def count_request(self, key: str) -> None:
        with self._lock:
            self._requests[key] += 1

    def count_fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
            self._faults.clear()

    def as_json(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total_requests": sum(self._requests.values()),
                "requests": dict(sorted(self._requests.items())),
                "faults": {kind: self._faults[kind] for kind in ("latency", "drop", "rate_limit", "error")},
            }


faults = FaultState()
stats = Stats()
