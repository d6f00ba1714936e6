"""Messaging profiles as the write path reads them back (see writes.kinds and writes.judge)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_noop

from audit.models import AuditEntry
from audit.services import OBJECT_TYPE_PROFILE
from telnyx_admin.telnyx import profiles as api
from telnyx_admin.telnyx.profiles import MessagingProfile
from writes.kinds import ObjectKind

# Clocks differ: a profile Telnyx stamps up to this long before our entry still counts as "since".
_CLOCK_SKEW = timedelta(minutes=2)
# A create is looked for among the profiles of its exact name (or, for a name longer than the intent
# keeps, those whose name contains its first characters), read page by page at the API's largest size.
_SEARCH_PAGE_SIZE = 250


def _fetch(profile_id: str) -> MessagingProfile:
    return api.retrieve_profile(profile_id=profile_id)


def _label(profile: Any) -> str:
    return str(getattr(profile, "name", "") or "")


def _named_like(prefix: str, digest: str | None) -> Iterator[MessagingProfile]:
    """Every profile that may carry the created name, all pages of them: a common name can match more
    profiles than one page holds, and the one created may be on any page."""
    # The intent keeps the name's first characters; when they are the whole name, ask for it exactly.
    whole = PROFILE.digest("name", prefix) == digest
    filters = {"name_eq": prefix} if whole else {"name_contains": prefix or None}
    number = 1
    while True:
        page = api.list_profiles(**filters, page_number=number, page_size=_SEARCH_PAGE_SIZE)
        yield from page.items
        if number >= page.total_pages or not page.items:
            return
        number += 1


def find_created(entry: AuditEntry) -> MessagingProfile | None:
    """The profile a create entry made: same exact name, created since the attempt, not claimed by
    another create entry. Raises TelnyxError subclasses when Telnyx cannot be asked."""
    digest = entry.intent.get("name_digest")
    earliest = entry.created_at - _CLOCK_SKEW
    candidates = [
        profile
        for profile in _named_like(entry.intent.get("name_prefix") or "", digest)
        if PROFILE.digest("name", profile.name) == digest
        and (profile.created is None or profile.created >= earliest)
    ]
    if not candidates:
        return None
    claimed = set(
        AuditEntry.objects.filter(
            object_type=OBJECT_TYPE_PROFILE,
            action=entry.action,
            object_id__in=[profile.id for profile in candidates],
        ).values_list("object_id", flat=True)
    )
    unclaimed = [profile for profile in candidates if profile.id not in claimed]
    return min(unclaimed, key=lambda profile: profile.created_at) if unclaimed else None


PROFILE = ObjectKind(
    object_type=OBJECT_TYPE_PROFILE,
    noun=gettext_noop("messaging profile"),
    fetch=_fetch,
    label=_label,
    find_created=find_created,
    unordered=frozenset({"whitelisted_destinations"}),
    decimals=frozenset({"daily_spend_limit"}),
)
