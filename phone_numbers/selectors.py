"""Finding numbers in the index: by any part of the number, and by profile, type, country, tag and
health. Everything here reads our database only; no Telnyx call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from phone_numbers.digits import digits_of
from phone_numbers.index import account
from phone_numbers.models import IndexedNumber, IndexedProfile, IndexState
from telnyx_admin.ids import canonical_id, is_telnyx_id


@dataclass(frozen=True)
class NumberQuery:
    """What to find. `number` is what was typed; only its digits count. A leading `+` anchors it at
    the start of the number (`+1415`: numbers starting 1 415); without, it may be anywhere."""

    number: str = ""
    profile: str = ""  # a profile id, or part of a profile's name
    type: str = ""
    country: str = ""
    tag: str = ""
    delivered_below: Decimal | None = None  # percent
    spam_above: Decimal | None = None  # percent

    @property
    def digits(self) -> str:
        return digits_of(self.number)

    @property
    def anchored(self) -> bool:
        return self.number.strip().startswith("+")

    @property
    def other_filters(self) -> bool:
        """Whether anything but the number narrows the search."""
        health = (self.delivered_below, self.spam_above)
        return any((self.profile, self.type, self.country, self.tag)) or any(v is not None for v in health)

    @property
    def filtered(self) -> bool:
        return bool(self.number.strip()) or self.other_filters


def number_search(query: NumberQuery) -> QuerySet[IndexedNumber]:
    """The index's numbers that match every part of `query`, ordered by number."""
    numbers = IndexedNumber.objects.filter(account=account())
    digits = query.digits
    if digits:
        numbers = (
            numbers.filter(digits__startswith=digits)
            if query.anchored
            else numbers.filter(digits__holds=digits)
        )
    if query.profile:
        numbers = numbers.filter(profile_id__in=_profile_ids(query.profile))
    if query.type:
        numbers = numbers.filter(type=query.type)
    if query.country:
        numbers = numbers.filter(country_code=query.country.upper())
    if query.tag:
        numbers = numbers.filter(tags__contains=f" {query.tag} ")
    if query.delivered_below is not None:
        numbers = numbers.filter(success_ratio__lt=float(query.delivered_below) / 100)
    if query.spam_above is not None:
        numbers = numbers.filter(spam_ratio__gt=float(query.spam_above) / 100)
    return numbers.order_by("digits", "number_id")


def _profile_ids(text: str) -> QuerySet[IndexedProfile, str] | list[str]:
    if is_telnyx_id(text):
        return [canonical_id(text)]
    return IndexedProfile.objects.filter(account=account(), name__icontains=text).values_list(
        "profile_id", flat=True
    )


def profile_names(profile_ids: Iterable[str]) -> Mapping[str, str]:
    """Names of the given profiles, as the index last listed them (one query)."""
    return dict(
        IndexedProfile.objects.filter(account=account(), profile_id__in=set(profile_ids)).values_list(
            "profile_id", "name"
        )
    )


def every_profile_name() -> Mapping[str, str]:
    """Every indexed profile's name by id (for the account-wide CSV: one query, not one per row)."""
    return dict(IndexedProfile.objects.filter(account=account()).values_list("profile_id", "name"))


def filter_choices() -> dict[str, list[str]]:
    """The types, countries and tags the index holds, for the filters' menus (kept by each refresh)."""
    found = IndexState.objects.filter(account=account()).values_list("choices", flat=True).first()
    return {"types": [], "countries": [], "tags": [], **(found or {})}
