"""What a phone number's `type` (the API's enumeration, in both of its spellings) is called for people.
Filters and the CSV keep the API's value; only what is shown is the name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

# Reference: https://developers.telnyx.com/api/messaging/list-profile-phone-numbers (`type`)
_LONG_CODE, _TOLL_FREE, _SHORT_CODE = _("Long code"), _("Toll-free"), _("Short code")
NUMBER_TYPES: dict[str, StrOrPromise] = {
    "longcode": _LONG_CODE,
    "long-code": _LONG_CODE,
    "tollfree": _TOLL_FREE,
    "toll-free": _TOLL_FREE,
    "shortcode": _SHORT_CODE,
    "short-code": _SHORT_CODE,
}


def number_type_label(value: str | None) -> str:
    """The type's name in the current language; a value the API may add later, as it is."""
    label = NUMBER_TYPES.get(value or "")
    return str(label) if label is not None else (value or "")
