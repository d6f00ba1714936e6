"""Destinations a messaging profile may send to: ISO 3166-1 alpha-2 countries, or every destination.

The API takes `whitelisted_destinations` as a list of officially assigned alpha-2 codes, or exactly
`["*"]`. pycountry's `countries` table holds only officially assigned codes (no "XK", "UK" or "EU"),
which is the line the API draws.
"""

from __future__ import annotations

import pycountry
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ALL_DESTINATIONS = "*"
ALL_DESTINATIONS_LABEL = _("All destinations (*)")


def _country_choices() -> list[tuple[str, str]]:
    countries = sorted(pycountry.countries, key=lambda country: country.name)
    return [(country.alpha_2, f"{country.name} ({country.alpha_2})") for country in countries]


COUNTRY_CHOICES: list[tuple[str, str]] = _country_choices()
ASSIGNED_CODES: frozenset[str] = frozenset(code for code, _ in COUNTRY_CHOICES)

# "All destinations" first: it is the one choice that excludes every other.
DESTINATION_CHOICES: list[tuple[str, StrOrPromise]] = [
    (ALL_DESTINATIONS, ALL_DESTINATIONS_LABEL),
    *COUNTRY_CHOICES,
]


def is_assigned_country(code: str) -> bool:
    """True for an officially assigned ISO 3166-1 alpha-2 code, written as the API wants (upper case)."""
    return code in ASSIGNED_CODES
