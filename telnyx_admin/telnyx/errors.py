"""Typed failures of the Telnyx API, and how an answer or a broken transfer becomes one of them.

Raised by the service layer and translated at the edge (views, TelnyxErrorMiddleware).

Reference: https://developers.telnyx.com/docs/overview/errors
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests
from django_stubs_ext import StrOrPromise
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry


@dataclass(frozen=True)
class ApiError:
    """One entry of a Telnyx `{"errors": [...]}` body."""

    code: str
    title: str
    detail: str = ""
    pointer: str | None = None
    parameter: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.detail or self.title


class TelnyxError(Exception):
    """Root of every failure the service layer raises."""

    def __init__(
        self, message: StrOrPromise = "", *, status: int | None = None, errors: tuple[ApiError, ...] = ()
    ):
        super().__init__(message or self.__class__.__doc__ or self.__class__.__name__)
        self.status = status
        self.errors = errors

    @property
    def message(self) -> str:
        return str(self.args[0])

    @property
    def may_have_been_applied(self) -> bool:
        """Whether a write that failed this way may still have been carried out by Telnyx.

        An answer with a 4xx status is a refusal: Telnyx says it did nothing (a 429 is rejected
        before processing). A 5xx, a broken connection or a timeout after the request went out leave
        it open: the work may have been done and only the answer lost.
        """
        return self.status is None or self.status >= 500


class ApiUnavailable(TelnyxError):
    """Telnyx could not be reached or answered with a server error.

    `request_sent` is False when no connection was ever established (refused, unresolvable,
    connect timeout): then Telnyx provably received nothing.
    """

    def __init__(self, message: str = "", *, request_sent: bool = True, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.request_sent = request_sent

    @property
    def may_have_been_applied(self) -> bool:
        return self.request_sent


class ConnectionFailed(ApiUnavailable):
    """The connection to Telnyx failed before an answer arrived."""


class RequestTimeout(ApiUnavailable):
    """Telnyx did not accept a connection, or did not answer, within the configured timeout."""


class AuthFailed(TelnyxError):
    """Telnyx rejected the API key (401)."""


class Forbidden(TelnyxError):
    """The API key may not perform this action (403)."""


class NotFound(TelnyxError):
    """The object does not exist (404)."""


class ValidationFailed(TelnyxError):
    """Telnyx rejected the request body or query (422)."""

    def field_errors(self) -> dict[str, list[str]]:
        """Messages keyed by JSON pointer (`/daily_spend_limit`) or query parameter (`page[size]`)."""
        found: dict[str, list[str]] = {}
        for error in self.errors:
            key = error.pointer if error.pointer is not None else (error.parameter or "")
            found.setdefault(key, []).append(error.message)
        return found


class RateLimited(TelnyxError):
    """Telnyx is rate-limiting this key (429)."""

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class UnexpectedStatus(TelnyxError):
    """Any other non-success status."""


class StaleObject(TelnyxError):
    """The object changed at Telnyx since the form was loaded; raised by use cases, not the client."""

    def __init__(
        self, message: StrOrPromise = "", *, changed_fields: tuple[str, ...] = (), current: Any = None
    ):
        super().__init__(message)
        self.changed_fields = changed_fields
        self.current = current

    @property
    def may_have_been_applied(self) -> bool:
        return False  # found before anything was sent


# --- Mapping answers and transfers to these errors -----------------------------------------------


def parse_errors(payload: Any) -> tuple[ApiError, ...]:
    """The `errors` array of a Telnyx error body; anything malformed is skipped, never trusted."""
    if not isinstance(payload, dict) or not isinstance(payload.get("errors"), list):
        return ()
    found = []
    for item in payload["errors"]:
        if not isinstance(item, dict):
            continue
        source: dict[str, Any] = item["source"] if isinstance(item.get("source"), dict) else {}
        meta: dict[str, Any] = item["meta"] if isinstance(item.get("meta"), dict) else {}
        found.append(
            ApiError(
                code=str(item.get("code", "")),
                title=str(item.get("title") or ""),
                detail=str(item.get("detail") or ""),
                pointer=source.get("pointer") if isinstance(source.get("pointer"), str) else None,
                parameter=source.get("parameter") if isinstance(source.get("parameter"), str) else None,
                meta=meta,
            )
        )
    return tuple(found)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        return Retry(0).parse_retry_after(value)
    except InvalidHeader:
        return None


_STATUS_ERRORS: dict[int, type[TelnyxError]] = {
    401: AuthFailed,
    403: Forbidden,
    404: NotFound,
    422: ValidationFailed,
}


def error_for(*, status: int, headers: Any, payload: Any) -> TelnyxError:
    """The typed error for a non-success answer; `payload` is the decoded body or None (HTML, empty)."""
    api_errors = parse_errors(payload)
    if api_errors:
        first = api_errors[0]
        message = (
            first.message if len(api_errors) == 1 else f"{first.message} (and {len(api_errors) - 1} more)"
        )
    elif payload is None:
        message = f"Telnyx answered {status} without a readable error body."
    else:
        message = f"Telnyx answered {status}."
    if status == 429:
        retry_after = parse_retry_after(headers.get("Retry-After") if headers is not None else None)
        return RateLimited(message, retry_after=retry_after, status=status, errors=api_errors)
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status](message, status=status, errors=api_errors)
    if status >= 500:
        return ApiUnavailable(message, status=status, errors=api_errors)
    return UnexpectedStatus(message, status=status, errors=api_errors)


def transport_failure(exc: requests.RequestException, *, timeout: tuple[float, float]) -> TelnyxError:
    """Map a requests/urllib3 failure (no answer at all) to a typed error. Messages carry no URL or key."""
    # requests wraps urllib3's error (a MaxRetryError around the last failure, or the failure
    # itself when the body broke off while being read); what matters is the underlying failure.
    reason: BaseException | None = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    if isinstance(exc, requests.ReadTimeout) or isinstance(reason, ReadTimeoutError):
        return RequestTimeout(f"Telnyx did not answer in time (read timeout {timeout[1]:g} s).")
    if isinstance(exc, requests.ConnectTimeout) or (
        isinstance(reason, ConnectTimeoutError) and not isinstance(reason, NewConnectionError)
    ):
        return RequestTimeout(
            f"Telnyx did not accept a connection in time ({timeout[0]:g} s).", request_sent=False
        )
    if isinstance(reason, NewConnectionError):
        # Refused or unresolvable: no byte of the request left this machine.
        return ConnectionFailed("Could not connect to Telnyx.", request_sent=False)
    if isinstance(exc, requests.ConnectionError):
        return ConnectionFailed("The connection to Telnyx broke before it answered.")
    return ConnectionFailed(f"The request to Telnyx failed ({type(exc).__name__}).")
