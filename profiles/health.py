"""A phone number's messaging health (the API's `health` object) as the phone-numbers tab shows it,
with the figures that need attention flagged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Beyond these, carriers start filtering a number's traffic: worth a support agent's attention.
SPAM_RATIO_HIGH = 0.10
SUCCESS_RATIO_LOW = 0.80


@dataclass(frozen=True, slots=True)
class NumberHealth:
    sent: int
    delivered_percent: int
    spam_percent: int
    delivery_low: bool
    spam_high: bool


def _ratio(health: Mapping[str, Any], name: str) -> float:
    try:
        return float(health.get(name) or 0)
    except (TypeError, ValueError):
        return 0.0


def number_health(health: Mapping[str, Any] | None) -> NumberHealth | None:
    """The figures to print, or None when Telnyx reports no health for the number."""
    if not health:
        return None
    try:
        sent = int(health.get("message_count") or 0)
    except (TypeError, ValueError):
        sent = 0
    success, spam = _ratio(health, "success_ratio"), _ratio(health, "spam_ratio")
    return NumberHealth(
        sent=sent,
        delivered_percent=round(success * 100),
        spam_percent=round(spam * 100),
        # With nothing sent there is no delivery rate to judge.
        delivery_low=sent > 0 and success < SUCCESS_RATIO_LOW,
        spam_high=spam >= SPAM_RATIO_HIGH,
    )
