"""Short codes (Messaging API v2): list (by profile, or unassigned), retrieve, bind/unbind and tag.

Reference: https://developers.telnyx.com/api/messaging/list-short-codes
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Self
from urllib.parse import quote

from telnyx_admin.telnyx import http
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.records import Record, as_tuple, parse_time


@dataclasses.dataclass(frozen=True)
class ShortCode(Record):
    id: str
    short_code: str = ""
    record_type: str = "short_code"
    country_code: str = ""
    messaging_profile_id: str | None = None
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        data = dict(data)
        data["tags"] = as_tuple(data.get("tags"))
        return super().from_api(data)

    @property
    def updated(self) -> datetime | None:
        return parse_time(self.updated_at)


def list_short_codes(
    *,
    messaging_profile_id: str | None = None,
    unassigned: bool = False,
    page_number: int = 1,
    page_size: int = 20,
) -> Page[ShortCode]:
    """Short codes, optionally only those of one profile or only those bound to none.

    Raises:
        ValueError: both a profile and `unassigned` were asked for.
        TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-short-codes
    if unassigned and messaging_profile_id:
        raise ValueError("Ask for one profile's short codes or for unassigned ones, not both.")
    params: dict[str, Any] = {"page[number]": page_number, "page[size]": page_size}
    if unassigned:
        # The API's documented spelling for "no profile": the literal string null.
        params["filter[messaging_profile_id]"] = "null"
    elif messaging_profile_id:
        params["filter[messaging_profile_id]"] = messaging_profile_id
    payload = http.request("GET", "/short_codes", params=params)
    return Page.from_api(payload, ShortCode.from_api)


def retrieve_short_code(*, short_code_id: str) -> ShortCode:
    """Raises: NotFound, TelnyxError subclasses."""
    # Reference: https://developers.telnyx.com/api/messaging/retrieve-short-code
    payload = http.request("GET", f"/short_codes/{quote(short_code_id, safe='')}")
    return ShortCode.from_api(http.data_of(payload))


def update_short_code(
    *, short_code_id: str, messaging_profile_id: str | None, tags: list[str] | None = None
) -> ShortCode:
    """Bind the short code to a profile, or unbind it (None or ""), and optionally replace its tags.

    `tags` is left out of the request when None, so the tags Telnyx holds stay as they are.

    Raises: NotFound, ValidationFailed (e.g. unknown profile), TelnyxError subclasses.
    """
    # Reference: https://developers.telnyx.com/api/messaging/update-short-code
    body: dict[str, Any] = {"messaging_profile_id": messaging_profile_id or None}
    if tags is not None:
        body["tags"] = list(tags)
    payload = http.request("PATCH", f"/short_codes/{quote(short_code_id, safe='')}", body=body)
    return ShortCode.from_api(http.data_of(payload))
