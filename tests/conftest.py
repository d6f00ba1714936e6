"""Shared pytest configuration. Fixtures live in tests/fixtures/, one module per concern."""

import os

os.environ.setdefault("TESTING", "1")

pytest_plugins = [
    "tests.fixtures.sandbox",
    "tests.fixtures.telnyx",
    "tests.fixtures.users",
    "tests.fixtures.browser",
    "tests.fixtures.production",
    "tests.fixtures.short_codes",
    "tests.fixtures.profile_writes",
    "tests.fixtures.dependencies",
]
