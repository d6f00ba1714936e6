"""JSON log lines (telnyx_admin.logging) and the request id they carry (telnyx_admin.request_context)."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import types

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from telnyx_admin.logging import GunicornLogger, JsonFormatter, access_request_id, log_format
from telnyx_admin.request_context import (
    ENVIRON_KEY,
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)

OUR_OWN_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def captured() -> tuple[logging.Logger, io.StringIO]:
    """A logger whose handler formats like production: JSON, with the request-id filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger(f"tests.json_logging.{id(stream)}")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, stream


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_is_one_json_object_with_the_standard_fields(captured):
    logger, stream = captured

    logger.warning("Telnyx answered %s", 503, extra={"attempts": 3, "path": "/v2/messaging_profiles"})

    (entry,) = _lines(stream)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == logger.name
    assert entry["message"] == "Telnyx answered 503"
    assert entry["attempts"] == 3
    assert entry["path"] == "/v2/messaging_profiles"
    assert entry["request_id"] is None
    assert dt.datetime.fromisoformat(entry["time"]).tzinfo is not None


def test_an_exception_is_kept_inside_the_one_line(captured):
    logger, stream = captured
    try:
        raise RuntimeError("boom\nsecond line")
    except RuntimeError:
        logger.exception("failed")

    assert len(stream.getvalue().splitlines()) == 1
    (entry,) = _lines(stream)
    assert "RuntimeError: boom" in entry["exc_info"]


def test_values_that_are_not_json_are_written_as_text(captured):
    logger, stream = captured

    logger.info("odd", extra={"when": dt.date(2026, 1, 2), "request": object()})

    (entry,) = _lines(stream)
    assert entry["when"] == "2026-01-02"
    assert "request" not in entry  # Django's HttpRequest is noise in a log line


def test_lines_logged_while_serving_a_request_carry_its_id(captured):
    logger, stream = captured

    def view(request):
        logger.info("inside the view")
        return HttpResponse("ok")

    request = RequestFactory().get("/profiles/")

    response = RequestIdMiddleware(view)(request)
    logger.info("after the request")

    inside, after = _lines(stream)
    assert OUR_OWN_ID.fullmatch(inside["request_id"])
    assert response["X-Request-ID"] == inside["request_id"] == request.id
    assert after["request_id"] is None
    # gunicorn's access logger finds the id in the WSGI environ after the response is sent.
    assert request.META[ENVIRON_KEY] == inside["request_id"]


def _ids_seen(**headers: str) -> tuple[str | None, str]:
    seen = []

    def view(request):
        seen.append(current_request_id())
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", **headers))
    return seen[0], response["X-Request-ID"]


def test_a_clients_request_id_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    logged, echoed = _ids_seen(HTTP_X_REQUEST_ID="forged-by-the-client")

    assert logged == echoed
    assert OUR_OWN_ID.fullmatch(echoed)


def test_the_trusted_proxys_request_id_is_taken_when_it_is_an_id(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _ids_seen(HTTP_X_REQUEST_ID="abc-123") == ("abc-123", "abc-123")
    for odd in ['x" injected\nline', "", "x" * 65, "<script>"]:
        logged, echoed = _ids_seen(HTTP_X_REQUEST_ID=odd)
        assert logged == echoed and OUR_OWN_ID.fullmatch(echoed), odd
    # 64 characters is what an audit entry stores: still taken whole.
    assert _ids_seen(HTTP_X_REQUEST_ID="a" * 64)[1] == "a" * 64


def test_a_streamed_body_logs_under_the_request_id(captured):
    logger, stream = captured

    def rows():
        for number in range(2):
            logger.info("row %s", number)
            yield f"{number}\n"

    def view(request):
        return StreamingHttpResponse(rows())

    request = RequestFactory().get("/profiles/1/phone-numbers/?format=csv")
    response = RequestIdMiddleware(view)(request)

    body = b"".join(response.streaming_content)

    assert body == b"0\n1\n"
    assert [entry["request_id"] for entry in _lines(stream)] == [request.id, request.id]
    assert current_request_id() is None


def test_log_format_is_json_unless_debug_or_asked_for_plain():
    assert log_format({}) == "json"
    assert log_format({"DEBUG": "1"}) == "plain"
    assert log_format({"DEBUG": "1", "LOG_FORMAT": "json"}) == "json"
    assert log_format({"LOG_FORMAT": "plain"}) == "plain"
    with pytest.raises(Exception, match="LOG_FORMAT"):
        log_format({"LOG_FORMAT": "xml"})


def test_access_request_id_prefers_what_the_app_recorded():
    atoms = {"{x-request-id}o": "from-response", "{x-request-id}i": "from-client"}

    assert access_request_id(atoms, {ENVIRON_KEY: "from-app"}) == "from-app"
    assert access_request_id(atoms, {}) == "from-response"
    # What the client sent is never logged as the id: it may be forged.
    assert access_request_id({"{x-request-id}i": "from-client"}, {}) is None
    assert access_request_id({}, {}) is None


def test_gunicorn_access_line_is_json(monkeypatch):
    from gunicorn.config import Config

    monkeypatch.setenv("LOG_FORMAT", "json")
    stream = io.StringIO()
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornLogger(cfg)
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    response = types.SimpleNamespace(status="200 OK", sent=42, headers=[("X-Request-ID", "rid-9")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/profiles/?q=a%22b",
        "PATH_INFO": "/profiles/",
        "QUERY_STRING": 'q=a"b',
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_USER_AGENT": "probe",
    }

    logger.access(response, [], environ, dt.timedelta(milliseconds=12, microseconds=300))

    entry = json.loads(stream.getvalue())
    assert entry["logger"] == "gunicorn.access"
    assert entry["request_id"] == "rid-9"
    assert entry["status"] == 200
    assert entry["bytes"] == 42
    assert entry["duration_ms"] == 12.3
    assert entry["query"] == 'q=a"b'
    assert entry["remote_addr"] == "10.0.0.7"


def test_the_api_key_is_redacted_from_every_field(captured, settings):
    logger, stream = captured
    settings.TELNYX_API_KEY = "KEY01ABCDEF_super_secret_value"

    try:
        raise RuntimeError("refused Bearer KEY01ABCDEF_super_secret_value")
    except RuntimeError:
        logger.exception(
            "calling with %s",
            "KEY01ABCDEF_super_secret_value",
            extra={"headers": {"Authorization": "Bearer KEY01ABCDEF_super_secret_value"}},
        )

    line = stream.getvalue()
    assert "super_secret" not in line
    entry = json.loads(line)
    assert entry["message"] == "calling with [redacted]"
    assert entry["headers"] == {"Authorization": "Bearer [redacted]"}
    assert "Bearer [redacted]" in entry["exc_info"]
