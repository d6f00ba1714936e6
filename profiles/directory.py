"""A short-lived directory of messaging profile ids to names, shared by every worker through the cache.

Lists that show "which profile owns this" (short codes, audit views) need a name per row. Asking
Telnyx for each row's profile would cost one call per row; instead the whole directory is read with
the list API at its largest page size (250) - one call for a few hundred profiles, a handful at
most - and kept in Django's cache (Redis in production) for DIRECTORY_TTL seconds. Profile writes
call `invalidate()` so a rename or delete shows up on the next page view, not a minute later.

An id missing from the directory is shown as the id and "unknown profile": never looked up per row.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.cache import cache

from telnyx_admin.telnyx.profiles import list_profiles

CACHE_KEY = "profiles:directory:v1"
# Invalidation bumps a generation number instead of deleting the directory: a worker that was
# building from the list API while a profile was renamed stores its (stale) result under the old
# generation, where nobody looks any more.
GENERATION_KEY = "profiles:directory:generation"
DIRECTORY_TTL = 60  # seconds; writes through this dashboard invalidate sooner
PAGE_SIZE = 250  # the API's maximum page size
# 8 x 250 = 2,000 profiles. Beyond that the directory is partial (ids past it read "unknown
# profile") rather than making a list page wait on dozens of calls.
MAX_PAGES = 8


@dataclass(frozen=True)
class ProfileDirectory:
    """Profile names by id, as Telnyx listed them when the directory was built."""

    names: Mapping[str, str] = field(default_factory=dict)
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
    """The cached directory, built from the list API when the cache has none.

    Raises: TelnyxError subclasses while building (the caller's page shows the banner).
    """
    key = _current_key()
    cached = cache.get(key)
    if isinstance(cached, ProfileDirectory):
        return cached
    directory = _build()
    cache.set(key, directory, DIRECTORY_TTL)
    return directory


def cached_directory() -> ProfileDirectory | None:
    """The directory if it is cached right now, without ever calling Telnyx."""
    cached = cache.get(_current_key())
    return cached if isinstance(cached, ProfileDirectory) else None


def invalidate() -> None:
    """Forget the directory; the next page that needs names rebuilds it. Call after profile writes."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or it was evicted): any new number will do
        cache.set(GENERATION_KEY, _fresh_generation(), None)


def _current_key() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _fresh_generation()
        # add(): if two workers race here, both end up reading the same generation.
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY, generation)
    return f"{CACHE_KEY}:{generation}"


def _fresh_generation() -> int:
    # Never reuse a small number after an eviction: an old directory may still sit under it.
    return time.time_ns()


def note_profile_id(profile_id: str | None) -> None:
    """After binding something to `profile_id`: if the cached directory does not know that profile
    (created since, e.g. by another dashboard instance or the API directly), drop the directory so
    the next list shows its name instead of "unknown profile"."""
    directory = cached_directory()
    if profile_id and directory is not None and profile_id not in directory:
        invalidate()


def _build() -> ProfileDirectory:
    names: dict[str, str] = {}
    number = 1
    while True:
        page = list_profiles(page_number=number, page_size=PAGE_SIZE)
        names.update((profile.id, profile.name) for profile in page.items)
        if number >= page.total_pages or not page.items:
            return ProfileDirectory(names=names, complete=True)
        if number >= MAX_PAGES:
            return ProfileDirectory(names=names, complete=False)
        number += 1
