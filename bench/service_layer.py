"""The service layer against the official telnyx SDK, and the concurrent export against its ideal.

(a) 500 profile retrieves and 100 list pages, each made by this layer and by `telnyx.Telnyx` in
    strict alternation (call for call, same sandbox, same moment), so load from anything else on
    the machine falls on both alike. Value: our median call time / the SDK's median call time
    (<= 1.0: we are no slower than the vendor's client). The median, because the machine is shared:
    one 50 ms descheduling of a single call would move a ratio of totals by several percent either
    way. The totals are printed too.
(b) Export every number of the seed's bulk profile (5,250 numbers, 21 pages of 250) with 50 ms of
    injected latency per request. Value: elapsed / ideal, where ideal = ceil(pages / concurrency) x
    latency, the time if every wave of `concurrency` pages cost exactly the latency and nothing
    else. The sequential fetch is printed as the baseline.

Both sides parse what they fetch: this layer into frozen dataclasses, the SDK into its models.
"""

from __future__ import annotations

import logging
import math
import os
import statistics
import time
from collections.abc import Callable

RETRIEVES = 500
LIST_PAGES = 100
LATENCY_MS = 50
BULK_PROFILE_NAME = "Acme Bulk Notifications"
EXPORT_PAGE_SIZE = 250
EXPORT_RUNS = 3


def _configure(sandbox) -> None:
    from django.conf import settings

    settings.TELNYX_API_BASE_URL = sandbox.api_url
    settings.TELNYX_API_KEY = sandbox.api_key
    settings.TELNYX_MAX_RETRIES = 0  # like the SDK below: measure calls, not retries
    # Our layer logs one INFO line per call in production too, so it is formatted here as well;
    # only the output is discarded, to keep the benchmark's own lines readable.
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process


def _side_by_side(
    ours: Callable[[int], object], theirs: Callable[[int], object], count: int
) -> tuple[list, list]:
    """Run both `count` times in strict alternation (who goes first alternates too); per-call seconds."""
    ours_s: list[float] = []
    theirs_s: list[float] = []
    for i in range(count):
        pair = ((ours, ours_s), (theirs, theirs_s)) if i % 2 == 0 else ((theirs, theirs_s), (ours, ours_s))
        for call, times in pair:
            started = time.perf_counter()
            call(i)
            times.append(time.perf_counter() - started)
    return ours_s, theirs_s


def _report(name: str, what: str, ours: list[float], theirs: list[float]) -> None:
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    print(
        f"{what}: service layer median {ours_median * 1000:.2f} ms (total {sum(ours) * 1000:.0f} ms), "
        f"telnyx SDK median {theirs_median * 1000:.2f} ms (total {sum(theirs) * 1000:.0f} ms), "
        f"ratio of totals {sum(ours) / sum(theirs):.3f}"
    )
    ratio = ours_median / theirs_median
    print(f"BENCH {name} value={ratio:.3f} target<=1.0", flush=True)


def bench_vs_sdk(sandbox) -> None:
    import telnyx

    from telnyx_admin.telnyx import profiles

    sdk = telnyx.Telnyx(api_key=sandbox.api_key, base_url=sandbox.api_url, max_retries=0)
    ids = [p.id for p in profiles.list_profiles(page_size=50)]

    def ours_retrieve(i: int) -> object:
        return profiles.retrieve_profile(profile_id=ids[i % len(ids)])

    def sdk_retrieve(i: int) -> object:
        return sdk.messaging_profiles.retrieve(ids[i % len(ids)]).data

    def ours_list(i: int) -> object:
        return profiles.list_profiles(page_number=i % 3 + 1, page_size=20).items

    def sdk_list(i: int) -> object:
        return sdk.messaging_profiles.list(page_number=i % 3 + 1, page_size=20).data

    # Warm both: connections open, code paths imported, before anything is timed.
    _side_by_side(ours_retrieve, sdk_retrieve, 20)
    _side_by_side(ours_list, sdk_list, 6)
    ours, theirs = _side_by_side(ours_retrieve, sdk_retrieve, RETRIEVES)
    _report("service_vs_sdk_retrieve", f"{RETRIEVES} retrieves", ours, theirs)
    ours, theirs = _side_by_side(ours_list, sdk_list, LIST_PAGES)
    _report("service_vs_sdk_list", f"{LIST_PAGES} list pages", ours, theirs)
    sdk.close()


def bench_export(sandbox) -> None:
    from django.conf import settings

    from telnyx_admin.telnyx import profiles
    from telnyx_admin.telnyx.pages import iterate_items

    profile_id = profiles.list_profiles(name_eq=BULK_PROFILE_NAME).items[0].id
    concurrency = int(settings.TELNYX_EXPORT_CONCURRENCY)
    first = profiles.list_profile_phone_numbers(profile_id=profile_id, page_size=EXPORT_PAGE_SIZE)
    pages, total = first.total_pages, first.total_results

    def sequential() -> int:
        def fetch(number: int):
            return profiles.list_profile_phone_numbers(
                profile_id=profile_id, page_number=number, page_size=EXPORT_PAGE_SIZE
            )

        return sum(1 for _ in iterate_items(fetch))

    def concurrent() -> int:
        export = profiles.export_profile_phone_numbers(
            profile_id=profile_id, page_size=EXPORT_PAGE_SIZE, concurrency=concurrency
        )
        return sum(1 for _ in export)

    def timed(run: Callable[[], int]) -> float:
        started = time.perf_counter()
        count = run()
        elapsed = time.perf_counter() - started
        assert count == total, f"exported {count} of {total}"
        return elapsed

    concurrent()  # warm the pool's connections before the latency is switched on
    sandbox.set_faults(latency_ms=LATENCY_MS)
    try:
        concurrent_s = min(timed(concurrent) for _ in range(EXPORT_RUNS))
        sequential_s = timed(sequential)
    finally:
        sandbox.clear_faults()
    # Unloaded service time: the same export with no injected latency shows what the sandbox itself costs.
    no_latency_s = min(timed(concurrent) for _ in range(EXPORT_RUNS))
    ideal = math.ceil(pages / concurrency) * LATENCY_MS / 1000
    print(
        f"export {total} numbers ({pages} pages of {EXPORT_PAGE_SIZE}, {LATENCY_MS} ms latency, "
        f"concurrency {concurrency}): {concurrent_s * 1000:.0f} ms (best of {EXPORT_RUNS}); "
        f"ideal {ideal * 1000:.0f} ms; sequential baseline {sequential_s * 1000:.0f} ms "
        f"({sequential_s / ideal:.2f}x ideal, {sequential_s / concurrent_s:.1f}x slower than concurrent); "
        f"same export without injected latency {no_latency_s * 1000:.0f} ms"
    )
    print(f"BENCH export_vs_ideal value={concurrent_s / ideal:.3f} target<=1.5", flush=True)


def main() -> None:
    from devservers.sandbox_process import SandboxProcess

    with SandboxProcess() as sandbox:
        _configure(sandbox)
        bench_vs_sdk(sandbox)
        bench_export(sandbox)
