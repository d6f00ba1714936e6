"""Fixtures for the write-path tests: a proxy that loses answers, and writes of every type.

lossy            a FaultProxy in front of the session's sandbox, with the dashboard pointed at it
write_cases      WRITES: one WriteCase per kind of write, each made through its real page
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from devservers.fault_proxy import FaultProxy


@pytest.fixture
def lossy(fresh_sandbox: Any, settings: Any) -> Iterator[FaultProxy]:
    with FaultProxy(fresh_sandbox.base_url) as proxy:
        settings.TELNYX_API_BASE_URL = proxy.api_url
        settings.TELNYX_API_KEY = fresh_sandbox.api_key
        yield proxy


@pytest.fixture(autouse=True)
def _fresh_directory() -> Iterator[None]:
    from profiles import directory

    directory.invalidate()
    yield
    directory.invalidate()
