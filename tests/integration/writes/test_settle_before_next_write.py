"""A write whose outcome is still open is settled before the next write to the same object.

A later write moves the object on, after which the earlier one could no longer be judged from it; so
the write path judges it first, from the fresh read it makes anyway. An earlier write that may still
be carried out (too recent to call "not applied") holds the next one back instead of racing it.
"""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEntry
from profiles.forms import SpendLimitForm
from tests.fixtures.profile_writes import resubmit
from tests.integration.writes.cases import WRITES

pytestmark = pytest.mark.django_db

(SPEND,) = [case for case in WRITES if case.name == "spend limit"]


def _save(client: Any, profile: dict[str, Any], amount: str) -> Any:
    data = resubmit(SpendLimitForm(profile=profile), daily_spend_limit=amount)
    return client.post(f"/profiles/{profile['id']}/spend-limit/", data)


def _entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="profile.spend_limit").order_by("id"))


def test_an_applied_write_left_open_is_settled_by_the_next_save(
    lossy: Any, fresh_sandbox: Any, account_manager_client: Any, settings: Any
):
    state = SPEND.prepare(fresh_sandbox)
    settings.TELNYX_MAX_RETRIES = 0
    lossy.lose_answers(count=1, then_lose_reads=1)  # applied; its answer and its read-back lost
    _save(account_manager_client, state["profile"], "321.00")
    (first,) = _entries()
    assert first.is_open

    current = fresh_sandbox.get(f"/messaging_profiles/{state['profile']['id']}").json()["data"]
    response = _save(account_manager_client, current, "450.00")

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.outcome, first.resolution) == ("success", "next_write")
    second = _entries()[1]
    assert (second.outcome, second.resolution) == ("success", "answered")


def test_a_recent_write_that_may_still_land_holds_the_next_save_back(
    telnyx_settings: Any, make_profile: Any, account_manager_client: Any, settings: Any
):
    profile = make_profile()
    settings.TELNYX_MAX_RETRIES = 0
    # Page read and re-read pass; the PATCH's connection is dropped (before the sandbox applies it)
    # and the read-back after it gets a 500: the outcome stays open.
    telnyx_settings.set_faults(drop_rate=1 / 3, error_rate=1 / 3, error_status=500)
    _save(account_manager_client, profile, "321.00")
    telnyx_settings.clear_faults()
    (first,) = _entries()
    assert first.is_open

    held_back = _save(account_manager_client, profile, "450.00")

    assert held_back.status_code == 409
    assert (
        "An earlier change to this object was sent to Telnyx without an answer" in held_back.content.decode()
    )
    assert 'value="450.00"' in held_back.content.decode()  # the input is kept
    first.refresh_from_db()
    assert first.is_open
    assert _entries()[1].outcome == "failure"  # the held-back attempt is on record, nothing was sent

    # Once the first write has settled it can be judged (not applied), and the save goes through.
    settings.WRITE_SETTLE_SECONDS = 0
    assert _save(account_manager_client, profile, "450.00").status_code == 302
    first.refresh_from_db()
    assert (first.outcome, first.resolution) == ("failure", "next_write")
    held = telnyx_settings.get(f"/messaging_profiles/{profile['id']}").json()["data"]
    assert held["daily_spend_limit"] == "450.00"
