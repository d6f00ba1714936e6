"""The per-profile summary of the account: each profile with its numbers, short codes and spend limit.

Profiles come from the profile catalog (cached; ceil(profiles / 250) calls when it is not), numbers
from the index, short codes from one listing of every short code at 250 a page (the API lists them
account-wide, so counting them costs ceil(short codes / 250) calls, never one per profile).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from phone_numbers.index import account
from phone_numbers.models import IndexedNumber, IndexedProfile
from profiles import catalog
from telnyx_admin.telnyx.pages import iterate_items
from telnyx_admin.telnyx.short_codes import list_short_codes


def short_codes_per_profile() -> Counter[str]:
    """Raises: TelnyxError subclasses."""
    codes = iterate_items(lambda number: list_short_codes(page_number=number, page_size=250))
    return Counter(code.messaging_profile_id for code in codes if code.messaging_profile_id)


def profile_summary_rows() -> Iterator[tuple[Any, ...]]:
    """One row per profile, by name. Numbers are empty for a profile the index has not read yet.

    Raises: TelnyxError subclasses (before the first row: the page shows the banner).
    """
    profiles = catalog.profile_catalog().by_name
    codes = short_codes_per_profile()
    numbers = dict(
        IndexedNumber.objects.filter(account=account())
        .values_list("profile_id")
        .annotate(n=Count("pk"))
        .values_list("profile_id", "n")
    )
    read_at = dict(
        IndexedProfile.objects.filter(account=account(), numbers_read_at__isnull=False).values_list(
            "profile_id", "numbers_read_at"
        )
    )
    for profile in profiles:
        when = read_at.get(profile.id)
        yield (
            profile.id,
            profile.name,
            numbers.get(profile.id, 0) if when else None,
            codes.get(profile.id, 0),
            profile.daily_spend_limit,
            profile.daily_spend_limit_enabled,
            when.isoformat() if when else None,
        )
