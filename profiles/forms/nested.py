"""The two nested objects of a profile (number pool, URL shortener), and how a profile fills a form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from profiles.forms.fields import weight_text

NUMBER_POOL = "number_pool_settings"
URL_SHORTENER = "url_shortener_settings"
NUMBER_POOL_FIELDS = ("toll_free_weight", "long_code_weight", "skip_unhealthy", "sticky_sender", "geomatch")
URL_SHORTENER_FIELDS = ("domain", "prefix", "replace_blacklist_only", "send_webhooks")
# (toggle, nested object, its attributes): a toggle is the form's own field, not an API attribute.
NESTED = (
    ("number_pool_enabled", NUMBER_POOL, NUMBER_POOL_FIELDS),
    ("url_shortener_enabled", URL_SHORTENER, URL_SHORTENER_FIELDS),
)
TOGGLES = frozenset(toggle for toggle, _, _ in NESTED)
URL_FIELDS = ("webhook_url", "webhook_failover_url", "health_webhook_url")


def nested_name(parent: str, child: str) -> str:
    """Form field name of a nested API attribute: ("number_pool_settings", "geomatch") -> "…__geomatch"."""
    return f"{parent}__{child}"


def is_api_attribute(field_name: str) -> bool:
    """Whether a form field is a top-level API attribute (not a toggle, a nested part or the stamp)."""
    return "__" not in field_name and field_name not in TOGGLES and field_name != "updated_at"


class HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


ProfileLike = HasToDict | Mapping[str, Any]


def profile_dict(profile: ProfileLike) -> dict[str, Any]:
    return dict(profile) if isinstance(profile, Mapping) else profile.to_dict()


def initial_from_profile(profile: Mapping[str, Any], field_names: list[str]) -> dict[str, Any]:
    """Form initial values for a profile in API shape."""
    initial: dict[str, Any] = {}
    for name in field_names:
        if "__" in name or name in TOGGLES:
            continue
        value = profile.get(name)
        initial[name] = "" if value is None else value
    for toggle, parent, children in NESTED:
        if toggle not in field_names:
            continue
        settings = profile.get(parent)
        initial[toggle] = settings is not None
        for child in children:
            value = (settings or {}).get(child)
            if child.endswith("_weight"):
                initial[nested_name(parent, child)] = weight_text(value)
            else:
                initial[nested_name(parent, child)] = "" if value is None else value
    return initial


def current_values(profile: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    """The profile's values for `names`, normalised so that two spellings of "nothing" compare equal:
    a null URL is "", a null spend limit is "" (the form shows both as an empty box)."""
    current = {name: profile.get(name) for name in names}
    for name in (*URL_FIELDS, "daily_spend_limit"):
        if name in current and current[name] is None:
            current[name] = ""
    return current
