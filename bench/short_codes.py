"""Telnyx calls per short-code list page, as the page grows.

The list shows each short code's bound profile by name. Names come from a cached directory of
profiles (profiles/directory.py), never from one call per row, so the calls a page costs must not
depend on its size. The full page is rendered through the whole Django stack (middleware included)
for page sizes 20, 50, 100 and 250, once with the directory cold and once warm; calls are read from
the response's Server-Timing header and cross-checked against the sandbox's request counter.

Value: the most calls any list page made (target <= 2: the short codes, plus the directory when it
is cold). A second line reports the warm figure (target <= 1).
"""

from __future__ import annotations

import logging
import os
import re

PAGE_SIZES = (20, 50, 100, 250)


def _quiet() -> None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process


def _calls(response) -> int:
    match = re.search(r'telnyx;dur=[0-9.]+;desc="(\d+) calls?"', response["Server-Timing"])
    if not match:
        raise RuntimeError(f"no Telnyx tally in Server-Timing: {response['Server-Timing']!r}")
    return int(match.group(1))


def bind_every_short_code(sandbox) -> int:
    """Give every short code a profile, spread over as many profiles as possible, so that every row
    of every page needs a name (a per-row lookup would cost one call per row). Returns how many
    distinct profiles the short codes are bound to."""
    profiles = sandbox.get("/messaging_profiles", params={"page[size]": 250}).json()["data"]
    codes = sandbox.get("/short_codes", params={"page[size]": 250}).json()["data"]
    for index, code in enumerate(codes):
        profile = profiles[index % len(profiles)]
        sandbox.patch(
            f"/short_codes/{code['id']}", json={"messaging_profile_id": profile["id"]}
        ).raise_for_status()
    return min(len(codes), len(profiles))


def measure(sandbox, client) -> dict[int, tuple[int, int]]:
    """{page_size: (calls with the directory cold, calls warm)}, checked against the sandbox's count."""
    from profiles import directory

    figures: dict[int, tuple[int, int]] = {}
    for size in PAGE_SIZES:
        counts = []
        for warm in (False, True):
            if not warm:
                directory.invalidate()
            sandbox.clear_stats()
            response = client.get("/short-codes/", {"page_size": size})
            if response.status_code != 200:
                raise RuntimeError(f"list page answered {response.status_code}")
            body = response.content.decode()
            rows = body.count('data-testid="short-code-row"')
            if 'data-testid="unassigned"' in body or "(unknown profile)" in body:
                raise RuntimeError("a row has no profile name")
            calls = _calls(response)
            seen = sandbox.stats()["total_requests"]
            if seen != calls:
                raise RuntimeError(f"Server-Timing says {calls} calls, the sandbox saw {seen}")
            counts.append(calls)
        figures[size] = (counts[0], counts[1])
        print(f"page_size {size:>3}: {rows:>3} rows, calls cold {counts[0]}, warm {counts[1]}", flush=True)
    return figures


def main() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases

    from devservers.sandbox_process import SandboxProcess

    _quiet()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        with SandboxProcess() as sandbox:
            settings.TELNYX_API_BASE_URL = sandbox.api_url
            settings.TELNYX_API_KEY = sandbox.api_key
            user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-pass-1")
            client = Client()
            client.force_login(user)
            distinct = bind_every_short_code(sandbox)
            print(f"every short code bound, to {distinct} distinct profiles", flush=True)
            figures = measure(sandbox, client)
    finally:
        teardown_databases(databases, verbosity=0)
    cold = max(c for c, _ in figures.values())
    warm = max(w for _, w in figures.values())
    constant = len({c for c, _ in figures.values()}) == 1 and len({w for _, w in figures.values()}) == 1
    print(f"calls per page constant across page sizes {PAGE_SIZES}: {constant}")
    print(f"BENCH short_code_list_calls_warm value={warm} target<=1", flush=True)
    print(f"BENCH short_code_list_calls value={max(cold, warm)} target<=2", flush=True)
