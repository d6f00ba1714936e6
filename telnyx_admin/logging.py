"""Log output for production: one JSON object per line, with the request id, for Django and gunicorn.

Django's LOGGING (settings.py) uses `JsonFormatter` when LOG_FORMAT=json, the default when DEBUG is
off. gunicorn.conf.py points gunicorn at `GunicornLogger`, so its error log and its access log come
out in the same shape, and each access line carries the id of the request it records.

This module must not touch django.conf.settings: gunicorn's master imports it before Django is set up.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any

import environ
from gunicorn import glogging

from telnyx_admin.log_redaction import redact
from telnyx_admin.request_context import ENVIRON_KEY, HEADER, current_request_id

# Attributes every LogRecord has; anything else on a record came from `extra=` and is worth keeping.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    # Django's request loggers attach the HttpRequest itself: large, and not JSON.
    "request",
    "server_time",
}


def log_format(values: Mapping[str, str] | None = None) -> str:
    """`json` or `plain`: LOG_FORMAT when set, else plain when DEBUG is on and JSON otherwise."""
    env = environ.Env()
    if values is not None:
        env.ENVIRON = values  # read these values instead of os.environ (tests, callers with a dict)
    default = "plain" if env.bool("DEBUG", default=False) else "json"
    value = env.str("LOG_FORMAT", default=default).strip().lower()
    if value not in {"json", "plain"}:
        raise environ.ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'plain', not {value!r}.")
    return value


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id, any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id_for(record),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:  # already formatted (and possibly redacted) by a filter
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        # The line is complete JSON here, so fields passed with `extra=` are redacted too.
        return redact(json.dumps(entry, default=str, ensure_ascii=False))


def _request_id_for(record: logging.LogRecord) -> str | None:
    value = getattr(record, "request_id", None)
    if value and value != "-":
        return str(value)
    return current_request_id()


class GunicornLogger(glogging.Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's logger with JSON output (LOG_FORMAT=json) and the request id on every access line."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.json = log_format() == "json"
        if self.json:
            for handler in [*self.error_log.handlers, *self.access_log.handlers]:
                handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta) -> None:
        if not self.access_log_enabled:
            return
        if not self.json:
            super().access(resp, req, environ, request_time)
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = atoms["s"]
        fields = {
            "request_id": access_request_id(atoms, environ),
            "remote_addr": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"] or "",
            "status": int(status) if str(status).isdigit() else status,
            "bytes": atoms["B"],
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": atoms["a"],
            "referer": atoms["f"],
        }
        try:
            self.access_log.info("%s %s %s", atoms["m"], atoms["U"], status, extra=fields)
        except Exception:
            self.exception("Could not write an access log line")


def access_request_id(atoms: dict[str, Any], environ: dict[str, Any]) -> str | None:
    """The request id for an access line: what the app recorded, else the response header.

    Never the request's own header: a client could write anything there (request_context decides
    when a proxy's id is taken).
    """
    return environ.get(ENVIRON_KEY) or atoms.get(f"{{{HEADER.lower()}}}o")
