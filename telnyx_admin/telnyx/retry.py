"""The retry policy of every Telnyx call: which failures are repeated, for which methods, how long.

A call has a budget (TELNYX_RETRY_BUDGET): its attempts, the waits between them and the timeouts of
later attempts all end within it. `build_retry` makes the policy for one call; `BudgetTimeout`
shrinks each attempt's timeouts to what is left of the budget.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry
from urllib3.util.timeout import Timeout

from telnyx_admin.telnyx.budget import request_budget

# Methods whose repetition cannot change anything at Telnyx: safe to resend after any failure.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Statuses a read is retried on. 500 is left out on purpose: it usually means a bug at the other
# end that answers the same way again, and retrying only makes the page slower to say so.
READ_RETRY_STATUSES = frozenset({429, 502, 503, 504})
# First back-off in seconds; doubles per attempt, with jitter so that parallel export workers
# do not hammer Telnyx in lock-step.
BACKOFF_FACTOR = 0.2
BACKOFF_MAX = 4.0


@dataclass
class CallRecord:
    """What happened during one logical call; shared by every copy urllib3 makes of the Retry."""

    retries: int = 0

    @property
    def attempts(self) -> int:
        return self.retries + 1


class TelnyxRetry(Retry):
    """urllib3's Retry, taught which failures are safe to repeat and how long a call may take.

    - GET (and other idempotent methods) repeat after connection errors, timeouts, dropped
      connections, 429 and 502/503/504.
    - Writes repeat only when Telnyx provably did not process them: the connection was never
      established (refused, connect timeout: urllib3 counts these as `connect` errors for every
      method) or Telnyx answered 429. Never after a read timeout, a dropped connection or a 5xx:
      the request may have been processed, and a second POST would create a duplicate.
    - Waits honour Retry-After; a Retry-After above `max_retry_after` is not slept on, the 429
      is handed back and surfaces as `RateLimited(retry_after=...)`.
    - No new attempt starts, and no wait runs, past `deadline` (time.monotonic()).
    """

    def __init__(
        self,
        *args: Any,
        deadline: float | None = None,
        max_retry_after: float = float("inf"),
        record: CallRecord | None = None,
        next_wait: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self.max_retry_after = max_retry_after
        self.record = record if record is not None else CallRecord()
        self.next_wait = next_wait

    def new(self, **kw: Any) -> TelnyxRetry:
        kw.setdefault("deadline", self.deadline)
        kw.setdefault("max_retry_after", self.max_retry_after)
        kw.setdefault("record", self.record)
        kw.setdefault("next_wait", self.next_wait)
        return super().new(**kw)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code == 429:
            return True  # rate-limited requests were rejected unprocessed, whatever the method
        return status_code in READ_RETRY_STATUSES and method.upper() in IDEMPOTENT_METHODS

    def get_backoff_time(self) -> float:
        failures = len(self.history)
        if failures == 0:
            return 0.0
        ceiling = min(self.backoff_max, self.backoff_factor * (2 ** (failures - 1)))
        # "Equal jitter": at least half the exponential step, so the waits still grow.
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _retry_after(self, response: Any) -> float | None:
        if response is None or not self.respect_retry_after_header:
            return None
        try:
            return self.get_retry_after(response)
        except InvalidHeader:
            return None

    def increment(  # type: ignore[no-untyped-def]
        self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None
    ):
        # The parent applies the counters and the method rules (it re-raises read errors of
        # non-idempotent methods) and raises MaxRetryError once the counters run out.
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        retry_after = self._retry_after(response)
        if retry_after is not None and retry_after > self.max_retry_after:
            raise MaxRetryError(_pool, url, error or ResponseError("Retry-After exceeds the limit"))
        wait = retry_after if retry_after else new_retry.get_backoff_time()
        if self.deadline is not None and time.monotonic() + wait >= self.deadline:
            raise MaxRetryError(_pool, url, error or ResponseError("retry budget spent"))
        new_retry.next_wait = wait
        self.record.retries += 1
        return new_retry

    def sleep(self, response: Any = None) -> None:
        # The wait was chosen (and checked against the budget) in increment().
        wait = self.next_wait
        if self.deadline is not None:
            wait = min(wait, max(0.0, self.deadline - time.monotonic()))
        if wait > 0:
            time.sleep(wait)
        # The next attempt is one more request to Telnyx: it takes its token like the first.
        request_budget.acquire()


class BudgetTimeout(Timeout):
    """(connect, read) timeouts that shrink to what is left of the call's budget.

    urllib3 clones the timeout at the start of every attempt (its public `clone()`), so each retry
    gets at most the remaining time: a call ends within TELNYX_RETRY_BUDGET even when every attempt
    hangs. The configured maxima are kept here rather than read back from Timeout's private fields.
    """

    def __init__(self, *, connect: float, read: float, deadline: float) -> None:
        super().__init__(connect=connect, read=read)
        self.max_connect = connect
        self.max_read = read
        self.deadline = deadline

    def clone(self) -> Timeout:
        remaining = max(0.05, self.deadline - time.monotonic())
        return Timeout(connect=min(self.max_connect, remaining), read=min(self.max_read, remaining))


def build_retry(*, max_retries: int | None = None, budget: float | None = None) -> TelnyxRetry:
    """The retry policy for one call, from the settings in force now (the method is judged per failure)."""
    count = int(settings.TELNYX_MAX_RETRIES if max_retries is None else max_retries)
    seconds = float(settings.TELNYX_RETRY_BUDGET if budget is None else budget)
    return TelnyxRetry(
        total=count,
        connect=count,
        read=count,
        status=count,
        other=0,
        redirect=False,
        allowed_methods=IDEMPOTENT_METHODS,
        status_forcelist=None,
        backoff_factor=BACKOFF_FACTOR,
        backoff_max=BACKOFF_MAX,
        raise_on_status=False,
        respect_retry_after_header=True,
        deadline=time.monotonic() + seconds,
        max_retry_after=float(settings.TELNYX_MAX_RETRY_AFTER),
    )
