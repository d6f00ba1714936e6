"""A short fault soak in the suite: `make soak` runs the same code for longer (loadtests/soak.py).

Staff sessions (support, account manager, auditor) work through the dashboard under gunicorn while
the sandbox cycles through 5xx, 429 bursts, dropped connections and latency; afterwards every check
of the soak must hold (no 500, saved means saved, failed means unchanged, no duplicate create, one
audit entry per attempted write with the outcome staff saw, no API key anywhere).
"""

from __future__ import annotations

import pytest

from loadtests.site import running_site
from loadtests.soak import FAULT_PHASES, Ledger, Write, run_soak, verify
from loadtests.staff import Traffic

pytestmark = pytest.mark.slow

DURATION = 24.0


@pytest.fixture(scope="module")
def soaked():
    # "inherit": SQLite on the default leg, a throwaway PostgreSQL database + Redis on the other.
    with running_site(threads=8, database="inherit") as site:
        yield site, run_soak(site, duration=DURATION, support=2, managers=1, auditors=1, phase_seconds=3.0)


@pytest.fixture(scope="module")
def report(soaked):
    return soaked[1]


def test_the_soak_finds_no_violation(report):
    print(report.summary())
    assert report.violations == []
    assert report.statuses.get(500, 0) == 0


def test_the_soak_really_ran_under_faults(report):
    # Guards against a soak that proves nothing: staff did work, faults struck, and staff saw them.
    assert report.requests > 100
    assert {name for name, _ in FAULT_PHASES[:6]} <= set(report.phases)
    assert report.sandbox_faults["error"] > 0
    assert report.sandbox_faults["rate_limit"] > 0
    assert report.sandbox_faults["drop"] > 0
    assert report.statuses.get(503, 0) + report.statuses.get(429, 0) > 0
    assert report.outcomes["saved"] > 5
    assert report.outcomes["failed"] > 0
    assert {"create", "edit", "spend_limit"} <= set(report.writes)
    assert report.audit_entries >= report.outcomes["saved"]


def test_the_checks_catch_a_lie(soaked):
    """The checks can fail: writes staff were told about that the sandbox and audit log do not show."""
    site, _ = soaked
    profile_id = site.sandbox.get("/messaging_profiles").json()["data"][0]["id"]
    lies = Ledger(
        writes=[
            Write("create", "support", "", "soak-lie-1", 302, "saved", label="Never created anywhere"),
            Write("edit", "support", profile_id, "soak-lie-2", 302, "saved", wanted={"webhook_url": "x"}),
        ]
    )

    violations = verify(site, lies, Traffic(), initial_codes={})

    assert any("Never created anywhere" in v and "found 0, expected 1" in v for v in violations)
    assert any(profile_id in v and "webhook_url" in v for v in violations)
    assert any("soak-lie-2" in v and "expected success" in v for v in violations)
    # Every entry the real soak caused is now "nobody's", since this ledger does not know them.
    assert any("audit entry nobody caused" in v for v in violations)
