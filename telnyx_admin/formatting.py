"""How values are written for people, in one place: money, times, yes/no, lists of country codes,
URLs that wrap between their parts.

Built on Django's localisation (number_format with the language's separators, date formats from
telnyx_admin/formats/<language>/formats.py), so another language only adds a formats module and
translations. Templates reach these through the `formatting` tag library; CSV exports keep raw values.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Every amount in the Telnyx messaging API is in US dollars.
CURRENCY = "USD"
EMPTY = "—"
NO_BREAK_SPACE = "\u00a0"


def as_decimal(value: Any) -> Decimal | None:
    """`value` (Decimal, number, or the API's "1000.00" text) as a Decimal; None when it is not one."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


# Tables print the same few amounts and moments on every view, and Django's localised formatting is
# the costliest part of building a row (about 15 us a time, 40 us a moment): the texts are kept per
# value, language and time zone, which is all they depend on. `make bench`'s profile_list_app_vs_admin.
_FORMATTED = 4096


def money(value: Any, currency: str = CURRENCY) -> str:
    """`USD 1,000.00`: the currency, then the amount with two decimals and the language's grouping.

    The spaces are no-break spaces, so a line never ends between currency and amount. An empty value
    gives ""; text that is not an amount is returned unchanged (never hidden).
    """
    if isinstance(value, (str, Decimal, int, float)) and not isinstance(value, bool):
        return _money_in(value, currency, get_language())
    return _money(value, currency)


@lru_cache(maxsize=_FORMATTED)
def _money_in(value: str | Decimal | int | float, currency: str, language: str | None) -> str:
    return _money(value, currency)


def _money(value: Any, currency: str) -> str:
    amount = as_decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    text = _("%(currency)s %(amount)s") % {"currency": currency, "amount": number}
    # Here rather than in CSS: amounts are also printed inside longer texts (an audit entry's
    # "USD 1,000.00 → USD 1,500.00", a nested value), where no element wraps the amount alone.
    return text.replace(" ", NO_BREAK_SPACE)


def as_datetime(value: Any) -> datetime | None:
    """A datetime from a datetime or the API's ISO 8601 text (`2024-08-26T04:50:00.000Z`)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment_or_none = parse_datetime(value.strip())
        except ValueError:
            return None
        if moment_or_none is None:
            return None
        moment = moment_or_none
    else:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_fixed_timezone(0))
    return moment


def when(value: Any) -> str:
    """A moment in the one format of the site, with its zone: `2024-08-26 04:50 UTC`."""
    if isinstance(value, (str, datetime)):
        return _when_in(value, get_language(), timezone.get_current_timezone())
    return _when(value)


@lru_cache(maxsize=_FORMATTED)
def _when_in(value: str | datetime, language: str | None, zone: tzinfo) -> str:
    return _when(value)


def _when(value: Any) -> str:
    moment = as_datetime(value)
    if moment is None:
        return "" if value in (None, "") else str(value)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT", use_l10n=True)


def yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def code_list(values: Iterable[Any]) -> str:
    """Country codes (or any short codes) joined by commas: `GB, US`; `*` stands for every one."""
    codes = [str(value) for value in values]
    if "*" in codes:
        return _("All")
    return ", ".join(codes) if codes else _("None")


# A URL in running text: a scheme, "://", then everything up to the next space or tag.
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s<]+", re.IGNORECASE)
# Where a URL may wrap: after a run of / . - ? & = that is followed by more of the URL.
_URL_BREAK = re.compile(r"(?<=[/.\-?&=])(?=[^/.\-?&=])")
_TAG = re.compile(r"(<[^>]*>)")


def url_breaks(value: Any) -> SafeString:
    """HTML of `value` with a `<wbr>` after the / . - ? & = of each URL in it, so that a long URL wraps
    between its parts (`hooks.<wbr>acme.<wbr>example/<wbr>telnyx`), never inside a word of its host.

    Plain text is escaped; safe HTML (an audit value) keeps its tags and gains breaks in its text only.
    Text outside URLs is left alone: the dots and dashes of amounts and dates are no place to wrap.
    """
    if value is None:
        return SafeString("")
    text = str(value)
    if not isinstance(value, SafeData):
        return mark_safe(_text_with_url_breaks(text))  # noqa: S308 - every piece is escaped
    if "://" not in text:
        return SafeString(text)
    # Tags as they are; the text between them unescaped, then escaped again with the breaks added.
    parts = (
        part if _TAG.fullmatch(part) else _text_with_url_breaks(html.unescape(part))
        for part in _TAG.split(text)
    )
    return mark_safe("".join(parts))  # noqa: S308 - tags of safe HTML, the rest escaped


# Kept per text, as money and moments are: a page of profiles shows the same webhook URLs request
# after request, and splitting and escaping one took about 23 us.
@lru_cache(maxsize=_FORMATTED)
def _text_with_url_breaks(text: str) -> str:
    """`text` escaped, with `<wbr>` at the break points of the URLs in it."""
    pieces: list[str] = []
    end = 0
    for match in _URL.finditer(text):
        pieces.append(escape(text[end : match.start()]))
        pieces.append("<wbr>".join(escape(part) for part in _URL_BREAK.split(match.group())))
        end = match.end()
    pieces.append(escape(text[end:]))
    return "".join(pieces)
