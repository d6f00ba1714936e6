"""The one pooled `requests.Session` of the process, shared by every thread, and its adapter.

One Session per process rather than per thread (the style guide's first suggestion): urllib3's
connection pools are thread-safe, so all request threads and all export workers share warm
keep-alive connections instead of each thread paying its own TCP/TLS handshakes (an export's
worker threads are new for every export). What would make a shared Session unsafe is shared
mutable state, and there is none: cookies are refused, the Authorization header is passed per call
(never stored on the session), and the per-call retry policy is read from a context variable.
"""

from __future__ import annotations

import contextvars
import functools
import http.cookiejar
import os
import threading
from typing import Any

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from telnyx_admin import __version__
from telnyx_admin.telnyx.retry import TelnyxRetry

USER_AGENT = f"telnyx-admin/{__version__}"

# The Retry for the call in progress on this thread. The adapter below is shared by every thread,
# so per-call state (deadline, attempt count) cannot live on it.
_call_retry: contextvars.ContextVar[TelnyxRetry | None] = contextvars.ContextVar("telnyx_retry", default=None)


class PerCallRetryAdapter(HTTPAdapter):
    """An HTTPAdapter whose `max_retries` is the Retry built for the current call.

    Relies on two things requests does with its public `max_retries` attribute: `__init__` assigns
    it and `send()` reads it for every request. tests/unit/telnyx/test_library_pins.py checks both
    for the pinned requests version.
    """

    fallback_retries: Retry

    @property
    def max_retries(self) -> Retry:
        return _call_retry.get() or self.fallback_retries

    @max_retries.setter
    def max_retries(self, value: Retry) -> None:
        self.fallback_retries = value


def call_retry_scope(retry: TelnyxRetry) -> contextvars.Token[TelnyxRetry | None]:
    """Make `retry` the policy of the calls this thread sends until the token is reset."""
    return _call_retry.set(retry)


def end_call_retry_scope(token: contextvars.Token[TelnyxRetry | None]) -> None:
    _call_retry.reset(token)


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """Telnyx authenticates by header; a cookie set for one user's request must never ride on another's."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


def _pool_size() -> int:
    # Every gunicorn thread may hold one connection, and one export may hold
    # TELNYX_EXPORT_CONCURRENCY more; beyond that urllib3 opens extra connections and drops them
    # afterwards (pool_block=False), so this only decides how many stay warm.
    threads = int(os.environ.get("GUNICORN_THREADS") or 8)  # as gunicorn.conf.py reads it
    return max(10, threads + int(settings.TELNYX_EXPORT_CONCURRENCY))


_session: requests.Session | None = None
_session_pid: int | None = None
_session_lock = threading.Lock()


def _build_session() -> requests.Session:
    session = requests.Session()
    # requests would read proxy variables, ~/.netrc and CA-bundle variables on every call (file and
    # environment lookups each time); read them once instead: proxies per base URL in
    # `proxies_for`, the CA bundle here.
    session.trust_env = False
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    session.cookies.set_policy(_NoCookies())
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    adapter = PerCallRetryAdapter(
        pool_connections=4, pool_maxsize=_pool_size(), max_retries=Retry(0, read=False)
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@functools.lru_cache(maxsize=16)
def proxies_for(base_url: str) -> dict[str, str]:
    """HTTP(S)_PROXY for this base URL, honouring NO_PROXY, as requests would with trust_env."""
    return requests.utils.get_environ_proxies(base_url)


def get_session() -> requests.Session:
    """The process's Session, created on first use (after a fork, afresh: sockets are not shared)."""
    global _session, _session_pid
    pid = os.getpid()
    if _session is None or _session_pid != pid:
        with _session_lock:
            if _session is None or _session_pid != pid:
                _session = _build_session()
                _session_pid = pid
    return _session


def reset_session() -> None:
    """Close the pooled connections (tests that stop a server use this to start from a clean pool)."""
    global _session
    with _session_lock:
        if _session is not None:
            _session.close()
        _session = None
