"""The soak's report: what ran, what staff saw, and the final line that says whether it held."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from loadtests.soak.checks import Checked


@dataclass
class Terminations:
    """PostgreSQL connections ended under the dashboard; None in a report means SQLite (skipped)."""

    rounds: int
    mid_write: int
    connections: int


@dataclass
class SoakReport:
    duration: float
    database: str
    phases: list[str]
    requests: int
    statuses: dict[int, int]
    browse_ok: int
    browse_failed: int
    writes: Counter[str]
    told: Counter[str]
    checked: Checked
    sandbox_faults: dict[str, int]
    answers_lost: int  # write answers the proxy dropped after the sandbox answered
    answers_stalled: int  # ... of which held past the dashboard's read timeout first
    reads_lost: int
    terminations: Terminations | None
    saved_after_read_back: int = 0  # saves shown as saved after their answer was lost and read back
    reconciled: str = ""
    exports_cut_off: int = 0  # streamed CSV exports broken off by a database termination
    extra_violations: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[str]:
        return [*self.extra_violations, *self.checked.violations]

    @property
    def ok(self) -> bool:
        return not self.violations

    def final_line(self) -> str:
        checked = self.checked
        if self.terminations is None:
            database = "database terminations skipped (SQLite)"
        else:
            t = self.terminations
            database = (
                f"database terminations {t.rounds} ({t.mid_write} mid-write, {t.connections} connections)"
            )
        verdict = "OK" if self.ok else f"FAIL ({len(self.violations)} violations)"
        return (
            f"soak: writes attempted {checked.attempted}, applied at Telnyx {checked.applied}, "
            f"audited {checked.audited} (success for {checked.applied_and_success} of the applied), "
            f"duplicated {checked.duplicated}, unresolved {checked.unresolved}; "
            f"answers lost {self.answers_lost} ({self.answers_stalled} stalled), read-backs lost "
            f"{self.reads_lost}, {database}, 500s {self.statuses.get(500, 0)} ... {verdict}"
        )

    def summary(self) -> str:
        """The details, then the final line."""
        lines = [
            f"soak: {self.duration:.0f} s against {self.database}; fault phases: {', '.join(self.phases)}",
            f"  dashboard requests: {self.requests}  statuses: "
            + ", ".join(f"{status}={count}" for status, count in sorted(self.statuses.items())),
            f"  pages: {self.browse_ok} shown, {self.browse_failed} with the Telnyx banner or 404",
            "  writes: "
            + ", ".join(f"{kind}={count}" for kind, count in sorted(self.writes.items()))
            + f"  (total {sum(self.writes.values())})",
            "  staff were told: "
            + ", ".join(f"{told}={n}" for told, n in sorted(self.told.items()))
            + f"  (saved after a read-back: {self.saved_after_read_back})",
            f"  audit entries: {self.checked.audited}  (undecidable {self.checked.undecidable})",
            f"  reconcile_writes: {self.reconciled or '-'}",
            f"  CSV exports broken off by a database termination: {self.exports_cut_off}",
            "  sandbox faults injected: "
            + ", ".join(f"{kind}={count}" for kind, count in self.sandbox_faults.items()),
            f"  violations: {len(self.violations)}",
        ]
        lines += [f"    - {violation}" for violation in self.violations[:50]]
        lines.append(self.final_line())
        return "\n".join(lines)
