"""Run every benchmark module in order: `python -m bench`. Append new modules to MODULES.

`python -m bench spend_overview bulk_update` (or `make bench BENCH="spend_overview bulk_update"`) runs
only those modules.
"""

from __future__ import annotations

import importlib
import os
import sys
import time

# Each module is imported and run in this order; a failing module is reported and the rest still run.
MODULES: tuple[str, ...] = (
    "bench.service_layer",
    "bench.short_codes",
    "bench.sandbox_pages",
    "bench.profile_pages",
    "bench.spend_overview",
    "bench.bulk_update",
    "bench.number_index",
)


def setup_django() -> None:
    """Benchmarks run the dashboard's real settings (TESTING=1 allows the missing SECRET_KEY)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telnyx_admin.settings")
    os.environ.setdefault("TESTING", "1")
    # The benchmarks measure the dashboard's own work, call against call; the shared request
    # budget's pacing would make them measure TELNYX_RATE_LIMIT instead (it has its own tests,
    # tests/integration/telnyx/test_request_budget.py). On, so its code runs, but never waiting.
    # Servers the benchmarks start inherit it.
    os.environ.setdefault("TELNYX_RATE_LIMIT", "100000")
    import django

    django.setup()


def main(selected: list[str]) -> int:
    setup_django()
    wanted = {name if name.startswith("bench.") else f"bench.{name}" for name in selected}
    unknown = wanted - set(MODULES)
    if unknown:
        print(f"no such benchmark: {', '.join(sorted(unknown))}; choose from {', '.join(MODULES)}")
        return 2
    failed = []
    for name in MODULES:
        if wanted and name not in wanted:
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(name).main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed.append(name)
            print(f"!! {name} failed: {type(exc).__name__}: {exc}", flush=True)
        print(f"== {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
