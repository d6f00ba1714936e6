"""Messages stored with a job or its rows, shown in the reader's language.

Rows are written by workers, which serve no one in particular: a message translated there would read
in the worker's language for everyone. So a message is stored as its English source text (marked with
gettext_noop, so that `make messages` puts it in the catalogue) plus the values that go into it, and
translated when a page shows it:

    RowOutcome.refused(gettext_noop("Changed meanwhile: %(reason)s"), params={"reason": exc.message})

Text the catalogue does not have (Telnyx's own error details) is shown as it was stored. The runner
works with translation off, so a lazy message (`exc.message`) becomes its source text too, and
text values of `params` are translated as well when the catalogue has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext


def shown(text: str, params: Mapping[str, Any] | None = None) -> str:
    """The stored message in the current language (a page's or an export's)."""
    if not text:
        return ""  # gettext("") is the catalogue's header, not an empty message
    translated = gettext(text)
    if not params:
        return translated
    values = {
        name: gettext(value) if isinstance(value, str) and value else value for name, value in params.items()
    }
    try:
        return translated % values
    except (KeyError, ValueError, TypeError):
        # Stored by an older version whose text took other values: the source text, as stored.
        return english(text, params)


def _translated(value: Any) -> Any:
    return gettext(value) if isinstance(value, str) and value else value


def english(text: str, params: Mapping[str, Any] | None = None) -> str:
    """The stored message as its source text with its values in: for logs and the results CSV."""
    if not params:
        return text
    try:
        return text % dict(params)
    except (KeyError, ValueError, TypeError):
        return f"{text} {dict(params)!r}"
