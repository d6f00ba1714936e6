"""Listed profiles decoded straight into the few fields the account-wide views read.

The catalog reads every profile of the account (2,000 profiles are 8 pages of 250, about 2 MB of
JSON) on each rebuild. Decoding those pages into dicts of all 27 fields and then picking seven
cost more than the rest of the rebuild: `make bench` (spend_overview) measured 8 pages fetched
together at 58 ms bare, 68 ms with `json.loads`, 60 ms decoded straight into `ProfileListing` by
msgspec, which skips the fields it does not name without building them.

The types are the contract's (`MessagingProfile` in the OpenAPI document). A page that breaks them
(a number where a name should be, say) is not an error here: it is decoded the lenient way, every
field coerced as the dict path always did, so one odd profile never hides the overview.

Reference: https://developers.telnyx.com/api/messaging/list-messaging-profiles
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from telnyx_admin.telnyx import http
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.records import without_id
from telnyx_admin.telnyx.typed_pages import page_parser


class ProfileListing(msgspec.Struct, frozen=True, gc=False):
    """A listed profile, as far as the account-wide views need it."""

    id: str
    name: str | None = None
    enabled: bool = True
    daily_spend_limit: str | None = None
    daily_spend_limit_enabled: bool = False
    created_at: str | None = None
    updated_at: str | None = None

    @classmethod
    def lenient(cls, data: Mapping[str, Any]) -> ProfileListing:
        """From a JSON object that may break the contract's types: each field coerced, none refused."""
        if "id" not in data:
            raise without_id("messaging profile")
        get = data.get
        spend = get("daily_spend_limit")
        return cls(
            id=str(get("id")),
            name=str(get("name") or ""),
            enabled=bool(get("enabled", True)),
            daily_spend_limit=str(spend) if spend else None,
            daily_spend_limit_enabled=bool(get("daily_spend_limit_enabled", False)),
            created_at=str(get("created_at") or ""),
            updated_at=str(get("updated_at") or ""),
        )


_parse = page_parser(ProfileListing, ProfileListing.lenient)


def list_profile_listings(*, page_number: int = 1, page_size: int = 250) -> Page[ProfileListing]:
    """One page of profiles as `ProfileListing`s.

    Raises: ValidationFailed (bad page parameters), TelnyxError subclasses.
    """
    params = {"page[number]": page_number, "page[size]": page_size}
    return http.request("GET", "/messaging_profiles", params=params, parse=_parse)
