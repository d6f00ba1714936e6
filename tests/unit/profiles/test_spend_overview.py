"""The overview's filters, sorting, totals and chart on hand-made catalogs (no Telnyx)."""

from __future__ import annotations

from decimal import Decimal

from profiles.catalog import ProfileSummary, parse_limit
from profiles.spend_overview import NO_LIMIT, OverviewQuery, distribution, select, totals


def _profile(
    name: str, limit: str, enforced: bool, updated: str = "2025-01-01T00:00:00.000Z"
) -> ProfileSummary:
    return ProfileSummary(name.lower(), name, True, limit, enforced, "", updated, parse_limit(limit))


PROFILES = (
    _profile("Alpha", "100.00", True, "2025-03-01T00:00:00.000Z"),
    _profile("bravo", "", False, "2025-01-01T00:00:00.000Z"),
    _profile("Charlie", "25.50", False, "2025-02-01T00:00:00.000Z"),
    _profile("delta", "5000", True, "2024-12-01T00:00:00.000Z"),
    _profile("Echo", "0", True),
)


def _names(query: OverviewQuery) -> list[str]:
    ordered = tuple(sorted(PROFILES, key=lambda p: (p.name.casefold(), p.id)))
    return [p.name for p in select(ordered, query)]


def test_sorting():
    assert _names(OverviewQuery()) == ["Alpha", "bravo", "Charlie", "delta", "Echo"]
    assert _names(OverviewQuery(descending=True)) == ["Echo", "delta", "Charlie", "bravo", "Alpha"]
    assert _names(OverviewQuery(sort="limit")) == ["Echo", "Charlie", "Alpha", "delta", "bravo"]
    assert _names(OverviewQuery(sort="limit", descending=True)) == [
        "delta",
        "Alpha",
        "Charlie",
        "Echo",
        "bravo",
    ]
    assert _names(OverviewQuery(sort="enforced")) == ["Alpha", "delta", "Echo", "bravo", "Charlie"]
    assert _names(OverviewQuery(sort="updated"))[0] == "delta"


def test_filters():
    assert _names(OverviewQuery(enforcement="not_enforced")) == ["bravo", "Charlie"]
    assert _names(OverviewQuery(limit="none")) == ["bravo"]
    assert _names(OverviewQuery(limit="set")) == ["Alpha", "Charlie", "delta", "Echo"]
    # "No limit" is not a limit of 0: an amount filter leaves it out, even "at least 0".
    assert _names(OverviewQuery(above=Decimal(0))) == ["Alpha", "Charlie", "delta", "Echo"]
    assert _names(OverviewQuery(above=Decimal("25.50"), below=Decimal(100))) == ["Alpha", "Charlie"]
    assert _names(OverviewQuery(q="HA")) == ["Alpha", "Charlie"]


def test_totals():
    result = totals(PROFILES)
    assert (result.profiles, result.enforced, result.without_limit) == (5, 3, 1)
    assert result.enforced_sum == Decimal("5100.00")


def test_the_chart_counts_every_profile_once_and_splits_enforcement():
    chart = distribution(PROFILES)
    bars = {bar.label: (bar.enforced, bar.not_enforced) for bar in chart.bars}
    assert bars["under 50"] == (1, 1)  # 0 enforced, 25.50 not
    assert bars["100 to 249"] == (1, 0)
    assert bars["5,000 +"] == (1, 0)
    assert bars[NO_LIMIT] == (0, 1)
    assert sum(bar.total for bar in chart.bars) == 5
    tallest = max(chart.bars, key=lambda bar: bar.total)
    assert tallest.not_enforced_y == "24.0"  # the tallest bar reaches the top margin
    assert "under 50: 2 (1 enforced)" in chart.summary


def test_an_empty_selection_draws_empty_bars():
    chart = distribution(())
    assert chart.tallest == 0 and all(bar.total == 0 and bar.enforced_height == "0.0" for bar in chart.bars)


def test_limits_that_are_not_numbers_count_as_no_limit():
    assert parse_limit("abc") is None and parse_limit("NaN") is None and parse_limit("") is None
    assert parse_limit("25.50") == Decimal("25.50")
