"""Which requests are repeated, proven by the sandbox's own request counts.

The sandbox's faults are deterministic: with error_rate=0.5 exactly every second request fails,
so a warm-up request puts the request under test on a failing slot.
"""

import time
import uuid

import pytest

from telnyx_admin.telnyx import errors, profiles, short_codes
from tests.fixtures.telnyx import requests_to

PROFILES = "GET /v2/messaging_profiles"
CREATE = "POST /v2/messaging_profiles"
PATCH_PROFILE = "PATCH /v2/messaging_profiles/{id}"
RETRIEVE = "GET /v2/messaging_profiles/{id}"


def _new_profile_fields() -> dict:
    return {"name": f"Retry test {uuid.uuid4()}", "whitelisted_destinations": ["US"]}


def test_a_post_under_503s_is_sent_once(telnyx_settings, sandbox):
    sandbox.set_faults(error_rate=0.5, error_status=503)
    profiles.list_profiles()  # request 1 succeeds; the POST is request 2, which fails
    fields = _new_profile_fields()
    with pytest.raises(errors.ApiUnavailable):
        profiles.create_profile(fields=fields)
    assert requests_to(sandbox, CREATE) == 1
    sandbox.clear_faults()
    assert profiles.list_profiles(name_eq=fields["name"]).total_results == 0


def test_a_get_under_503s_is_retried_until_it_succeeds(telnyx_settings, sandbox):
    sandbox.set_faults(error_rate=0.5, error_status=503)
    profiles.list_profiles()  # request 1
    page = profiles.list_profiles()  # request 2 fails, its retry (3) succeeds
    assert page.total_results > 0
    assert requests_to(sandbox, PROFILES) == 3
    assert sandbox.stats()["faults"]["error"] == 1


def test_a_get_gives_up_after_max_retries(telnyx_settings, sandbox, settings):
    settings.TELNYX_MAX_RETRIES = 2
    sandbox.set_faults(error_rate=1.0, error_status=502)
    with pytest.raises(errors.ApiUnavailable):
        profiles.list_profiles()
    assert requests_to(sandbox, PROFILES) == 3


def test_500_is_not_retried_even_for_a_get(telnyx_settings, sandbox):
    sandbox.set_faults(error_rate=1.0, error_status=500)
    with pytest.raises(errors.ApiUnavailable):
        profiles.list_profiles()
    assert requests_to(sandbox, PROFILES) == 1


def test_a_get_under_a_rate_limit_waits_and_succeeds(telnyx_settings, sandbox, settings):
    settings.TELNYX_MAX_RETRY_AFTER = 3
    sandbox.set_faults(rate_limit={"limit": 2, "window_seconds": 1})
    profiles.list_profiles()
    profiles.list_profiles()
    started = time.monotonic()
    page = profiles.list_profiles()  # 429 with Retry-After: 1, then allowed in the next window
    waited = time.monotonic() - started
    assert page.total_results > 0
    assert waited >= 0.9, "Retry-After was honoured"
    assert requests_to(sandbox, PROFILES) == 4
    assert sandbox.stats()["faults"]["rate_limit"] == 1


def test_a_write_is_retried_after_a_429_and_created_once(telnyx_settings, sandbox, settings):
    settings.TELNYX_MAX_RETRY_AFTER = 3
    sandbox.set_faults(rate_limit={"limit": 1, "window_seconds": 1})
    profiles.list_profiles()  # spends the window's only request
    fields = _new_profile_fields()
    created = profiles.create_profile(fields=fields)
    assert requests_to(sandbox, CREATE) == 2
    sandbox.clear_faults()
    assert [p.id for p in profiles.list_profiles(name_eq=fields["name"])] == [created.id]


def test_a_patch_after_a_dropped_connection_is_not_retried(telnyx_settings, sandbox, bulk_profile_id):
    sandbox.set_faults(drop_rate=1.0)
    with pytest.raises(errors.ConnectionFailed):
        profiles.update_profile(profile_id=bulk_profile_id, changes={"daily_spend_limit": "5.00"})
    assert requests_to(sandbox, PATCH_PROFILE) == 1
    assert sandbox.stats()["faults"]["drop"] == 1


def test_a_short_code_patch_after_a_dropped_connection_is_not_retried(telnyx_settings, sandbox):
    code = short_codes.list_short_codes().items[0]
    sandbox.set_faults(drop_rate=1.0)
    with pytest.raises(errors.ConnectionFailed):
        short_codes.update_short_code(short_code_id=code.id, messaging_profile_id=None)
    assert requests_to(sandbox, "PATCH /v2/short_codes/{id}") == 1


def test_a_get_after_a_dropped_connection_is_retried(telnyx_settings, sandbox, bulk_profile_id):
    sandbox.set_faults(drop_rate=0.5)
    profiles.retrieve_profile(profile_id=bulk_profile_id)  # request 1
    profile = profiles.retrieve_profile(profile_id=bulk_profile_id)  # 2 dropped, 3 answered
    assert profile.id == bulk_profile_id
    assert requests_to(sandbox, RETRIEVE) == 3


def test_a_write_is_retried_when_the_connection_was_refused(
    telnyx_settings, sandbox, settings, late_listener
):
    settings.TELNYX_API_BASE_URL = late_listener.base_url
    settings.TELNYX_MAX_RETRIES = 6
    late_listener.start(after=0.3)
    fields = _new_profile_fields()
    started = time.monotonic()
    created = profiles.create_profile(fields=fields)
    assert late_listener.started_at is not None and late_listener.started_at > started
    assert requests_to(sandbox, CREATE) == 1  # refused attempts never reached anyone
    assert profiles.retrieve_profile(profile_id=created.id).name == fields["name"]


def test_the_retry_budget_caps_the_whole_call(telnyx_settings, sandbox, settings):
    settings.TELNYX_MAX_RETRIES = 10
    settings.TELNYX_RETRY_BUDGET = 2.5
    settings.TELNYX_MAX_RETRY_AFTER = 5
    sandbox.set_faults(error_rate=1.0, error_status=503, retry_after_seconds=1)
    started = time.monotonic()
    with pytest.raises(errors.ApiUnavailable):
        profiles.list_profiles()
    elapsed = time.monotonic() - started
    assert elapsed < 2.5
    # Attempts at about 0 s, 1 s and 2 s; a fourth would start after the budget.
    assert requests_to(sandbox, PROFILES) == 3
