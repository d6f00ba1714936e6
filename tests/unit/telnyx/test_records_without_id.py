"""A listed record without its id is an answer the dashboard cannot use: every list says so as Telnyx's
failure (UnexpectedStatus, which pages show as the error banner), never with a TypeError (a 500) or a
row whose links lead nowhere."""

from __future__ import annotations

import json

import pytest

from telnyx_admin.telnyx import http
from telnyx_admin.telnyx.errors import UnexpectedStatus
from telnyx_admin.telnyx.number_listing import _parse as parse_number_listings
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.profile_listing import _parse as parse_profile_listings
from telnyx_admin.telnyx.profiles import MessagingProfile, PhoneNumber
from telnyx_admin.telnyx.short_codes import ShortCode


def _page_bytes(*items: dict) -> bytes:
    meta = {"page_number": 1, "page_size": 250, "total_pages": 1, "total_results": len(items)}
    return json.dumps({"data": list(items), "meta": meta}).encode()


WITH_ID = {"id": "a1", "name": "Kept", "phone_number": "+18005550001", "short_code": "12345"}
WITHOUT_ID = {"name": "No id", "phone_number": "+18005550002", "short_code": "67890"}


@pytest.mark.parametrize(
    ("parse", "noun"),
    [
        (lambda page: Page.from_api(json.loads(page), MessagingProfile.from_api), "messaging profile"),
        (lambda page: Page.from_api(json.loads(page), ShortCode.from_api), "short code"),
        (lambda page: Page.from_api(json.loads(page), PhoneNumber.from_api), "phone number"),
        (
            lambda page: http.decode(status=200, headers={}, content=page, parse=parse_profile_listings),
            "messaging profile",
        ),
        (
            lambda page: http.decode(status=200, headers={}, content=page, parse=parse_number_listings),
            "phone number",
        ),
    ],
    ids=[
        "profiles",
        "short codes",
        "phone numbers",
        "profile listings (catalog)",
        "number listings (export)",
    ],
)
def test_a_record_without_an_id_fails_the_page_as_telnyxs_answer(parse, noun):
    assert len(parse(_page_bytes(WITH_ID))) == 1
    with pytest.raises(UnexpectedStatus, match=f"{noun} that has no id"):
        parse(_page_bytes(WITH_ID, WITHOUT_ID))
