"""The environment a server or command started for a test, benchmark or load run inherits.

The caller's environment, less what belongs to the calling process alone: DJANGO_ALLOW_ASYNC_UNSAFE,
which the browser tests set for their own process (Playwright's event loop) and which must never
switch a safety check off in a server, and pytest's name for the test in progress.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
_OWN = (ASYNC_UNSAFE, "PYTEST_CURRENT_TEST")


def inherited(*, without: Iterable[str] = (), without_prefixes: tuple[str, ...] = ()) -> dict[str, str]:
    """os.environ less the calling process's own variables, those in `without`, and those starting
    with one of `without_prefixes`."""
    dropped = {*_OWN, *without}
    return {
        key: value
        for key, value in os.environ.items()
        if key not in dropped and not (without_prefixes and key.startswith(without_prefixes))
    }
