"""The catalog as the cache stores it (pickled, by column): read back equal, the derived orders left out."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache

from profiles.catalog import ProfileCatalog, ProfileSummary


def summary(name: str, limit: str) -> ProfileSummary:
    return ProfileSummary(
        name.lower(), name, True, limit, bool(limit), "", "", Decimal(limit) if limit else None
    )


def test_a_catalog_reads_back_equal_with_its_profiles_still_named_tuples():
    built = ProfileCatalog(
        (summary("Beta", "10.50"), summary("alpha", "")), built_at=12.5, calls=2, account="acct"
    )
    assert built.by_name[0].name == "alpha"  # computed before storing: must not ride along

    cache.set("test-catalog", built)
    stored = cache.get("test-catalog")
    assert stored is not built

    assert stored == built
    assert isinstance(stored.profiles[0], ProfileSummary)
    assert stored.profiles[0].limit == Decimal("10.50")
    assert "by_name" not in stored.__dict__
    assert [profile.name for profile in stored.by_name] == ["alpha", "Beta"]


def test_an_empty_account_reads_back_empty():
    cache.set("test-catalog", ProfileCatalog((), built_at=1.0))
    assert cache.get("test-catalog") == ProfileCatalog((), built_at=1.0)
