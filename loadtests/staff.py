"""A member of staff using the dashboard over HTTP, as a browser without JavaScript (or with htmx) would.

`StaffSession` signs in through the real login form, keeps its cookies, sends the CSRF token with
every POST, tags each request with its own `X-Request-ID` (so log lines and audit entries can be
tied back to it) and reports every exchange to a shared `Traffic` tally.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class DashboardDidNotAnswer(Exception):
    """The dashboard itself failed to answer (connection refused/reset, timed out): always a finding."""


class AnswerCutOff(DashboardDidNotAnswer):
    """The answer started but its body broke off (a streamed download whose source failed)."""


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    status: int  # 0: no answer at all
    ms: float
    request_id: str
    htmx: bool
    cut_off: bool = False  # the status line came, the body broke off


@dataclass
class Traffic:
    """Every exchange of every session, and the findings that need no further context.

    `secrets` are strings that must never appear in a response body or header (the Telnyx API key).
    """

    secrets: tuple[str, ...] = ()
    exchanges: list[Exchange] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    leaks: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, exchange: Exchange, response: requests.Response | None) -> None:
        leaked = []
        if response is not None and self.secrets:
            headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
            body = response.text if "text" in response.headers.get("Content-Type", "") else ""
            leaked = [secret for secret in self.secrets if secret in body or secret in headers]
        with self._lock:
            self.exchanges.append(exchange)
            self.statuses[exchange.status] += 1
            for secret in leaked:
                self.leaks.append(f"{exchange.method} {exchange.path} ({exchange.request_id}): {secret[:6]}…")

    def server_errors(self) -> list[Exchange]:
        """Answers the dashboard must never give: 500 and other 5xx except the designed 503 banner."""
        with self._lock:
            return [e for e in self.exchanges if e.status == 0 or (e.status >= 500 and e.status != 503)]


class StaffSession:
    """One signed-in member of staff: a cookie jar, a CSRF token and a request-id prefix."""

    def __init__(
        self, *, base_url: str, username: str, password: str, traffic: Traffic, timeout: float = 30.0
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.password = password
        self.traffic = traffic
        self.timeout = timeout
        self.http = requests.Session()
        # Our own requests are never retried behind our back: each one is one exchange.
        self.http.mount("http://", requests.adapters.HTTPAdapter(max_retries=0))

    # --- plumbing --------------------------------------------------------------------------------

    def _send(
        self, method: str, path: str, *, htmx: bool = False, data: object = None, params: object = None
    ) -> requests.Response:
        request_id = f"soak-{secrets.token_hex(8)}"
        headers = {"X-Request-ID": request_id}
        if htmx:
            headers["HX-Request"] = "true"
            headers["HX-Current-URL"] = self.base_url + path
        if method == "POST":
            headers["X-CSRFToken"] = self.http.cookies.get("csrftoken", "")
        url = path if path.startswith("http") else self.base_url + path
        started = time.perf_counter()
        try:
            response = self.http.request(
                method,
                url,
                data=data,
                params=params,
                headers=headers,
                allow_redirects=False,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            elapsed = (time.perf_counter() - started) * 1000
            cut_off = isinstance(exc, requests.exceptions.ChunkedEncodingError)
            self.traffic.record(Exchange(method, path, 0, elapsed, request_id, htmx, cut_off), None)
            failure = AnswerCutOff if cut_off else DashboardDidNotAnswer
            raise failure(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
        elapsed = (time.perf_counter() - started) * 1000
        response.request_id = request_id  # type: ignore[attr-defined]
        self.traffic.record(Exchange(method, path, response.status_code, elapsed, request_id, htmx), response)
        return response

    def get(self, path: str, *, htmx: bool = False, params: object = None) -> requests.Response:
        return self._send("GET", path, htmx=htmx, params=params)

    def post(self, path: str, data: list[tuple[str, str]], *, htmx: bool = False) -> requests.Response:
        """POST form fields; the CSRF token is added from the cookie if the form did not carry one."""
        if not any(name == "csrfmiddlewaretoken" for name, _ in data):
            data = [*data, ("csrfmiddlewaretoken", self.http.cookies.get("csrftoken", ""))]
        return self._send("POST", path, htmx=htmx, data=data)

    def follow(self, response: requests.Response) -> requests.Response | None:
        """GET the redirect target of `response` (where its flash message is shown), if it redirects."""
        location = response.headers.get("Location") or response.headers.get("HX-Redirect")
        if not location:
            return None
        return self.get(urljoin(self.base_url + "/", location).removeprefix(self.base_url))

    # --- signing in ------------------------------------------------------------------------------

    def sign_in(self) -> None:
        form = self.get("/accounts/login/")
        match = _CSRF_INPUT.search(form.text)
        if form.status_code != 200 or match is None:
            raise AssertionError(f"login form: {form.status_code}")
        answer = self.post(
            "/accounts/login/",
            [("username", self.username), ("password", self.password), ("csrfmiddlewaretoken", match[1])],
        )
        if answer.status_code != 302 or "sessionid" not in self.http.cookies:
            raise AssertionError(f"{self.username} could not sign in: {answer.status_code}")

    def close(self) -> None:
        self.http.close()
