"""Concurrent, ordered export of every number of the seed's bulk profile (5,250 numbers, 21 pages)."""

import time

import pytest

from telnyx_admin.telnyx import errors, profiles, timing
from telnyx_admin.telnyx.pages import iterate_items
from tests.fixtures.telnyx import requests_to

PAGES = "GET /v2/messaging_profiles/{id}/phone_numbers"


def _sequential_ids(profile_id: str) -> list[str]:
    def fetch(number):
        return profiles.list_profile_phone_numbers(profile_id=profile_id, page_number=number, page_size=250)

    return [number.id for number in iterate_items(fetch)]


@pytest.mark.parametrize("concurrency", [1, 4, 8])
def test_it_exports_every_number_in_order(telnyx_settings, sandbox, bulk_profile_id, concurrency):
    expected = _sequential_ids(bulk_profile_id)
    assert len(expected) == 5250
    sandbox.clear_stats()
    exported = [
        n.id
        for n in profiles.export_profile_phone_numbers(profile_id=bulk_profile_id, concurrency=concurrency)
    ]
    assert exported == expected  # same order: no gaps, no duplicates, nothing swapped
    assert len(set(exported)) == 5250
    assert requests_to(sandbox, PAGES) == 21


def test_worker_calls_count_in_the_callers_tally(telnyx_settings, sandbox, bulk_profile_id):
    sandbox.set_faults(latency_ms=100)
    with timing.tally_scope() as tally:
        for _ in profiles.export_profile_phone_numbers(profile_id=bulk_profile_id, concurrency=8):
            pass
    assert tally.calls == 21
    # The tally sums each call's own time, so overlapping pages add up to more than the wall time.
    assert tally.milliseconds >= 21 * 100


def test_it_is_faster_than_one_by_one(telnyx_settings, sandbox, bulk_profile_id):
    sandbox.set_faults(latency_ms=100)
    started = time.monotonic()
    count = sum(1 for _ in profiles.export_profile_phone_numbers(profile_id=bulk_profile_id, concurrency=8))
    elapsed = time.monotonic() - started
    assert count == 5250
    assert elapsed < 21 * 0.1, "concurrent pages overlap their latency"


def test_it_survives_a_rate_limit_in_order(telnyx_settings, sandbox, settings, bulk_profile_id):
    expected = _sequential_ids(bulk_profile_id)
    settings.TELNYX_MAX_RETRY_AFTER = 3
    settings.TELNYX_RETRY_BUDGET = 10
    settings.TELNYX_MAX_RETRIES = 5
    sandbox.clear_stats()
    sandbox.set_faults(rate_limit={"limit": 8, "window_seconds": 1})
    exported = [
        n.id for n in profiles.export_profile_phone_numbers(profile_id=bulk_profile_id, concurrency=8)
    ]
    assert exported == expected
    stats = sandbox.stats()
    assert stats["faults"]["rate_limit"] > 0, "the limit was hit and waited out"
    assert requests_to(sandbox, PAGES) == 21 + stats["faults"]["rate_limit"]


def test_a_failing_page_stops_the_export(telnyx_settings, sandbox, settings, bulk_profile_id):
    settings.TELNYX_MAX_RETRIES = 0
    sandbox.set_faults(error_rate=0.25, error_status=503)  # requests 4, 8, ... fail
    exported = []
    with pytest.raises(errors.ApiUnavailable):
        for number in profiles.export_profile_phone_numbers(profile_id=bulk_profile_id, concurrency=4):
            exported.append(number.id)
    assert len(exported) < 5250
    assert requests_to(sandbox, PAGES) < 21


def test_nothing_is_requested_until_read(telnyx_settings, sandbox, bulk_profile_id):
    export = profiles.export_profile_phone_numbers(profile_id=bulk_profile_id)
    assert requests_to(sandbox, PAGES) == 0
    next(iter(export))
    assert requests_to(sandbox, PAGES) >= 1


def test_a_small_profile_costs_one_wave(telnyx_settings, sandbox):
    small = next(p for p in profiles.list_profiles(page_size=100) if p.name != "Acme Bulk Notifications")
    expected = profiles.list_profile_phone_numbers(profile_id=small.id, page_size=250)
    assert expected.total_pages <= 1
    sandbox.clear_stats()
    exported = list(profiles.export_profile_phone_numbers(profile_id=small.id, concurrency=4))
    # The export decodes its own record (number_listing.py): the same numbers, field for field.
    shared = (
        "id",
        "phone_number",
        "country_code",
        "type",
        "traffic_type",
        "tags",
        "created_at",
        "updated_at",
    )
    assert [[getattr(n, name) for name in shared] for n in exported] == [
        [getattr(n, name) for name in shared] for n in expected.items
    ]
    assert [n.health and n.health.message_count for n in exported] == [
        n.health and n.health["message_count"] for n in expected.items
    ]
    # Page 1 and up to three speculative pages (those not started once page 1 answered are
    # cancelled); the empty ones are dropped.
    assert 1 <= requests_to(sandbox, PAGES) <= 4
