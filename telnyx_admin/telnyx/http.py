"""The one choke point that speaks HTTP to the Telnyx API v2: one logical call, timed and logged.

Everything else in the service layer calls `request()`; nothing else sends requests. The pieces it
uses live beside it: the retry policy (`retry.py`), the pooled session (`session.py`) and the
mapping of failures to typed errors (`errors.py`). Settings are read at call time (tests and the
admin may change them while the process runs).

Reference: https://developers.telnyx.com/docs/overview/errors
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings

from telnyx_admin.telnyx import errors, timing
from telnyx_admin.telnyx.budget import request_budget
from telnyx_admin.telnyx.retry import BudgetTimeout, build_retry
from telnyx_admin.telnyx.session import call_retry_scope, end_call_retry_scope, get_session, proxies_for

logger = logging.getLogger("telnyx_admin.telnyx")


def request(
    method: str,
    path: str,
    *,
    params: dict[str, Any] | None = None,
    body: Any = None,
    max_retries: int | None = None,
    timeout: tuple[float, float] | None = None,
    parse: Callable[[bytes], Any] | None = None,
) -> Any:
    """Send one logical call to `TELNYX_API_BASE_URL + path` and return the decoded JSON body
    (or, with `parse`, what it makes of a successful answer's bytes; a ValueError from it means the
    body was not JSON).

    Raises:
        TelnyxError subclasses (see errors.py) for every failure; never a `requests` exception.
    """
    method = method.upper()
    # The shared request budget (budget.py): before the retry budget starts, so waiting for a token
    # never eats into the time a slow answer may take.
    budget_wait = request_budget.acquire()
    base_url = settings.TELNYX_API_BASE_URL.rstrip("/")
    url = base_url + path
    if timeout is None:
        timeout = (float(settings.TELNYX_CONNECT_TIMEOUT), float(settings.TELNYX_READ_TIMEOUT))
    retry = build_retry(max_retries=max_retries)
    assert retry.deadline is not None
    budget_timeout = BudgetTimeout(connect=timeout[0], read=timeout[1], deadline=retry.deadline)
    headers = {"Authorization": f"Bearer {settings.TELNYX_API_KEY}"}
    outcome: str = "?"
    token = call_retry_scope(retry)
    started = time.perf_counter()
    try:
        try:
            response = get_session().request(
                method,
                url,
                params=params,
                json=body,
                headers=headers,
                timeout=budget_timeout,  # type: ignore[arg-type]  # requests takes a urllib3 Timeout as is
                allow_redirects=False,
                proxies=proxies_for(base_url),
                stream=True,
            )
            with response:
                content = _body(response)
        except requests.RequestException as exc:
            failure = errors.transport_failure(exc, timeout=timeout)
            outcome = type(failure).__name__
            raise failure from exc
        outcome = str(response.status_code)
        return decode(status=response.status_code, headers=response.headers, content=content, parse=parse)
    finally:
        end_call_retry_scope(token)
        elapsed_ms = (time.perf_counter() - started) * 1000
        timing.record_call(elapsed_ms)
        logger.info(
            "telnyx %s %s -> %s attempts=%d ms=%.1f budget_wait_ms=%.0f",
            method,
            path,
            outcome,
            retry.record.attempts,
            elapsed_ms,
            budget_wait * 1000,
            extra={
                "telnyx_method": method,
                "telnyx_path": path,
                "telnyx_status": outcome,
                "telnyx_attempts": retry.record.attempts,
                "telnyx_ms": round(elapsed_ms, 1),
                "telnyx_budget_wait_ms": round(budget_wait * 1000),
            },
        )


def _body(response: requests.Response) -> bytes:
    # Read as the answer's own chunks (a whole body when it has a length), not `response.content`'s
    # 10 kB reads: a 250 kB list page is then one read instead of 25, each a trip through requests'
    # and urllib3's Python code. Measured with `make bench`'s 8 pages fetched together at 50 ms:
    # 58.7 -> 57.6 ms. Read errors surface as the same requests exceptions either way.
    return b"".join(response.iter_content(chunk_size=None))


def decode(*, status: int, headers: Any, content: bytes, parse: Callable[[bytes], Any] | None = None) -> Any:
    """Turn a Telnyx answer into its JSON body (or what `parse` makes of a successful one), or raise
    the typed error its status stands for."""
    if 200 <= status < 300:
        if not content:
            return None
        try:
            payload = (parse or parse_json)(content)
        except ValueError:
            payload = None
        if payload is None:
            raise errors.UnexpectedStatus(
                f"Telnyx answered {status} with a body that is not JSON.", status=status
            )
        return payload
    raise errors.error_for(status=status, headers=headers, payload=_json_or_none(content))


def data_of(payload: Any) -> dict[str, Any]:
    """The `data` object of a single-resource answer.

    Raises:
        UnexpectedStatus: the answer had no `data` object (a proxy page, a changed API).
    """
    if isinstance(payload, dict) and isinstance(payload.get("data"), dict):
        return payload["data"]
    raise errors.UnexpectedStatus("Telnyx answered without the expected data object.")


def parse_json(content: bytes) -> Any:
    """Raises: ValueError (includes UnicodeDecodeError and JSONDecodeError) when it is not JSON."""
    return json.loads(content)


def _json_or_none(content: bytes) -> Any:
    if not content:
        return None
    try:
        return parse_json(content)
    except ValueError:
        return None
