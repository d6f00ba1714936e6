"""Two people save the same object from the same loaded form at the same moment: exactly one save is
applied, the other sees the conflict panel with its input kept, and the audit log says so.

In-process, with one thread per person (each with its own database connection); the same race across
two gunicorn instances is in tests/integration/production/test_two_instances.py.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from audit.models import AuditEntry
from profiles.forms import SpendLimitForm
from tests.fixtures.profile_writes import resubmit

pytestmark = pytest.mark.django_db(transaction=True)


def _race(user: Any, url: str, payloads: list[dict[str, Any]]) -> list[Any]:
    """POST each payload from its own thread, all released at once; the responses in payload order."""
    barrier = threading.Barrier(len(payloads))
    responses: list[Any] = [None] * len(payloads)
    clients = []
    for _ in payloads:
        client = Client()
        client.force_login(user)
        clients.append(client)

    def save(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            responses[index] = clients[index].post(url, payloads[index])
        except Exception as exc:  # surfaced in the main thread below
            responses[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(index,)) for index in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for response in responses:
        if isinstance(response, Exception):
            raise response
    return responses


@pytest.mark.parametrize("repeat", range(3))
def test_two_spend_limit_saves_from_one_form_apply_exactly_one(
    account_manager: Any, make_profile: Any, telnyx_settings: Any, repeat: int
):
    profile = make_profile(daily_spend_limit="100.00")
    url = f"/profiles/{profile['id']}/spend-limit/"
    form = SpendLimitForm(profile=profile)
    amounts = ["250.00", "175.00"]
    # Telnyx is slow enough that both saves are in flight together.
    telnyx_settings.set_faults(latency_ms=250)

    responses = _race(account_manager, url, [resubmit(form, daily_spend_limit=amount) for amount in amounts])

    telnyx_settings.clear_faults()
    saved = [index for index, response in enumerate(responses) if response.status_code == 302]
    refused = [index for index, response in enumerate(responses) if response.status_code == 200]
    assert len(saved) == 1 and len(refused) == 1, [response.status_code for response in responses]
    loser = responses[refused[0]].content.decode()
    assert 'data-testid="conflict"' in loser
    assert f'value="{amounts[refused[0]]}"' in loser  # the input is kept
    held = telnyx_settings.get(f"/messaging_profiles/{profile['id']}").json()["data"]
    assert held["daily_spend_limit"] == amounts[saved[0]]
    outcomes = sorted(
        AuditEntry.objects.filter(object_id=profile["id"], action="profile.spend_limit").values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == ["failure", "success"]


def test_two_binds_of_one_short_code_to_different_profiles_apply_exactly_one(
    support_user: Any, seed_short_codes: Any
):
    code = seed_short_codes.unassigned()[0]
    first = seed_short_codes.create_profile("Race winner A")
    second = seed_short_codes.create_profile("Race winner B")
    seed_short_codes.sandbox.set_faults(latency_ms=250)
    payloads = [
        {"messaging_profile_id": target["id"], "updated_at": code["updated_at"]} for target in (first, second)
    ]

    responses = _race(support_user, f"/short-codes/{code['id']}/bind/", payloads)

    seed_short_codes.sandbox.clear_faults()
    assert sorted(response.status_code for response in responses) == [200, 302]
    outcomes = sorted(
        AuditEntry.objects.filter(object_id=code["id"], action="short_code.bind").values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == ["failure", "success"]
    winner = payloads[[response.status_code for response in responses].index(302)]
    assert seed_short_codes.short_code(code["id"])["messaging_profile_id"] == winner["messaging_profile_id"]
