"""Telnyx v2 error bodies: `{"errors": [{"code", "title", "detail", "source"}]}`.

Codes and titles are the published ones (see telnyx-api-errors.md). Views raise `ApiError`; the
`api_view` wrapper in `sandbox.views` turns it into the JSON response, so every error path of the
sandbox answers with the same shape and never with an HTML page.
"""

from typing import Any

from django.http import JsonResponse

TITLES = {
    "10003": "Invalid URL",
    "10004": "Missing required parameter",
    "10005": "Resource not found",
    "10006": "Invalid ID",
    "10007": "Unexpected error",
    "10009": "Authentication failed",
    "10010": "Authorization failed",
    "10011": "Too many requests",
    "10015": "Bad Request",
    "10020": "Invalid resource type",
    "10023": "Invalid JSON",
}

# The code an injected fault or a generic failure carries for each HTTP status.
CODE_FOR_STATUS = {400: "10015", 401: "10009", 403: "10010", 404: "10005", 422: "10015", 429: "10011"}


def error_object(
    code: str, detail: str, *, pointer: str | None = None, parameter: str | None = None
) -> dict[str, Any]:
    """One entry of the `errors` array; `source` only when the error points somewhere."""
    entry: dict[str, Any] = {"code": code, "title": TITLES[code], "detail": detail}
    if pointer is not None:
        entry["source"] = {"pointer": pointer}
    elif parameter is not None:
        entry["source"] = {"parameter": parameter}
    return entry


def error_response(
    status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, headers=headers)


class ApiError(Exception):
    """An API failure on its way to becoming a Telnyx error response."""

    def __init__(
        self, status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors
        self.headers = headers

    @classmethod
    def single(
        cls,
        status: int,
        code: str,
        detail: str,
        *,
        pointer: str | None = None,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> "ApiError":
        return cls(status, [error_object(code, detail, pointer=pointer, parameter=parameter)], headers)

    def response(self) -> JsonResponse:
        return error_response(self.status, self.errors, self.headers)


def status_error(status: int, detail: str, headers: dict[str, str] | None = None) -> JsonResponse:
    """A one-error response whose code follows from the HTTP status (faults, 404s, 500s)."""
    code = CODE_FOR_STATUS.get(status, "10007")
    return error_response(status, [error_object(code, detail)], headers)
