"""Read-side use cases for messaging profiles: the list search, and the paging rules of every list.

Paging values come from URLs people edit, bookmark and paste: they are clamped to what the API
accepts (page[number] >= 1, page[size] 1..250) and to the sizes the pager offers, never rejected.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from telnyx_admin.telnyx import profiles as telnyx_profiles
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.profiles import MessagingProfile

PAGE_SIZES = (20, 50, 100, 250)
DEFAULT_PAGE_SIZE = 20
# Far beyond any real list (250 x 1,000,000 profiles); keeps a pasted 40-digit number a page number.
MAX_PAGE_NUMBER = 1_000_000
# Longer than any profile name people type; a longer query is cut, not sent whole to Telnyx.
MAX_QUERY_LENGTH = 200

_UUID = re.compile(r"^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$")


def clamp_page_number(raw: str | int | None) -> int:
    """A page number from a URL: anything unparseable or below 1 is page 1."""
    try:
        number = int(str(raw).strip()) if raw is not None else 1
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE_NUMBER)


def clamp_page_size(raw: str | int | None) -> int:
    """A page size from a URL, snapped to the smallest offered size that holds it (at most 250).

    `?page_size=30` shows 50 rows, `?page_size=9999` 250, `?page_size=abc` the default 20.
    """
    try:
        size = int(str(raw).strip()) if raw is not None else DEFAULT_PAGE_SIZE
    except ValueError:
        return DEFAULT_PAGE_SIZE
    if size < 1:
        return DEFAULT_PAGE_SIZE
    return next((offered for offered in PAGE_SIZES if offered >= size), PAGE_SIZES[-1])


def profile_id_in(text: str) -> str | None:
    """The canonical profile id if `text` is a UUID (as pasted: any case, braces, no dashes), else None."""
    candidate = text.strip()
    if not _UUID.match(candidate):
        return None
    return str(uuid.UUID(candidate.strip("{}")))


@dataclass(frozen=True)
class ProfileSearch:
    """What the list page shows: either a page of profiles, or the id of the profile to open."""

    q: str
    page: Page[MessagingProfile] | None = None
    open_profile_id: str | None = None


def profile_search(*, q: str, page_number: int, page_size: int) -> ProfileSearch:
    """Profiles whose name contains `q` (all of them when `q` is blank), one page.

    A pasted profile id opens that profile instead: no search runs (the detail page, one call, says
    whether it exists), so support staff can go from a ticket's id to the profile in one step.

    Raises: ValidationFailed (Telnyx rejected the query), TelnyxError subclasses.
    """
    q = q.strip()[:MAX_QUERY_LENGTH]
    profile_id = profile_id_in(q)
    if profile_id is not None:
        return ProfileSearch(q=q, open_profile_id=profile_id)
    page = telnyx_profiles.list_profiles(
        name_contains=q or None,
        page_number=clamp_page_number(page_number),
        page_size=clamp_page_size(page_size),
    )
    return ProfileSearch(q=q, page=page)
