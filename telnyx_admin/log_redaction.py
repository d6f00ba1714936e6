"""Keeping the Telnyx API key out of every log line, whatever logged it: the one place that knows how.

Code is written not to log secrets; this is the net under that rule (a library that logs request
headers, an exception that echoes a URL). Two layers use `redact`:

- `SecretRedactionFilter`, on every handler: the message, its arguments and any traceback text, so
  even the plain-text format never prints the key.
- `telnyx_admin.logging.JsonFormatter`, on the finished JSON line: fields passed with `extra=` too,
  which a filter that rewrites the message cannot reach.

This module must not need Django to be set up: gunicorn's master imports the logging config first.
"""

from __future__ import annotations

import json
import logging

REDACTED = "[redacted]"
# Very short values would redact ordinary words; real keys are long.
_MIN_SECRET_LENGTH = 8


def secret_spellings() -> tuple[str, ...]:
    """The API key as it may appear in a line: as is, and escaped inside a JSON string."""
    from django.conf import settings

    if not settings.configured:  # gunicorn's master, before Django is set up
        return ()
    key = getattr(settings, "TELNYX_API_KEY", "")
    if not isinstance(key, str) or len(key) < _MIN_SECRET_LENGTH:
        return ()
    escaped = json.dumps(key, ensure_ascii=False)[1:-1]
    return (key,) if escaped == key else (key, escaped)


def redact(text: str) -> str:
    """`text` with every spelling of the API key replaced by REDACTED."""
    for secret in secret_spellings():
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class SecretRedactionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not secret_spellings():
            return True
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            redacted = redact(record.exc_text)
            if redacted != record.exc_text:
                record.exc_text = redacted
                # Formatters that re-format exc_info would bring the key back; keep the redacted text only.
                record.exc_info = None
        return True
