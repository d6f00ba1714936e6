"""The spend-limit overview: every profile's daily limit, filtered, sorted, totalled and charted.

Works on the profile catalog (profiles/catalog.py), so it costs no Telnyx call while the catalog is
cached and ceil(profiles / 250) calls, fetched together, when it is not. Everything here is plain
Python over that snapshot: filters and sorting on 20,000 profiles take milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop

from profiles.catalog import ProfileSummary

SORTS = ("name", "limit", "enforced", "updated")
_ZERO = Decimal(0)
ENFORCEMENT = ("", "enforced", "not_enforced")
LIMIT_STATES = ("", "set", "none")


def limit_of(profile: ProfileSummary) -> Decimal | None:
    """The daily spend limit as a number, or None when the profile has none (or an unreadable one)."""
    return profile.limit


@dataclass(frozen=True)
class OverviewQuery:
    q: str = ""
    enforcement: str = ""  # "", "enforced", "not_enforced"
    limit: str = ""  # "", "set" (has a limit), "none" (no limit)
    above: Decimal | None = None  # limit >= above
    below: Decimal | None = None  # limit <= below
    sort: str = "name"
    descending: bool = False


def matches(profile: ProfileSummary, query: OverviewQuery) -> bool:
    if query.q and query.q.casefold() not in profile.name.casefold():
        return False
    if query.enforcement == "enforced" and not profile.daily_spend_limit_enabled:
        return False
    if query.enforcement == "not_enforced" and profile.daily_spend_limit_enabled:
        return False
    limit = profile.limit
    if query.limit == "none" and limit is not None:
        return False
    if query.limit == "set" and limit is None:
        return False
    if query.above is not None and (limit is None or limit < query.above):
        return False
    return not (query.below is not None and (limit is None or limit > query.below))


def _sort_key(sort: str):  # type: ignore[no-untyped-def]
    # The primary key only: select() sorts what is already in name order, and Python's sort is
    # stable (also reversed), so ties stay in name order, A to Z, whichever the direction.
    if sort == "limit":
        return lambda p: (p.limit is None, p.limit or _ZERO)
    if sort == "enforced":
        return lambda p: not p.daily_spend_limit_enabled
    return lambda p: p.updated_at


def select(profiles: Iterable[ProfileSummary], query: OverviewQuery) -> list[ProfileSummary]:
    """The profiles the query matches, in its order. Profiles without a limit sort last by limit,
    whichever the direction: gettext_noop("no limit") is not a small number.

    Pass the catalog's `by_name` order: sorting by name (the default) then needs no sort at all.
    """
    unfiltered = (
        not (query.q or query.enforcement or query.limit) and query.above is None and query.below is None
    )
    found = list(profiles) if unfiltered else [profile for profile in profiles if matches(profile, query)]
    if query.sort == "name":
        if query.descending:
            found.reverse()
        return found
    found.sort(key=_sort_key(query.sort), reverse=query.descending)
    if query.sort == "limit" and query.descending:
        found.sort(key=lambda p: p.limit is None)  # stable: keeps the descending order
    return found


@dataclass(frozen=True)
class Totals:
    profiles: int
    enforced: int
    enforced_sum: Decimal
    without_limit: int


def totals(profiles: Sequence[ProfileSummary]) -> Totals:
    enforced = [p for p in profiles if p.daily_spend_limit_enabled]
    return Totals(
        profiles=len(profiles),
        enforced=len(enforced),
        enforced_sum=sum((p.limit or _ZERO for p in enforced), _ZERO),
        without_limit=sum(1 for p in profiles if p.limit is None),
    )


# --- the chart ---------------------------------------------------------------------------------------

# Bins of the daily limit in USD: (label, lowest included, highest excluded).
BINS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    (gettext_noop("under 50"), Decimal(0), Decimal(50)),
    (gettext_noop("50 to 99"), Decimal(50), Decimal(100)),
    (gettext_noop("100 to 249"), Decimal(100), Decimal(250)),
    (gettext_noop("250 to 499"), Decimal(250), Decimal(500)),
    (gettext_noop("500 to 999"), Decimal(500), Decimal(1000)),
    (gettext_noop("1,000 to 4,999"), Decimal(1000), Decimal(5000)),
    (gettext_noop("5,000 +"), Decimal(5000), None),
)
NO_LIMIT = gettext_noop("no limit")


@dataclass(frozen=True)
class Bar:
    label: str
    enforced: int
    not_enforced: int
    # Geometry in the SVG's own units, as text ready to print (the template localises nothing).
    x: str
    width: str
    enforced_y: str
    enforced_height: str
    not_enforced_y: str
    not_enforced_height: str
    label_x: str
    count_y: str

    @property
    def total(self) -> int:
        return self.enforced + self.not_enforced


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float
    tallest: int

    @property
    def label_y(self) -> str:
        return _num(self.baseline + 18)

    @property
    def baseline_text(self) -> str:
        return _num(self.baseline)

    @property
    def summary(self) -> str:
        """The chart in words, for screen readers and anyone who cannot tell the bars apart."""
        # Translated here, when the page is drawn: the chart itself may be cached and shared.
        parts = [
            gettext("%(label)s: %(total)s (%(enforced)s enforced)")
            % {"label": gettext(bar.label), "total": bar.total, "enforced": bar.enforced}
            for bar in self.bars
        ]
        return "; ".join(parts)


CHART_WIDTH, CHART_HEIGHT = 640, 220
_TOP, _BOTTOM, _LEFT = 24, 40, 8


def distribution(profiles: Iterable[ProfileSummary]) -> Chart:
    """How many profiles have a limit in each band, split into enforced and not enforced."""
    counts = {label: [0, 0] for label, _, _ in BINS}
    counts[NO_LIMIT] = [0, 0]
    # An account has a few distinct limits over thousands of profiles: each is placed in its band once.
    band_of: dict[Decimal | None, str] = {}
    for profile in profiles:
        limit = profile.limit
        label = band_of.get(limit)
        if label is None:
            label = band_of[limit] = NO_LIMIT if limit is None else _bin_of(limit)
        counts[label][0 if profile.daily_spend_limit_enabled else 1] += 1
    labels = [label for label, _, _ in BINS] + [NO_LIMIT]
    tallest = max((sum(counts[label]) for label in labels), default=0)
    slot = (CHART_WIDTH - _LEFT * 2) / len(labels)
    baseline = CHART_HEIGHT - _BOTTOM
    scale = (baseline - _TOP) / tallest if tallest else 0.0
    bars = []
    for index, label in enumerate(labels):
        enforced, not_enforced = counts[label]
        enforced_height = enforced * scale
        not_enforced_height = not_enforced * scale
        x = _LEFT + index * slot + slot * 0.15
        bars.append(
            Bar(
                label=label,
                enforced=enforced,
                not_enforced=not_enforced,
                x=_num(x),
                width=_num(slot * 0.7),
                enforced_y=_num(baseline - enforced_height),
                enforced_height=_num(enforced_height),
                not_enforced_y=_num(baseline - enforced_height - not_enforced_height),
                not_enforced_height=_num(not_enforced_height),
                label_x=_num(x + slot * 0.35),
                count_y=_num(baseline - enforced_height - not_enforced_height - 6),
            )
        )
    return Chart(bars=tuple(bars), width=CHART_WIDTH, height=CHART_HEIGHT, baseline=baseline, tallest=tallest)


def _num(value: float) -> str:
    return f"{value:.1f}"


def _bin_of(limit: Decimal) -> str:
    for label, low, high in BINS:
        if (low is None or limit >= low) and (high is None or limit < high):
            return label
    return BINS[0][0]  # a negative limit (the API does not allow one) is shown with the smallest
