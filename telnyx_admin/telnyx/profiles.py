"""Messaging profiles (Messaging API v2): CRUD, plus the phone numbers and short codes bound to one.

Reference: https://developers.telnyx.com/api/messaging/list-messaging-profiles
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Self
from urllib.parse import quote

from telnyx_admin.telnyx import http
from telnyx_admin.telnyx.number_listing import NumberListing, list_number_listings
from telnyx_admin.telnyx.pages import Page, fetch_all_ordered
from telnyx_admin.telnyx.records import Record, as_tuple, parse_time
from telnyx_admin.telnyx.short_codes import ShortCode

__all__ = [
    "MessagingProfile",
    "NumberPoolSettings",
    "PhoneNumber",
    "ShortCode",
    "UrlShortenerSettings",
    "create_profile",
    "delete_profile",
    "export_profile_phone_numbers",
    "list_profile_number_listings",
    "list_profile_phone_numbers",
    "list_profile_short_codes",
    "list_profiles",
    "list_profiles_raw",
    "retrieve_profile",
    "update_profile",
]


@dataclasses.dataclass(frozen=True)
class NumberPoolSettings(Record):
    toll_free_weight: float = 0
    long_code_weight: float = 0
    skip_unhealthy: bool = False
    sticky_sender: bool = False
    geomatch: bool = False


@dataclasses.dataclass(frozen=True)
class UrlShortenerSettings(Record):
    domain: str = ""
    prefix: str = ""
    replace_blacklist_only: bool = False
    send_webhooks: bool = False


@dataclasses.dataclass(frozen=True)
class MessagingProfile(Record):
    id: str
    name: str = ""
    record_type: str = "messaging_profile"
    enabled: bool = True
    webhook_url: str | None = ""
    webhook_failover_url: str | None = ""
    webhook_api_version: str = "2"
    health_webhook_url: str | None = None
    whitelisted_destinations: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    # Kept out of repr() so that a profile in a log line or traceback does not leak it.
    v1_secret: str = dataclasses.field(default="", repr=False)
    number_pool_settings: NumberPoolSettings | None = None
    url_shortener_settings: UrlShortenerSettings | None = None
    alpha_sender: str | None = None
    daily_spend_limit: str = ""
    daily_spend_limit_enabled: bool = False
    redaction_enabled: bool = False
    redaction_level: int = 0
    mobile_only: bool = False
    smart_encoding: bool = False
    mms_fall_back_to_sms: bool = False
    mms_transcoding: bool = False
    organization_id: str = ""
    ai_assistant_id: str | None = None
    resource_group_id: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        data = dict(data)
        data["whitelisted_destinations"] = as_tuple(data.get("whitelisted_destinations"))
        pool = data.get("number_pool_settings")
        data["number_pool_settings"] = (
            NumberPoolSettings.from_api(pool) if isinstance(pool, Mapping) else None
        )
        shortener = data.get("url_shortener_settings")
        data["url_shortener_settings"] = (
            UrlShortenerSettings.from_api(shortener) if isinstance(shortener, Mapping) else None
        )
        return super().from_api(data)

    @property
    def created(self) -> datetime | None:
        return parse_time(self.created_at)

    @property
    def updated(self) -> datetime | None:
        return parse_time(self.updated_at)


@dataclasses.dataclass(frozen=True)
class PhoneNumber(Record):
    id: str
    phone_number: str = ""
    record_type: str = "messaging_phone_number"
    messaging_profile_id: str | None = None
    country_code: str = ""
    type: str = ""
    messaging_product: str = ""
    traffic_type: str = ""
    eligible_messaging_products: tuple[str, ...] = ()
    features: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    health: Mapping[str, Any] | None = None
    organization_id: str = ""
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        data = dict(data)
        data["eligible_messaging_products"] = as_tuple(data.get("eligible_messaging_products"))
        data["tags"] = as_tuple(data.get("tags"))
        if not isinstance(data.get("features"), Mapping):
            data["features"] = {}
        return super().from_api(data)


def _profile_path(profile_id: str, tail: str = "") -> str:
    # Quoting keeps an id from the URL bar (".." or "a/b") from addressing another resource.
    return f"/messaging_profiles/{quote(profile_id, safe='')}{tail}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value


def list_profiles(
    *,
    name_contains: str | None = None,
    name_eq: str | None = None,
    page_number: int = 1,
    page_size: int = 20,
) -> Page[MessagingProfile]:
    """One page of messaging profiles, optionally filtered by name.

    Raises: ValidationFailed (bad page parameters), TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-messaging-profiles
    params: dict[str, Any] = {"page[number]": page_number, "page[size]": page_size}
    if name_contains:
        params["filter[name][contains]"] = name_contains
    if name_eq:
        params["filter[name][eq]"] = name_eq
    payload = http.request("GET", "/messaging_profiles", params=params)
    return Page.from_api(payload, MessagingProfile.from_api)


def list_profiles_raw(*, page_number: int = 1, page_size: int = 250) -> Page[Mapping[str, Any]]:
    """One page of profiles as the API's JSON objects, for callers that read a few fields of
    thousands of profiles (the account-wide catalog) and need not build a MessagingProfile each.

    Raises: ValidationFailed (bad page parameters), TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-messaging-profiles
    params = {"page[number]": page_number, "page[size]": page_size}
    payload = http.request("GET", "/messaging_profiles", params=params)
    return Page.from_api(payload, _as_mapping)


def _as_mapping(item: Mapping[str, Any]) -> Mapping[str, Any]:
    return item


def create_profile(*, fields: Mapping[str, Any]) -> MessagingProfile:
    """Create a profile from API-named fields (`name` and `whitelisted_destinations` are required).

    Sent once: a create is never repeated after a timeout or dropped connection (see retry.py).

    Raises: ValidationFailed (field_errors keyed by JSON pointer), TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/create-messaging-profile
    body = {key: _jsonable(value) for key, value in fields.items()}
    payload = http.request("POST", "/messaging_profiles", body=body)
    return MessagingProfile.from_api(http.data_of(payload))


def retrieve_profile(*, profile_id: str) -> MessagingProfile:
    """Raises: NotFound, TelnyxError subclasses."""
    # Reference: https://developers.telnyx.com/api/messaging/retrieve-messaging-profile
    payload = http.request("GET", _profile_path(profile_id))
    return MessagingProfile.from_api(http.data_of(payload))


def update_profile(*, profile_id: str, changes: Mapping[str, Any]) -> MessagingProfile:
    """PATCH only the given API-named fields; returns the profile as Telnyx now holds it.

    Raises: NotFound, ValidationFailed, TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/update-messaging-profile
    body = {key: _jsonable(value) for key, value in changes.items()}
    payload = http.request("PATCH", _profile_path(profile_id), body=body)
    return MessagingProfile.from_api(http.data_of(payload))


def delete_profile(*, profile_id: str) -> MessagingProfile:
    """Delete a profile; returns it as it was (Telnyx answers with the deleted object).

    Raises: NotFound, TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/delete-messaging-profile
    payload = http.request("DELETE", _profile_path(profile_id))
    return MessagingProfile.from_api(http.data_of(payload))


def list_profile_phone_numbers(
    *, profile_id: str, page_number: int = 1, page_size: int = 20
) -> Page[PhoneNumber]:
    """One page of the phone numbers bound to a profile.

    Raises: NotFound, ValidationFailed (bad page parameters), TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-profile-phone-numbers
    params = {"page[number]": page_number, "page[size]": page_size}
    payload = http.request("GET", _profile_path(profile_id, "/phone_numbers"), params=params)
    return Page.from_api(payload, PhoneNumber.from_api)


def export_profile_phone_numbers(
    *, profile_id: str, page_size: int = 250, concurrency: int | None = None
) -> Iterator[NumberListing]:
    """Every phone number of a profile, in API order, fetching pages concurrently, as `NumberListing`s.

    Lazy: nothing is requested until the first item is read, so a CSV response can stream it.
    `concurrency` defaults to TELNYX_EXPORT_CONCURRENCY.

    Raises (while iterating): NotFound, RateLimited (Retry-After too long), TelnyxError subclasses.
    """

    def fetch(number: int) -> Page[NumberListing]:
        return list_profile_number_listings(profile_id=profile_id, page_number=number, page_size=page_size)

    return fetch_all_ordered(fetch, concurrency=concurrency)


def list_profile_number_listings(
    *, profile_id: str, page_number: int = 1, page_size: int = 250
) -> Page[NumberListing]:
    """One page of a profile's phone numbers decoded into `NumberListing`s (number_listing.py):
    what reading all of them (the CSV export, the number index) needs, at a fifth of the CPU.

    Raises: NotFound, ValidationFailed (bad page parameters), TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-profile-phone-numbers
    return list_number_listings(
        path=_profile_path(profile_id, "/phone_numbers"), page_number=page_number, page_size=page_size
    )


def list_profile_short_codes(
    *, profile_id: str, page_number: int = 1, page_size: int = 20
) -> Page[ShortCode]:
    """One page of the short codes bound to a profile.

    Raises: NotFound, TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-profile-short-codes
    params = {"page[number]": page_number, "page[size]": page_size}
    payload = http.request("GET", _profile_path(profile_id, "/short_codes"), params=params)
    return Page.from_api(payload, ShortCode.from_api)
