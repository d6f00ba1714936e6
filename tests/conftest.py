"""Shared pytest configuration. Fixtures live in tests/fixtures/, one module per concern."""

import os

os.environ.setdefault("TESTING", "1")
# The shared Telnyx request budget stays on (its code runs in every call) but never slows a test;
# tests of the budget itself set their own rate.
os.environ.setdefault("TELNYX_RATE_LIMIT", "1000")

pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.telnyx",
    "tests.fixtures.users",
    "tests.fixtures.browser",
    "tests.fixtures.production",
    "tests.fixtures.short_codes",
    "tests.fixtures.profile_writes",
    "tests.fixtures.dependencies",
    "tests.fixtures.jobs",
    "tests.fixtures.workers",
    "tests.fixtures.number_index",
]
