"""Shared pytest configuration. Fixtures live in tests/fixtures/, one module per concern."""

import os

import pytest

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


@pytest.fixture(autouse=True)
def _default_language() -> None:
    # Each test starts in the site's default language. LocaleMiddleware activates a request's language
    # in the serving thread and leaves it there, so after a test client request in Chinese the next
    # test on this worker would read form errors and messages in Chinese.
    from django.utils import translation

    translation.deactivate()
