"""A profile's phone numbers decoded straight into what the CSV export and the number index read.

Both read every number of a profile, 250 to a page. An export of 5,250 numbers is 21 pages, about
3.7 MB of JSON, decoded on the dashboard's one GIL while later pages are still on their way:
`json.loads` into dicts and then a `PhoneNumber` per number took 67 ms of CPU for those pages on a
2-core machine, msgspec decoding into `NumberListing` 13 ms (`make bench`, csv_export_vs_ideal;
the README has the figures).

The types are the contract's (`PhoneNumberWithMessagingSettings`, `MessagingFeatureSet`,
`NumberHealthMetrics` in the OpenAPI document); ratios stay as Telnyx wrote them (an integer stays
an integer, so a CSV cell reads `1`, not `1.0`). A page that breaks the types is not an error
here: it is decoded the lenient way, each field coerced as `PhoneNumber.from_api` does, so one odd
number never fails an export.

Reference: https://developers.telnyx.com/api/messaging/list-profile-phone-numbers
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from telnyx_admin.telnyx import http
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.records import as_tuple, without_id
from telnyx_admin.telnyx.typed_pages import page_parser


class FeatureSet(msgspec.Struct, frozen=True, gc=False):
    """What a number can do with SMS or with MMS."""

    domestic_two_way: bool | None = None
    international_inbound: bool | None = None
    international_outbound: bool | None = None

    @classmethod
    def lenient(cls, data: Any) -> FeatureSet | None:
        if not isinstance(data, Mapping):
            return None
        return cls(*(_flag(data.get(key)) for key in cls.__struct_fields__))


class NumberFeatures(msgspec.Struct, frozen=True, gc=False):
    sms: FeatureSet | None = None
    mms: FeatureSet | None = None


class NumberHealth(msgspec.Struct, frozen=True, gc=False):
    message_count: int | None = None
    success_ratio: int | float | None = None
    spam_ratio: int | float | None = None
    inbound_outbound_ratio: int | float | None = None

    @classmethod
    def lenient(cls, data: Any) -> NumberHealth | None:
        if not isinstance(data, Mapping):
            return None
        count = data.get("message_count")
        return cls(
            message_count=count if type(count) is int else None,
            success_ratio=_number(data.get("success_ratio")),
            spam_ratio=_number(data.get("spam_ratio")),
            inbound_outbound_ratio=_number(data.get("inbound_outbound_ratio")),
        )


# What a number without features or health reads as (no cells, no index values).
NO_FEATURES = NumberFeatures()
NO_HEALTH = NumberHealth()


class NumberListing(msgspec.Struct, frozen=True, gc=False):
    """A listed number as far as the CSV export and the number index need it."""

    id: str
    phone_number: str = ""
    country_code: str = ""
    type: str = ""
    messaging_product: str = ""
    traffic_type: str = ""
    eligible_messaging_products: tuple[str, ...] = ()
    features: NumberFeatures | None = None
    health: NumberHealth | None = None
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def lenient(cls, data: Mapping[str, Any]) -> NumberListing:
        """From a JSON object that may break the contract's types: each field coerced, none refused."""
        if "id" not in data:
            raise without_id("phone number")
        get = data.get
        features = get("features")
        return cls(
            id=str(get("id")),
            **{name: _text(get(name)) for name in _TEXT_FIELDS},
            eligible_messaging_products=tuple(
                str(item) for item in as_tuple(get("eligible_messaging_products"))
            ),
            features=(
                NumberFeatures(
                    sms=FeatureSet.lenient(features.get("sms")), mms=FeatureSet.lenient(features.get("mms"))
                )
                if isinstance(features, Mapping)
                else None
            ),
            health=NumberHealth.lenient(get("health")),
            tags=tuple(str(tag) for tag in as_tuple(get("tags"))),
        )


_TEXT_FIELDS = (
    "phone_number",
    "country_code",
    "type",
    "messaging_product",
    "traffic_type",
    "created_at",
    "updated_at",
)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _number(value: Any) -> int | float | None:
    # bool is an int to Python, but never a count or a ratio.
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


_parse = page_parser(NumberListing, NumberListing.lenient)


def list_number_listings(*, path: str, page_number: int, page_size: int) -> Page[NumberListing]:
    """One page of a profile's numbers (`path`: its phone_numbers address) as `NumberListing`s;
    `profiles.list_profile_number_listings` knows the address.

    Raises: NotFound, ValidationFailed (bad page parameters), TelnyxError subclasses.
    """
    params = {"page[number]": page_number, "page[size]": page_size}
    return http.request("GET", path, params=params, parse=_parse)
