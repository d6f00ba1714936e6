"""Is Telnyx reachable with our key? Checked in the background, for the readiness probe (/readyz).

A probe must never spend Telnyx calls: load balancers ask every few seconds, and anyone may ask, so
25 anonymous probes once used up the account's rate limit and staff pages got 429s. Instead one
thread per process (`start_monitor()`, called by the WSGI module) checks Telnyx, and the processes of
one instance (the workers of one gunicorn master) take turns through a small state file, so that the
instance makes at most one check per `TELNYX_HEALTH_INTERVAL` (10 s), however many probes arrive.
`/readyz` only reads the latest result (`latest()`).

The check itself (`check_reachable()`) lists one messaging profile, once, without retries.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from telnyx_admin.telnyx import errors, http

logger = logging.getLogger(__name__)


def check_reachable(*, timeout: float = 2.0) -> None:
    """List one messaging profile, once, within `timeout` seconds; return None if that worked.

    No retries: the answer is what Telnyx says right now, and the next check comes soon anyway.

    Raises:
        TelnyxError subclasses: ApiUnavailable (down, timed out, 5xx), AuthFailed (bad key), ...
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-messaging-profiles
    connect = min(float(settings.TELNYX_CONNECT_TIMEOUT), timeout)
    http.request(
        "GET",
        "/messaging_profiles",
        params={"page[number]": 1, "page[size]": 1},
        max_retries=0,
        timeout=(connect, timeout),
    )


# --- the result of a check -----------------------------------------------------------------------

OK = "ok"
RATE_LIMITED = "rate_limited"
UNAVAILABLE = "unavailable"
CREDENTIALS_REJECTED = "credentials_rejected"
UNEXPECTED = "unexpected"
UNKNOWN = "unknown"  # not checked yet


@dataclass(frozen=True)
class TelnyxHealth:
    state: str
    checked_at: float | None = None  # time.time() of the check

    def age(self, now: float | None = None) -> float | None:
        if self.checked_at is None:
            return None
        return max(0.0, (now or time.time()) - self.checked_at)


def state_of(exc: BaseException | None) -> str:
    """What a check's outcome means for readiness."""
    if exc is None:
        return OK
    if isinstance(exc, errors.RateLimited):
        return RATE_LIMITED
    if isinstance(exc, errors.ApiUnavailable):
        return UNAVAILABLE
    if isinstance(exc, errors.AuthFailed | errors.Forbidden):
        return CREDENTIALS_REJECTED
    return UNEXPECTED


def check_now() -> TelnyxHealth:
    """Check Telnyx once, record the result for /readyz, and return it (the monitor's one step)."""
    try:
        check_reachable(timeout=min(2.0, _interval()))
        exc = None
    except Exception as caught:  # any failure is an answer about Telnyx, never a crash of the monitor
        exc = caught
        # Only the class: an exception's text could echo request details.
        logger.warning("Telnyx health check failed: %s", type(caught).__name__)
    health = TelnyxHealth(state=state_of(exc), checked_at=time.time())
    _store().save(health)
    return health


def latest() -> TelnyxHealth:
    """The newest check made by any process of this instance; UNKNOWN before the first one."""
    return _store().load()


# --- taking turns between the processes of one instance ------------------------------------------


def _interval() -> float:
    return float(getattr(settings, "TELNYX_HEALTH_INTERVAL", 10.0))


class _StateFile:
    """The latest result and the time of the last claimed check, shared through a locked file.

    Falls back to this process's memory if the file cannot be used (then each process checks on its
    own, still at most once per interval).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._memory: dict[str, Any] = {}
        self._file_works = True

    @contextlib.contextmanager
    def _locked(self, kind: int) -> Iterator[IO[str] | None]:
        if not self._file_works:
            yield None
            return
        try:
            # O_NOFOLLOW: in a shared temporary directory, never write through someone's symlink.
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            self._file_works = False
            logger.warning("Telnyx health state file unusable (%s); each process checks alone", exc)
            yield None
            return
        with open(fd, "r+", encoding="utf-8") as handle:
            fcntl.flock(handle, kind)
            yield handle

    def _read(self, handle: IO[str] | None) -> dict[str, Any]:
        if handle is None:
            return dict(self._memory)
        handle.seek(0)
        try:
            data = json.loads(handle.read() or "{}")
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, handle: IO[str] | None, data: dict[str, Any]) -> None:
        if handle is None:
            self._memory = dict(data)
            return
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(data))
        handle.flush()

    def claim(self, interval: float) -> bool:
        """True if nobody in this instance has started a check within `interval` seconds: it is ours."""
        with self._locked(fcntl.LOCK_EX) as handle:
            data = self._read(handle)
            now = time.time()
            last = data.get("claimed_at")
            # A claim from the future means the clock was set back: do not wait for it.
            if isinstance(last, int | float) and 0 <= now - last < interval:
                return False
            data["claimed_at"] = now
            self._write(handle, data)
            return True

    def save(self, health: TelnyxHealth) -> None:
        with self._locked(fcntl.LOCK_EX) as handle:
            data = self._read(handle)
            data["health"] = asdict(health)
            self._write(handle, data)

    def load(self) -> TelnyxHealth:
        with self._locked(fcntl.LOCK_SH) as handle:
            saved = self._read(handle).get("health")
        if not isinstance(saved, dict):
            return TelnyxHealth(state=UNKNOWN)
        try:
            return TelnyxHealth(state=str(saved["state"]), checked_at=saved.get("checked_at"))
        except KeyError:
            return TelnyxHealth(state=UNKNOWN)


_stores: dict[Path, _StateFile] = {}
_stores_lock = threading.Lock()


def _store() -> _StateFile:
    """The state file of this instance (the workers of one gunicorn master) and this Telnyx account."""
    instance = f"{os.getppid()}|{os.getuid()}|{settings.TELNYX_API_BASE_URL}|{settings.TELNYX_API_KEY}"
    key = hashlib.sha256(instance.encode()).hexdigest()[:20]  # the key itself never reaches a filename
    directory = getattr(settings, "TELNYX_HEALTH_STATE_DIR", "") or tempfile.gettempdir()
    path = Path(directory) / f"telnyx-admin-health-{key}.json"
    with _stores_lock:
        if path not in _stores:
            _stores[path] = _StateFile(path)
        return _stores[path]


# --- the monitor thread ---------------------------------------------------------------------------

_monitor_lock = threading.Lock()
_monitor_pid: int | None = None
_monitor_wanted = False


def start_monitor() -> None:
    """Run the background check in this process (idempotent; again after a fork)."""
    global _monitor_pid, _monitor_wanted
    with _monitor_lock:
        _monitor_wanted = True
        if _monitor_pid == os.getpid():
            return
        _monitor_pid = os.getpid()
        threading.Thread(target=_monitor_loop, name="telnyx-health", daemon=True).start()


def ensure_monitor() -> None:
    """Restart the monitor if this process was forked from one that ran it (threads do not survive)."""
    if _monitor_wanted and _monitor_pid != os.getpid():
        start_monitor()


def _monitor_loop() -> None:
    while True:
        try:
            interval = _interval()
            if _store().claim(interval):
                check_now()
        except Exception:  # the monitor must outlive any surprise; /readyz then shows an old result
            logger.exception("Telnyx health monitor step failed")
            interval = 10.0
        time.sleep(min(1.0, interval / 4))
