"""A logging filter that keeps the Telnyx API key out of every log line, whatever logged it.

Code is written not to log secrets; this is the net under that rule (a library that logs request
headers, an exception that echoes a URL). It replaces the key with `[redacted]` in the message,
its arguments and any traceback text.
"""

from __future__ import annotations

import logging

REDACTED = "[redacted]"


def _secrets() -> list[str]:
    try:
        from django.conf import settings

        key = settings.TELNYX_API_KEY
    except Exception:  # settings not configured (e.g. gunicorn's master before Django starts)
        return []
    # Very short values would redact ordinary words; real keys are long.
    return [key] if isinstance(key, str) and len(key) >= 8 else []


class SecretRedactionFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        secrets = _secrets()
        if not secrets:
            return True
        message = record.getMessage()
        if any(secret in message for secret in secrets):
            for secret in secrets:
                message = message.replace(secret, REDACTED)
            record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and any(secret in record.exc_text for secret in secrets):
            for secret in secrets:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
            # Formatters that re-format exc_info would bring the key back; keep the redacted text only.
            record.exc_info = None
        return True
