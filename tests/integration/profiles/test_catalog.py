"""The profile catalog: every profile, pages of 250 fetched together, cached, rebuilt when stale."""

from __future__ import annotations

import math
import os
import tempfile
import time

import pytest
from django.core.cache import cache
from django.utils.html import escape

from devservers.sandbox_process import SandboxProcess
from profiles import catalog, directory
from tests.fixtures.jobs import wait_for
from tests.fixtures.short_codes import calls_to

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = pytest.mark.xdist_group(__name__)

LIST = "GET /v2/messaging_profiles"


@pytest.fixture
def clean_catalog(settings):
    settings.TELNYX_ACCOUNT = f"catalog-test-{time.time_ns()}"
    yield
    catalog.forget_size()
    catalog.invalidate()


def test_a_first_load_asks_for_page_1_then_the_rest(large_telnyx_settings, clean_catalog):
    built = catalog.profile_catalog()
    assert len(built) == 2_000 and built.calls == 8
    assert calls_to(large_telnyx_settings, LIST) == math.ceil(2_000 / 250)
    assert [p.name for p in built][:2] == ["Acme Bulk Notifications 00001", "Acme Support Line 00002"]
    assert built.names[built.profiles[-1].id] == built.profiles[-1].name


def test_it_is_served_from_the_cache_until_invalidated(large_telnyx_settings, clean_catalog):
    first = catalog.profile_catalog()
    assert catalog.profile_catalog() == first
    assert calls_to(large_telnyx_settings, LIST) == 8
    catalog.invalidate()
    again = catalog.profile_catalog()
    assert again.built_at > first.built_at
    # It remembered the account has 8 pages and asked for them all at once: one call per page still.
    assert again.calls == 8 and calls_to(large_telnyx_settings, LIST) == 16


def test_a_shrunk_account_costs_its_spare_pages_once(telnyx_settings, clean_catalog):
    cache.set(catalog._pages_key(), 3, None)  # as if the account had 3 pages last time
    # Pages 2 and 3 are asked for beside page 1; one that has not started when page 1 answers
    # "there is one page" is cancelled, so the wasted calls are at most the two spare pages.
    assert 1 <= catalog.load_every_profile(page_hint=3).calls <= 3
    catalog.build_and_store()
    catalog.invalidate()
    total = telnyx_settings.get("/messaging_profiles", params={"page[size]": 1}).json()["meta"][
        "total_results"
    ]
    telnyx_settings.clear_stats()
    assert total < 250 and len(catalog.profile_catalog()) == total
    assert calls_to(telnyx_settings, LIST) == 1  # the hint was corrected to the one page there is


def test_a_stale_catalog_is_served_while_it_is_rebuilt(telnyx_settings, clean_catalog, settings):
    first = catalog.profile_catalog()
    settings.PROFILE_CATALOG_FRESH_SECONDS = 0  # everything is stale now, but not too stale
    telnyx_settings.clear_stats()
    assert catalog.profile_catalog() == first  # served at once, no call
    assert calls_to(telnyx_settings, LIST) == 0


def test_pages_take_their_calls_from_the_budget(large_telnyx_settings, clean_catalog, settings):
    from telnyx_admin.telnyx.budget import request_budget

    settings.TELNYX_RATE_LIMIT = 10
    settings.TELNYX_RATE_BURST = 1
    settings.TELNYX_BUDGET_REDIS_URL = ""
    request_budget.reset_local()
    started = time.monotonic()
    try:
        # 8 pages at 10 per second: the last one waits 0.7 s for its slot.
        assert catalog.load_every_profile(page_hint=8).calls == 8
        assert time.monotonic() - started >= 0.65
    finally:
        request_budget.reset_local()


@pytest.mark.slow
def test_a_worker_rebuilds_a_stale_catalog(
    fresh_sandbox, telnyx_settings, clean_catalog, settings, job_worker_factory
):
    # A fresh sandbox: other tests in this session leave profiles behind, and the count below is the seed's.
    # The worker and this test must share the cache: Redis on that leg, else a cache directory.
    if not os.environ.get("CACHE_URL", "").startswith("redis"):
        location = tempfile.mkdtemp(prefix="catalog-cache-")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": location,
                "KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
            }
        }
        env = {"CACHE_URL": f"filecache://{location}"}
    else:
        env = {}
    job_worker_factory(TELNYX_ACCOUNT=settings.TELNYX_ACCOUNT, **env)
    first = catalog.profile_catalog()
    settings.PROFILE_CATALOG_FRESH_SECONDS = 0
    assert catalog.profile_catalog() == first  # stale: served, and a rebuild is queued

    rebuilt = wait_for(
        lambda: (found := catalog.cached_catalog()) is not None and found.built_at > first.built_at and found,
        what="the worker's rebuild",
    )
    assert len(rebuilt) == 57


@pytest.fixture(scope="module")
def huge_sandbox():
    with SandboxProcess(seed="large", seed_profiles=20_000, startup_timeout=180) as server:
        yield server


@pytest.mark.slow
def test_an_account_of_20000_profiles_shows_every_name(huge_sandbox, settings, clean_catalog, support_client):
    settings.TELNYX_API_BASE_URL = huge_sandbox.api_url
    settings.TELNYX_API_KEY = huge_sandbox.api_key
    names = directory.profile_directory()
    assert len(names) == 20_000
    huge_sandbox.clear_stats()

    # Every short code on the list shows its profile's name, also those bound to profiles far past
    # the 2,000 the directory used to stop at.
    response = support_client.get("/short-codes/", {"page_size": 250})
    body = response.content.decode()
    assert response.status_code == 200
    assert "unknown profile" not in body
    codes = huge_sandbox.get("/short_codes", params={"page[size]": 250}).json()["data"]
    positions = {profile_id: number for number, profile_id in enumerate(names.names)}
    far = [c for c in codes if c["messaging_profile_id"] and positions[c["messaging_profile_id"]] >= 2_000]
    assert len(far) > 100
    for code in far:
        assert escape(names.name_of(code["messaging_profile_id"])) in body


def test_concurrent_requests_after_an_invalidation_build_it_once(large_telnyx_settings, clean_catalog):
    import concurrent.futures

    large_telnyx_settings.set_faults(latency_ms=200)
    catalog.forget_size()
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        built = list(pool.map(lambda _: catalog.profile_catalog(), range(6)))
    assert {len(found) for found in built} == {2_000}
    assert calls_to(large_telnyx_settings, LIST) == 8  # one build, not six
