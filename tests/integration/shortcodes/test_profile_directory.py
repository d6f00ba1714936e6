"""The cached profile directory: built with the list API at page size 250, reused, invalidated."""

from __future__ import annotations

from profiles import directory
from tests.fixtures.short_codes import calls_to


def test_it_is_built_with_one_call_and_then_reused(seed_short_codes):
    sandbox = seed_short_codes.sandbox
    sandbox.clear_stats()
    first = directory.profile_directory()
    second = directory.profile_directory()
    assert len(first) == 57 and first.complete
    assert second == first
    assert sandbox.stats()["requests"] == {"GET /v2/messaging_profiles": 1}
    bulk = seed_short_codes.profile()
    assert first.name_of(bulk["id"]) == bulk["name"]
    assert first.name_of(None) is None and first.name_of("nope") is None


def test_invalidate_forgets_it(seed_short_codes):
    directory.profile_directory()
    created = seed_short_codes.create_profile("Fresh Name Ltd")
    assert directory.profile_directory().name_of(created["id"]) is None  # cached: still old
    directory.invalidate()
    assert directory.profile_directory().name_of(created["id"]) == "Fresh Name Ltd"


def test_note_profile_id_drops_it_only_for_unknown_profiles(seed_short_codes):
    bulk = seed_short_codes.profile()
    directory.profile_directory()
    directory.note_profile_id(bulk["id"])
    assert directory.cached_directory() is not None
    directory.note_profile_id("11111111-1111-4111-8111-111111111111")
    assert directory.cached_directory() is None


def test_it_pages_through_more_than_250_profiles(seed_short_codes, settings):
    for number in range(250):
        seed_short_codes.create_profile(f"Bulk Created {number:03d}")
    seed_short_codes.sandbox.clear_stats()
    built = directory.profile_directory()
    assert len(built) == 307 and built.complete
    assert calls_to(seed_short_codes.sandbox, "GET /v2/messaging_profiles") == 2


def test_a_build_that_finishes_after_an_invalidation_is_not_served(seed_short_codes):
    import time

    from django.core.cache import cache

    from profiles import catalog

    key_when_build_started = catalog.current_key()
    directory.invalidate()  # a profile is renamed while another worker is still building
    stale = catalog.ProfileCatalog(
        profiles=(catalog.ProfileSummary("x", "Old Name", True, "", False, "", ""),), built_at=time.time()
    )
    cache.set(key_when_build_started, stale, 60)  # ... which then stores its result
    assert directory.cached_directory() is None
    assert directory.profile_directory().name_of("x") is None
