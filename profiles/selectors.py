"""Read-side use cases for messaging profiles: the list search, and the profile a page shows."""

from __future__ import annotations

from dataclasses import dataclass

from telnyx_admin.ids import pasted_id
from telnyx_admin.lookups import found_or_404
from telnyx_admin.telnyx import profiles as telnyx_profiles
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.profiles import MessagingProfile

# Longer than any profile name people type; a longer query is cut, not sent whole to Telnyx.
MAX_QUERY_LENGTH = 200


def search_text(q: str) -> str:
    """The search as it is run and shown: surrounding spaces dropped, cut at MAX_QUERY_LENGTH."""
    return q.strip()[:MAX_QUERY_LENGTH]


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
    q = search_text(q)
    profile_id = pasted_id(q)
    if profile_id is not None:
        return ProfileSearch(q=q, open_profile_id=profile_id)
    page = telnyx_profiles.list_profiles(
        name_contains=q or None, page_number=page_number, page_size=page_size
    )
    return ProfileSearch(q=q, page=page)


def profile_or_404(*, profile_id: str) -> MessagingProfile:
    """The profile a page shows. Raises: Http404 for an unknown id, TelnyxError subclasses."""
    return found_or_404(
        lambda: telnyx_profiles.retrieve_profile(profile_id=profile_id), what="messaging profile"
    )
