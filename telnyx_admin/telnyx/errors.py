"""Typed failures of the Telnyx API, raised by the service layer and translated at the edge.

Reference: https://developers.telnyx.com/docs/overview/errors
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ApiError:
    """One entry of a Telnyx `{"errors": [...]}` body."""

    code: str
    title: str
    detail: str = ""
    pointer: str | None = None
    parameter: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.detail or self.title


class TelnyxError(Exception):
    """Root of every failure the service layer raises."""

    def __init__(self, message: str = "", *, status: int | None = None, errors: tuple[ApiError, ...] = ()):
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

    def __init__(self, message: str = "", *, request_sent: bool = True, **kwargs):
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

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class UnexpectedStatus(TelnyxError):
    """Any other non-success status."""


class StaleObject(TelnyxError):
    """The object changed at Telnyx since the form was loaded; raised by use cases, not the client."""

    def __init__(self, message: str = "", *, changed_fields: tuple[str, ...] = (), current=None):
        super().__init__(message)
        self.changed_fields = changed_fields
        self.current = current

    @property
    def may_have_been_applied(self) -> bool:
        return False  # found before anything was sent
