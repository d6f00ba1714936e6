"""A short fault soak in the suite: `make soak` runs the same code for longer (loadtests/soak/).

Staff sessions (support, account manager, auditor) work through the dashboard under gunicorn while
the sandbox cycles through 5xx, 429 bursts, dropped connections and latency, a proxy in front of it
loses the answers of writes the sandbox applied (and sometimes the read-backs after them), and on the
PostgreSQL leg the dashboard's database connections are ended under it. Afterwards every check of the
soak must hold: no 500, no create or change applied twice, every write applied at Telnyx audited
`success` and every `success` applied, nothing left unknown after reconcile_writes, saved means saved.
"""

from __future__ import annotations

import pytest

from loadtests.site import running_site
from loadtests.soak import FAULT_PHASES, SOAK_ENV, Ledger, Write, run_soak, verify
from loadtests.soak.checks import Evidence, count_duplicates
from loadtests.soak.truth import Applied, History, attribute
from loadtests.staff import Traffic

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

PHASE_SECONDS = 2.7
DURATION = PHASE_SECONDS * len(FAULT_PHASES)


@pytest.fixture(scope="module")
def soaked(collected_static):
    # "inherit": SQLite on the default leg, a throwaway PostgreSQL database + Redis on the other.
    with running_site(
        threads=8, database="inherit", lossy=True, extra_env=SOAK_ENV, static_root=collected_static
    ) as site:
        soak = {"duration": DURATION, "phase_seconds": PHASE_SECONDS}
        yield site, run_soak(site, support=2, managers=1, auditors=1, **soak)


@pytest.fixture(scope="module")
def report(soaked):
    return soaked[1]


def test_the_soak_finds_no_violation(report):
    print(report.summary())
    assert report.violations == []
    assert report.statuses.get(500, 0) == 0
    assert report.checked.duplicated == 0
    assert report.checked.unresolved == 0
    assert report.checked.applied_and_success == report.checked.applied
    assert report.final_line().endswith("... OK")


def test_the_soak_really_ran_under_faults(soaked, report):
    # Guards against a soak that proves nothing: staff did work, faults struck, and staff saw them.
    site, _ = soaked
    assert report.requests > 100
    assert {phase.name for phase in FAULT_PHASES} <= set(report.phases)
    assert report.sandbox_faults["error"] > 0
    assert report.sandbox_faults["rate_limit"] > 0
    assert report.sandbox_faults["drop"] > 0
    assert report.statuses.get(503, 0) + report.statuses.get(429, 0) > 0
    assert report.told["saved"] > 5
    assert report.told["failed"] + report.told["not_applied"] > 0
    assert {"create", "edit", "spend_limit"} <= set(report.writes)
    # Answers of applied writes were lost, dropped and stalled, and read-backs with them.
    assert any(f.lost and f.applied for f in site.proxy.writes)
    assert report.answers_stalled > 0
    assert report.reads_lost > 0
    assert report.saved_after_read_back > 0
    assert report.checked.applied > 5
    assert report.checked.audited >= report.checked.applied
    if report.terminations is None:
        assert "database terminations skipped (SQLite)" in report.final_line()
    else:
        assert report.terminations.rounds > 0
        assert report.terminations.mid_write > 0
        assert report.terminations.connections > 0


def test_the_checks_catch_a_lie(soaked):
    """The checks can fail: writes staff were told about that the sandbox and audit log do not show,
    and a write Telnyx applied that staff were told had failed."""
    site, _ = soaked
    profile_id = site.sandbox.get("/messaging_profiles").json()["data"][0]["id"]
    applied = next(f for f in site.proxy.writes if f.applied and "/short_codes/" in f.path)
    code_id = applied.path.rsplit("/", 1)[1]
    lies = Ledger(
        writes=[
            Write("create", "support", "", "soak-lie-1", 302, "saved", label="Never created anywhere"),
            Write("edit", "support", profile_id, "soak-lie-2", 302, "saved", wanted={"webhook_url": "x"}),
            Write("tags", "support", code_id, "soak-lie-3", 200, "failed", started=applied.at - 0.001),
        ]
    )

    violations = verify(site, lies, Traffic(), initial={}).violations

    assert any("soak-lie-1" in v and "Telnyx applied nothing" in v for v in violations)
    assert any("soak-lie-2" in v and "Telnyx applied nothing" in v for v in violations)
    assert any("soak-lie-3" in v and "staff were told failed" in v for v in violations)
    assert any("soak-lie-3" in v and "audit entry None" in v for v in violations)
    # Every entry the real soak caused is now "nobody's", since this ledger does not know them.
    assert any("audit entry nobody caused" in v for v in violations)


def test_the_duplicate_count_catches_a_second_copy_and_a_change_applied_twice():
    create = Write("create", "support", "", "soak-dup-1", 302, "saved", label="Twice", started=1.0)
    edit = Write("edit", "support", "p1", "soak-dup-2", 302, "saved", started=3.0)
    applied = [
        Applied(1.1, "create:Twice", "p1", "POST", {"name": "Twice"}, lost=True),
        Applied(1.5, "create:Twice", "p2", "POST", {"name": "Twice"}, lost=False),
        Applied(3.1, "profile:p1", "p1", "PATCH", {"webhook_url": "https://a"}, lost=True),
        Applied(3.2, "profile:p1", "p1", "PATCH", {"webhook_url": "https://a"}, lost=False),
    ]
    evidence = Evidence(
        writes=[create, edit],
        applied=applied,
        attribution=attribute([create, edit], applied),
        history=History.of(applied, {}),
        rows=[],
        entries={},
        sent=set(),
    )

    count, found = count_duplicates(evidence)

    # One extra profile; one edit applied twice, which is also the same change twice in a row.
    assert count == 3
    assert any("'Twice' created 2 times" in text for text in found)
    assert any("soak-dup-2" in text and "applied 2 times" in text for text in found)
    assert any("the same change applied twice in a row" in text for text in found)
