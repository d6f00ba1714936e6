"""{% load profile_health %}{% number_health number.health as health %}: see profiles/health.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from profiles import health

register = template.Library()


@register.simple_tag
def number_health(value: Mapping[str, Any] | None) -> health.NumberHealth | None:
    return health.number_health(value)
