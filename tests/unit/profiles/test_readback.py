"""profiles.readback.find_created: the profile an unanswered create made, whichever page it is on."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from profiles import readback
from telnyx_admin.telnyx import profiles as telnyx_profiles
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.profiles import MessagingProfile
from tests.unit.profiles.form_inputs import PROFILE

pytestmark = pytest.mark.django_db

PAGE_SIZE = 250


def _profile(name: str, created_at: str) -> MessagingProfile:
    return MessagingProfile.from_api(
        {**PROFILE, "id": str(uuid.uuid4()), "name": name, "created_at": created_at}
    )


def _stamp(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _create_entry(name: str) -> AuditEntry:
    return AuditEntry.objects.create(
        actor_username="sam.support",
        action="profile.create",
        object_type="messaging_profile",
        object_label=name,
        outcome="unknown",
        intent={
            "op": "create",
            "name_digest": readback.PROFILE.digest("name", name),
            "name_prefix": name[:100],
        },
    )


class FakeListing:
    """`list_profiles` over a fixed list of profiles, answering page by page and recording the asks."""

    def __init__(self, profiles: list[MessagingProfile]) -> None:
        self.profiles = profiles
        self.asked: list[dict[str, Any]] = []

    def __call__(self, **params: Any) -> Page[MessagingProfile]:
        self.asked.append(params)
        number, size = params["page_number"], params["page_size"]
        items = tuple(self.profiles[(number - 1) * size : number * size])
        pages = max(1, -(-len(self.profiles) // size))
        return Page.of(items, {"page_number": number, "page_size": size, "total_pages": pages})


def test_the_created_profile_is_found_beyond_the_first_page(monkeypatch: Any):
    name = "Common name"
    long_ago = _stamp(timezone.now() - timedelta(days=30))
    older = [_profile(name, long_ago) for _ in range(PAGE_SIZE)]
    created = _profile(name, _stamp(timezone.now()))
    listing = FakeListing([*older, created])
    monkeypatch.setattr(telnyx_profiles, "list_profiles", listing)

    assert readback.find_created(_create_entry(name)) == created
    # The whole name fits the intent, so it is asked for exactly, page after page.
    assert [(ask.get("name_eq"), ask["page_number"]) for ask in listing.asked] == [(name, 1), (name, 2)]


def test_a_name_longer_than_the_intent_keeps_is_searched_by_its_start(monkeypatch: Any):
    name = "L" * 150
    created = _profile(name, _stamp(timezone.now()))
    listing = FakeListing([_profile("L" * 120, _stamp(timezone.now())), created])
    monkeypatch.setattr(telnyx_profiles, "list_profiles", listing)

    assert readback.find_created(_create_entry(name)) == created
    assert listing.asked == [{"name_contains": "L" * 100, "page_number": 1, "page_size": PAGE_SIZE}]


def test_nothing_found_when_no_profile_of_that_name_was_created_since(monkeypatch: Any):
    name = "Never made"
    listing = FakeListing([_profile(name, _stamp(timezone.now() - timedelta(days=1)))])
    monkeypatch.setattr(telnyx_profiles, "list_profiles", listing)

    assert readback.find_created(_create_entry(name)) is None
