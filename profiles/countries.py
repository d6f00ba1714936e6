"""Destinations a messaging profile may send to: ISO 3166-1 alpha-2 countries, or every destination.

The API takes `whitelisted_destinations` as a list of officially assigned alpha-2 codes, or exactly
`["*"]`. pycountry's `countries` table holds only officially assigned codes (no "XK", "UK" or "EU"),
which is the line the API draws.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ALL_DESTINATIONS = "*"
ALL_DESTINATIONS_LABEL = _("All destinations (*)")


# Our languages whose country names pycountry's own ISO 3166 catalogues hold, by its locale names.
_PYCOUNTRY_LOCALES = {"zh-hans": "zh_CN"}


@cache
def _names_in(locale: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def _country_label(name: str, code: str) -> str:
    """`name (code)` in the language of the page being rendered; English where none is shipped."""
    locale = _PYCOUNTRY_LOCALES.get(get_language() or "")
    return f"{_names_in(locale).gettext(name) if locale else name} ({code})"


# Lazy: the choices are built once at import, their labels in each request's language.
country_label = lazy(_country_label, str)


def _country_choices() -> list[tuple[str, StrOrPromise]]:
    countries = sorted(pycountry.countries, key=lambda country: country.name)
    return [(country.alpha_2, country_label(country.name, country.alpha_2)) for country in countries]


COUNTRY_CHOICES: list[tuple[str, StrOrPromise]] = _country_choices()
ASSIGNED_CODES: frozenset[str] = frozenset(code for code, _ in COUNTRY_CHOICES)

# "All destinations" first: it is the one choice that excludes every other.
DESTINATION_CHOICES: list[tuple[str, StrOrPromise]] = [
    (ALL_DESTINATIONS, ALL_DESTINATIONS_LABEL),
    *COUNTRY_CHOICES,
]


def is_assigned_country(code: str) -> bool:
    """True for an officially assigned ISO 3166-1 alpha-2 code, written as the API wants (upper case)."""
    return code in ASSIGNED_CODES
