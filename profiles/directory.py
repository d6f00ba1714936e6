"""Profile names by id, for lists that show "which profile owns this" (short codes, the audit).

Asking Telnyx for each row's profile would cost one call per row; the names come instead from the
account's profile catalog (profiles/catalog.py): every profile, loaded with the list API at page
size 250 with no cap, shared by every instance through the cache and rebuilt in the background when
stale. Profile writes call `invalidate()` so a rename or delete shows on the next page view.

An id missing from the directory (a profile created at Telnyx since the catalog was built) is shown
as the id and "unknown profile": never looked up per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from profiles import catalog


@dataclass(frozen=True)
class ProfileDirectory:
    """Profile names by id, as Telnyx listed them when the catalog was built."""

    names: Mapping[str, str] = field(default_factory=dict)
    # Kept for callers that showed a partial directory; the catalog has no cap, so always True.
    complete: bool = True

    def name_of(self, profile_id: str | None) -> str | None:
        """The profile's name, or None when the id is empty or not in the directory."""
        if not profile_id:
            return None
        return self.names.get(profile_id)

    def __contains__(self, profile_id: object) -> bool:
        return profile_id in self.names

    def __len__(self) -> int:
        return len(self.names)


def profile_directory() -> ProfileDirectory:
    """Every profile's name, from the catalog (loaded when there is none).

    Raises: TelnyxError subclasses while loading (the caller's page shows the banner).
    """
    return ProfileDirectory(names=catalog.profile_catalog().names)


def cached_directory() -> ProfileDirectory | None:
    """The directory if the catalog is cached right now, without ever calling Telnyx."""
    found = catalog.cached_catalog()
    return ProfileDirectory(names=found.names) if found is not None else None


def invalidate() -> None:
    """Forget the names; the next page that needs them rebuilds the catalog. Call after profile writes."""
    catalog.invalidate()


def note_profile_id(profile_id: str | None) -> None:
    """After binding something to `profile_id`: if the cached directory does not know that profile
    (created since, e.g. by another dashboard instance or the API directly), drop the directory so
    the next list shows its name instead of "unknown profile"."""
    directory = cached_directory()
    if profile_id and directory is not None and profile_id not in directory:
        invalidate()
