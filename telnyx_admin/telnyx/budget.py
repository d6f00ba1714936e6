"""One Telnyx request budget shared by every dashboard instance and every job worker.

Telnyx limits requests per account, not per process: ten gunicorn workers and three job workers each
"being careful" still add up. Every request therefore takes a token from one bucket per account,
kept in Redis, refilled at `TELNYX_RATE_LIMIT` per second with room for a burst of
`TELNYX_RATE_BURST`. Requests made by background jobs first take a token from a second, smaller
bucket (`TELNYX_JOB_SHARE` of the rate), so jobs can never use more than their share and pages keep
the rest.

The buckets are GCRA ("generic cell rate algorithm") reservations: each request is given the next
free slot and sleeps until then, so waiting callers never poll Redis and never stampede. A page waits
at most `TELNYX_BUDGET_MAX_WAIT` seconds and is then sent anyway (a person is waiting; its slot is
still booked, so jobs yield); a job waits as long as its share requires.

Without Redis (no `TELNYX_BUDGET_REDIS_URL`), or while Redis does not answer, each process keeps
the same buckets in its own memory: the budget then holds per process, never fails a request.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import redis
from django.conf import settings

logger = logging.getLogger("telnyx_admin.telnyx")

Priority = Literal["page", "job"]

# After Redis failed, use the per-process bucket for this long before asking Redis again: a down
# Redis must not add a connection timeout to every Telnyx call.
REDIS_RETRY_AFTER = 5.0
REDIS_TIMEOUT = 0.25

# KEYS: one bucket per key. ARGV: interval and tolerance per key, then the most a caller may wait
# (negative: no limit). Uses Redis's clock, so every host agrees on "now". Returns the wait (string:
# Redis would truncate a Lua number to an integer).
_RESERVE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local n = #KEYS
local wait = 0
local tats = {}
for i = 1, n do
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  tats[i] = tat
  local w = tat - tonumber(ARGV[2 * i]) - now
  if w > wait then wait = w end
end
local max_wait = tonumber(ARGV[2 * n + 1])
if max_wait >= 0 and wait > max_wait then wait = max_wait end
local at = now + wait
for i = 1, n do
  local tat = tats[i]
  if tat < at then tat = at end
  local new = tat + tonumber(ARGV[2 * i - 1])
  redis.call('SET', KEYS[i], string.format('%.6f', new), 'PX', math.ceil((new - now) * 1000) + 1000)
end
return tostring(wait)
"""


@dataclass(frozen=True)
class Bucket:
    """A GCRA bucket: one request per `interval` seconds, `tolerance` seconds of burst."""

    key: str
    interval: float
    tolerance: float

    @classmethod
    def for_rate(cls, key: str, *, rate: float, burst: float) -> Bucket:
        interval = 1.0 / rate
        return cls(key=key, interval=interval, tolerance=max(0.0, burst - 1) * interval)


def reserve_locally(state: dict[str, float], buckets: list[Bucket], *, now: float, max_wait: float) -> float:
    """The same reservation as the Lua script, on a dict of theoretical arrival times (one process)."""
    tats = [max(state.get(bucket.key, 0.0), now) for bucket in buckets]
    wait = max([0.0, *(tat - bucket.tolerance - now for tat, bucket in zip(tats, buckets, strict=True))])
    if max_wait >= 0:
        wait = min(wait, max_wait)
    at = now + wait
    for tat, bucket in zip(tats, buckets, strict=True):
        state[bucket.key] = max(tat, at) + bucket.interval
    return wait


@dataclass
class WaitLog:
    """How long the calls made in one job scope waited for the budget (read by the job runner)."""

    seconds: float = 0.0
    waits: int = 0
    last_wait_at: float | None = None  # time.time()
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, seconds: float) -> None:
        with self._lock:
            self.seconds += seconds
            self.waits += 1
            self.last_wait_at = time.time()


_priority: contextvars.ContextVar[Priority] = contextvars.ContextVar("telnyx_budget_priority", default="page")
_wait_log: contextvars.ContextVar[WaitLog | None] = contextvars.ContextVar(
    "telnyx_budget_waits", default=None
)


@contextlib.contextmanager
def job_scope(wait_log: WaitLog | None = None) -> Iterator[WaitLog]:
    """Calls made inside the block (and in threads started with a copy of its context) are a job's:
    they take the job share's tokens too, wait as long as it takes, and add their waits to the log."""
    log = wait_log or WaitLog()
    priority_token = _priority.set("job")
    log_token = _wait_log.set(log)
    try:
        yield log
    finally:
        _wait_log.reset(log_token)
        _priority.reset(priority_token)


def current_priority() -> Priority:
    return _priority.get()


class RequestBudget:
    """Hands out the shared budget's slots; one instance per process (`request_budget`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local: dict[str, float] = {}
        self._clients: dict[str, redis.Redis] = {}
        self._redis_down_until = 0.0
        self._script: dict[str, object] = {}

    def _stages(self, priority: Priority) -> list[tuple[Bucket, float]]:
        """The buckets a request of this priority takes a token from, in order, with its longest wait."""
        rate = float(settings.TELNYX_RATE_LIMIT)
        if rate <= 0:
            return []
        burst = max(1.0, float(settings.TELNYX_RATE_BURST))
        prefix = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:telnyx-budget:{settings.TELNYX_ACCOUNT}"
        everyone = Bucket.for_rate(f"{prefix}:all", rate=rate, burst=burst)
        if priority == "page":
            return [(everyone, float(settings.TELNYX_BUDGET_MAX_WAIT))]
        share = min(1.0, max(0.01, float(settings.TELNYX_JOB_SHARE)))
        jobs = Bucket.for_rate(f"{prefix}:jobs", rate=rate * share, burst=max(1.0, burst * share))
        # First the job share, then (once that slot has come) the shared bucket. Booking both at
        # once would book the shared bucket seconds ahead for a job and make pages queue behind it.
        return [(jobs, -1.0), (everyone, -1.0)]

    def acquire(self, priority: Priority | None = None) -> float:
        """Wait for a slot of the budget; returns the seconds waited (also added to a job's WaitLog)."""
        waited = 0.0
        for bucket, max_wait in self._stages(priority or _priority.get()):
            wait = self.reserve(bucket, max_wait=max_wait)
            if wait > 0:
                time.sleep(wait)
                waited += wait
        log = _wait_log.get()
        if waited > 0 and log is not None:
            log.add(waited)
        return waited

    def reserve(self, bucket: Bucket, *, max_wait: float) -> float:
        """Book the bucket's next slot; returns how long to wait for it (not slept here)."""
        url = settings.TELNYX_BUDGET_REDIS_URL
        if url and time.monotonic() >= self._redis_down_until:
            try:
                return self._reserve_in_redis(url, [bucket], max_wait=max_wait)
            except redis.RedisError as exc:
                self._redis_down_until = time.monotonic() + REDIS_RETRY_AFTER
                logger.warning(
                    "Telnyx request budget: Redis unavailable (%s); using this process's own bucket for %g s",
                    type(exc).__name__,
                    REDIS_RETRY_AFTER,
                )
        with self._lock:
            return reserve_locally(self._local, [bucket], now=time.time(), max_wait=max_wait)

    def _reserve_in_redis(self, url: str, buckets: list[Bucket], *, max_wait: float) -> float:
        client = self._client(url)
        script = self._script.get(url)
        if script is None:
            script = self._script[url] = client.register_script(_RESERVE_LUA)
        args: list[float] = []
        for bucket in buckets:
            args += [bucket.interval, bucket.tolerance]
        args.append(max_wait)
        result = script(keys=[bucket.key for bucket in buckets], args=args)  # type: ignore[operator]
        return max(0.0, float(result))

    def _client(self, url: str) -> redis.Redis:
        client = self._clients.get(url)
        if client is None:
            with self._lock:
                client = self._clients.get(url)
                if client is None:
                    client = redis.Redis.from_url(
                        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
                    )
                    self._clients[url] = client
        return client

    def reset_local(self) -> None:
        """Forget this process's own buckets (tests)."""
        with self._lock:
            self._local.clear()
            self._redis_down_until = 0.0


request_budget = RequestBudget()
