"""telnyx_admin.log_redaction: the one place that knows how the API key is kept out of log lines."""

from __future__ import annotations

import logging
import sys

from telnyx_admin.log_redaction import REDACTED, SecretRedactionFilter, redact


def test_both_spellings_of_the_key_are_redacted(settings):
    settings.TELNYX_API_KEY = 'KEY"with\\quote-0123456789'
    escaped = 'KEY\\"with\\\\quote-0123456789'
    assert (
        redact(f"plain {settings.TELNYX_API_KEY} and json {escaped}")
        == f"plain {REDACTED} and json {REDACTED}"
    )


def test_a_short_key_is_left_alone_so_ordinary_words_survive(settings):
    settings.TELNYX_API_KEY = "abc"
    assert redact("abc def") == "abc def"


def test_the_filter_redacts_arguments_and_tracebacks(settings):
    settings.TELNYX_API_KEY = "KEY-abcdefghijklmnop"
    try:
        raise RuntimeError(f"failed with {settings.TELNYX_API_KEY}")
    except RuntimeError:
        record = logging.LogRecord(
            "t", logging.ERROR, __file__, 1, "sent %s", ("KEY-abcdefghijklmnop",), None
        )
        record.exc_info = sys.exc_info()
    assert SecretRedactionFilter().filter(record)
    assert record.getMessage() == f"sent {REDACTED}"
    assert record.exc_info is None and REDACTED in (record.exc_text or "")
    assert "KEY-abcdefghijklmnop" not in (record.exc_text or "")
