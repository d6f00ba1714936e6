"""A job worker reads back writes whose answer was lost, without anyone running reconcile_writes."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEntry
from tests.fixtures.jobs import wait_for
from tests.fixtures.profile_writes import resubmit

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_running_worker_resolves_an_open_write(
    job_worker_factory: Any,
    account_manager_client: Any,
    make_profile: Any,
    telnyx_settings: Any,
    settings: Any,
):
    from devservers.fault_proxy import FaultProxy
    from profiles.forms import SpendLimitForm

    profile = make_profile()
    with FaultProxy(telnyx_settings.base_url) as proxy:
        settings.TELNYX_API_BASE_URL = proxy.api_url
        settings.TELNYX_MAX_RETRIES = 0
        proxy.lose_answers(count=1, then_lose_reads=1)  # applied; answer and read-back lost
        data = resubmit(SpendLimitForm(profile=profile), daily_spend_limit="654.00")
        account_manager_client.post(f"/profiles/{profile['id']}/spend-limit/", data)
    (entry,) = AuditEntry.objects.filter(action="profile.spend_limit")
    assert entry.is_open

    job_worker_factory(WRITES_RECONCILE_INTERVAL="0.5", WRITE_SETTLE_SECONDS="0")

    def resolved() -> bool:
        entry.refresh_from_db()
        return not entry.is_open

    wait_for(resolved, timeout=90, what="the worker to reconcile the open write")
    assert (entry.outcome, entry.resolution) == ("success", "reconciled")
