"""Validators for messaging profile fields, one per Telnyx 422 rule.

Written from the API contract (`telnyx-api-errors.md`) and the team's decisions, independently of the
sandbox's JSON Schema: tests compare the two on generated inputs, so sharing code would make that
comparison empty. Each validator raises `ValidationError` with a message a support agent can act on.
"""

from __future__ import annotations

import math
import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from profiles.countries import ALL_DESTINATIONS, is_assigned_country

URL_MAX_LENGTH = 2000
ALPHA_SENDER_MAX_LENGTH = 11
IDENTIFIER_MAX_LENGTH = 64

# re.fullmatch, never `$`: Python's `$` also matches before a trailing newline, so "ACME\n" would pass.
_ALPHA_SENDER = re.compile(r"[A-Za-z0-9 ]{1,11}")
_SPEND_LIMIT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# What a person types as a weight: 10, 2.5, .5, 1e3, with an optional sign so that "-1" gets the
# "negative" message rather than "not a number". ASCII digits only: int() also parses
# Arabic-Indic and other Unicode digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def validate_not_blank(value: str) -> None:
    """A name must contain something other than whitespace."""
    if not value.strip():
        raise ValidationError(_("Enter a name that is not only spaces."), code="blank")


def validate_api_url(value: str) -> None:
    """The API's URL rule: at most 2000 characters, no whitespace or control characters,
    http or https, a host, and a port (if any) from 0 to 65535.

    Deliberately not Django's URLValidator: it rejects URLs the API accepts (e.g. hosts without a
    dot such as `http://hooks`), and the form must accept exactly what the API accepts.
    """
    if len(value) > URL_MAX_LENGTH:
        raise ValidationError(
            _("Use at most %(limit)d characters (this URL has %(length)d)."),
            code="max_length",
            params={"limit": URL_MAX_LENGTH, "length": len(value)},
        )
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _("A URL cannot contain spaces, line breaks or control characters."), code="space"
        )
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValidationError(
            _("Enter a valid URL, e.g. https://example.com/hooks."), code="invalid"
        ) from exc
    if parts.scheme not in ("http", "https"):
        raise ValidationError(_("The URL must start with http:// or https://."), code="scheme")
    if not parts.hostname:
        raise ValidationError(_("The URL needs a host name, e.g. https://example.com/hooks."), code="host")
    try:
        parts.port  # noqa: B018 - urllib validates the port lazily, on access
    except ValueError as exc:
        raise ValidationError(_("The port must be a number from 0 to 65535."), code="port") from exc


def validate_alpha_sender(value: str) -> None:
    """1 to 11 letters (A-Z, a-z), digits or spaces."""
    if not _ALPHA_SENDER.fullmatch(value):
        raise ValidationError(
            _("Use 1 to 11 characters: letters A-Z, digits and spaces only."), code="alpha_sender"
        )


def validate_spend_limit(value: str) -> None:
    """A USD amount written as digits with an optional decimal part: 100, 25.50. No sign, no spaces."""
    if not _SPEND_LIMIT.fullmatch(value):
        raise ValidationError(
            _("Enter an amount in USD using digits and an optional decimal point, e.g. 100 or 25.50."),
            code="spend_limit",
        )


def validate_identifier_length(value: str) -> None:
    """Resource group and AI assistant IDs are at most 64 characters."""
    if len(value) > IDENTIFIER_MAX_LENGTH:
        raise ValidationError(
            _("Use at most %(limit)d characters (this has %(length)d)."),
            code="max_length",
            params={"limit": IDENTIFIER_MAX_LENGTH, "length": len(value)},
        )


def validate_destinations(values: list[str]) -> None:
    """Either exactly ["*"] or officially assigned alpha-2 codes; never "*" mixed with countries."""
    if not values:
        raise ValidationError(_("Choose at least one destination."), code="required")
    if ALL_DESTINATIONS in values and len(values) > 1:
        raise ValidationError(
            _("“All destinations (*)” cannot be combined with individual countries."), code="all_mixed"
        )
    unknown = [value for value in values if value != ALL_DESTINATIONS and not is_assigned_country(value)]
    if unknown:
        raise ValidationError(
            _("Not an ISO 3166-1 alpha-2 country code: %(codes)s."),
            code="invalid_country",
            params={"codes": ", ".join(unknown)},
        )


def parse_weight(text: str) -> int | float:
    """Turn a typed number-pool weight into the JSON number the API gets.

    Integers stay integers ("10" -> 10) and anything with a decimal point or exponent becomes a float
    ("2.5" -> 2.5, "1e3" -> 1000.0), so the value sent is the value typed. Surrounding whitespace is
    ignored: it cannot change a number. Raises ValidationError for text that is not a number, for
    numbers too large to be finite (1e400) and for negative numbers.
    """
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise ValidationError(_("Enter a number, e.g. 10 or 2.5."), code="invalid")
    try:
        number: int | float = int(text) if _INTEGER.fullmatch(text) else float(text)
    except ValueError as exc:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise ValidationError(_("Enter a shorter number."), code="invalid") from exc
    if isinstance(number, float) and not math.isfinite(number):
        raise ValidationError(_("Enter a finite number."), code="not_finite")
    if number < 0:
        raise ValidationError(_("The weight cannot be negative."), code="negative")
    return number
