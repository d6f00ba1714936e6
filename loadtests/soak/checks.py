"""After the run, with faults off and `reconcile_writes` done: what staff were told, what Telnyx (the
sandbox) really applied, and what the audit log says, checked against each other.

`verify()` gathers the evidence once and runs one small check per concern; each returns the
violations it found (and the figures it counts).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import requests

from loadtests.site import USERNAMES, Site
from loadtests.soak.ledger import ACTIONS, NOTHING_CHANGED, Ledger, Write
from loadtests.soak.truth import DELETED, Applied, Attribution, History, applied_writes, attribute, same
from loadtests.staff import StaffSession, Traffic

WRITE_METHODS = ("POST", "PATCH", "DELETE")
# Attributes whose value at the sandbox is compared with the last write that set them.
TRACKED = ("webhook_url", "daily_spend_limit", "daily_spend_limit_enabled", "messaging_profile_id", "tags")


@dataclass
class Evidence:
    writes: list[Write]
    applied: list[Applied]
    attribution: Attribution
    history: History
    rows: list[dict[str, str]]  # the audit log as an auditor exports it
    entries: dict[str, list[dict[str, str]]]  # ... by request id
    sent: set[str]  # request ids for which the dashboard logged a write call to Telnyx


@dataclass
class Checked:
    violations: list[str] = field(default_factory=list)
    attempted: int = 0
    applied: int = 0
    audited: int = 0
    applied_and_success: int = 0  # applied writes whose submission's entry says success
    duplicated: int = 0
    unresolved: int = 0
    undecidable: int = 0


def verify(
    site: Site,
    ledger: Ledger,
    traffic: Traffic,
    *,
    initial: dict[str, dict[str, Any]],
    database_faults: bool = False,
) -> Checked:
    """`initial`: attributes of objects the soak did not create, by key (short_code:<id>, profile:<id>).
    `database_faults`: the dashboard's database connections were ended during the run."""
    evidence = gather(site, ledger, initial=initial)
    checked = Checked(
        attempted=len(evidence.writes),
        applied=len(evidence.applied),
        audited=sum(len(evidence.entries.get(w.request_id, [])) for w in evidence.writes),
    )
    checked.applied_and_success = count_applied_and_success(evidence)
    checked.duplicated, duplicates = count_duplicates(evidence)
    checked.unresolved, checked.undecidable, unresolved = count_unresolved(evidence.rows)
    checked.violations = [
        *ledger.findings,
        *answers(traffic, streams_may_break=database_faults),
        *([] if database_faults else [f"answer cut off: {text}" for text in ledger.cut_off]),
        *secrets_kept(site, traffic),
        *told_against_telnyx(evidence),
        *duplicates,
        *applied_means_audited_success(evidence),
        *audit_matches_what_staff_were_told(evidence),
        *nobody_caused(evidence),
        *unresolved,
        *sandbox_holds_the_last_writes(site, evidence.history),
        *creates_exist_once(site, evidence),
    ]
    return checked


# --- evidence --------------------------------------------------------------------------------------


def gather(site: Site, ledger: Ledger, *, initial: dict[str, dict[str, Any]]) -> Evidence:
    assert site.proxy is not None
    applied = applied_writes(site.proxy.writes)
    rows = audit_rows(site)
    entries: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        entries[row["request_id"]].append(row)
    return Evidence(
        writes=list(ledger.writes),
        applied=applied,
        attribution=attribute(ledger.writes, applied),
        history=History.of(applied, initial),
        rows=rows,
        entries=entries,
        sent=write_calls_logged(site),
    )


def audit_rows(site: Site) -> list[dict[str, str]]:
    """The audit log as an auditor exports it (CSV), faults off."""
    auditor = StaffSession(
        base_url=site.url, username=USERNAMES["auditor"], password=site.password, traffic=Traffic()
    )
    try:
        auditor.sign_in()
        export = auditor.get("/audit/?format=csv")
    finally:
        auditor.close()
    if export.status_code != 200:
        raise AssertionError(f"audit CSV export answered {export.status_code}")
    return list(csv.DictReader(io.StringIO(export.text)))


def write_calls_logged(site: Site) -> set[str]:
    """Request ids for which the dashboard logged a write call to Telnyx (one JSON line per call)."""
    return {
        entry["request_id"]
        for entry in site.dashboard.json_lines()
        if entry.get("telnyx_method") in WRITE_METHODS and entry.get("request_id")
    }


def sandbox_get(site: Site, path: str, **params: Any) -> requests.Response:
    return requests.get(
        f"{site.sandbox.api_url}{path}", headers=site.sandbox.headers, params=params, timeout=30
    )


# --- the dashboard's own answers ---------------------------------------------------------------------


def answers(traffic: Traffic, *, streams_may_break: bool = False) -> list[str]:
    """No 500 (nor any 5xx but the designed 503 banner), and the dashboard always answered.

    `streams_may_break`: a streamed CSV export whose database connection is ended mid-way can only
    break off (its status line has gone out); the download then fails visibly, which is allowed."""
    return [
        f"dashboard answered {e.status or 'nothing'} to {e.method} {e.path} ({e.request_id})"
        for e in traffic.server_errors()
        if not (streams_may_break and e.cut_off and "format=csv" in e.path)
    ]


def secrets_kept(site: Site, traffic: Traffic) -> list[str]:
    """The Telnyx API key in no response (body or header) and no log line."""
    found = [f"API key in a response: {leak}" for leak in traffic.leaks]
    found += [
        f"API key in dashboard log line {number}"
        for number, line in enumerate(site.dashboard.log_lines(), 1)
        if site.api_key in line
    ]
    return found


# --- staff were told the truth -----------------------------------------------------------------------


def _already_held(write: Write, history: History) -> bool:
    """Whether the object held every wanted value when the submission started (nothing to send)."""
    if not write.wanted or write.kind in ("create", "delete"):
        return False
    for name, value in write.wanted.items():
        known, held = history.value_at(write.key, name, write.started)
        if not known or not same(held, value):
            return False
    return True


def told_against_telnyx(evidence: Evidence) -> list[str]:
    """Saved means applied (or already held); "nothing changed" means nothing was applied."""
    found = []
    for write in evidence.writes:
        applied = evidence.attribution.of(write)
        if write.told == "saved" and not applied and not _already_held(write, evidence.history):
            found.append(f"{write.where}: shown as saved, but Telnyx applied nothing and did not hold it")
        elif write.told == "unchanged" and (applied or not _already_held(write, evidence.history)):
            found.append(f"{write.where}: shown 'No changes', but the object did not hold the values")
        elif write.told in NOTHING_CHANGED and applied:
            found.append(f"{write.where}: Telnyx applied it, but staff were told {write.told}")
        if write.told == "duplicate" and not write.pending:
            found += _duplicate_panel_points_at_the_profile(write, evidence.applied)
    return found


def _duplicate_panel_points_at_the_profile(write: Write, applied: list[Applied]) -> list[str]:
    made = [a.object_id for a in applied if a.key == write.key and a.at < write.started]
    if write.object_id not in made:
        return [f"{write.where}: the duplicate panel links {write.object_id!r}; the name made {made}"]
    return []


# --- duplicates --------------------------------------------------------------------------------------


def count_duplicates(evidence: Evidence) -> tuple[int, list[str]]:
    """Creates that exist more than once, and writes applied twice (by one submission, or the same
    change again on an object that already held it)."""
    count, found = 0, []
    creates = Counter(a.key for a in evidence.applied if a.key.startswith("create:"))
    for key, times in creates.items():
        if times > 1:
            count += times - 1
            found.append(f"{key.removeprefix('create:')!r} created {times} times at Telnyx")
    for write in evidence.writes:
        applied = evidence.attribution.of(write)
        if write.kind != "create" and len(applied) > 1:
            count += len(applied) - 1
            found.append(f"{write.where}: applied {len(applied)} times at Telnyx")
    for key, changes in evidence.history.changes.items():
        for before, after in itertools.pairwise(changes):
            if after.method == "PATCH" and after.values == before.values:
                count += 1
                found.append(f"{key}: the same change applied twice in a row ({after.values})")
    return count, found


# --- the audit log -------------------------------------------------------------------------------------


def _entry(write: Write, evidence: Evidence) -> tuple[dict[str, str] | None, list[str]]:
    entries = evidence.entries.get(write.request_id, [])
    if len(entries) > 1:
        return entries[0], [f"{write.where}: {len(entries)} audit entries"]
    return (entries[0] if entries else None), []


def count_applied_and_success(evidence: Evidence) -> int:
    count = 0
    for write in evidence.writes:
        entry, _ = _entry(write, evidence)
        if entry is not None and entry["outcome"] == "success":
            count += len(evidence.attribution.of(write))
    return count


def applied_means_audited_success(evidence: Evidence) -> list[str]:
    """Every write applied at Telnyx has its entry, `success`, for the right action and object; every
    `success` entry was really applied; every write sent to Telnyx has an entry."""
    found = []
    for write in evidence.writes:
        entry, problems = _entry(write, evidence)
        found += problems
        applied = evidence.attribution.of(write)
        outcome = entry["outcome"] if entry else None
        if applied:
            object_id = applied[0].object_id if write.kind == "create" else write.object_id
            if outcome != "success":
                found.append(f"{write.where}: applied at Telnyx, audit entry {outcome!r}")
            elif entry and (entry["action"] != ACTIONS[write.kind] or entry["object_id"] != object_id):
                found.append(f"{write.where}: audit entry {entry['action']} {entry['object_id']}")
        elif outcome == "success":
            found.append(f"{write.where}: audit says success, Telnyx applied nothing")
        if write.request_id in evidence.sent and entry is None:
            found.append(f"{write.where}: the write reached Telnyx but has no audit entry")
    return found


_OUTCOME_TOLD = {
    "saved": "success",
    "unchanged": "success",
    "failed": "failure",
    "not_applied": "failure",
    "conflict": "failure",
}


def audit_matches_what_staff_were_told(evidence: Evidence) -> list[str]:
    """A refusal that was recorded is a failure; a save shown as saved is a success (or nothing was
    sent because nothing differed)."""
    found = []
    for write in evidence.writes:
        entry, _ = _entry(write, evidence)
        if entry is None:
            continue
        expected = _OUTCOME_TOLD.get(write.told)
        if expected is not None and entry["outcome"] != expected:
            found.append(f"{write.where}: audit entry says {entry['outcome']}, expected {expected}")
    return found


def nobody_caused(evidence: Evidence) -> list[str]:
    """No audit entry and no applied write that no submission accounts for."""
    ids = {w.request_id for w in evidence.writes}
    found = [
        f"audit entry nobody caused: {row['action']} {row['request_id']}"
        for row in evidence.rows
        if row["request_id"] not in ids
    ]
    found += [
        f"applied at Telnyx with no submission in progress: {change.method} {change.key}"
        for change in evidence.attribution.strays
    ]
    return found


def count_unresolved(rows: list[dict[str, str]]) -> tuple[int, int, list[str]]:
    """Entries still `unknown` after reconcile_writes: undecidable ones are recorded as such; any other
    means reconciling failed."""
    unknown = [row for row in rows if row["outcome"] == "unknown"]
    undecidable = [row for row in unknown if row["resolution"] == "undecidable"]
    open_rows = [row for row in unknown if row["resolution"] != "undecidable"]
    found = [
        f"audit entry still unknown after reconcile_writes: {row['action']} {row['request_id']}"
        for row in open_rows
    ]
    return len(open_rows), len(undecidable), found


# --- the sandbox's own state ---------------------------------------------------------------------------


def sandbox_holds_the_last_writes(site: Site, history: History) -> list[str]:
    """Each written object holds what the last applied write set (or is gone after a delete)."""
    found = []
    for key in sorted(history.keys()):
        kind, _, object_id = key.partition(":")
        path = f"/messaging_profiles/{object_id}" if kind == "profile" else f"/short_codes/{object_id}"
        expected = history.last_values(key)
        answer = sandbox_get(site, path)
        if expected.get(DELETED):
            if answer.status_code != 404:
                found.append(f"{key}: deleted at Telnyx, but answers {answer.status_code}")
            continue
        if answer.status_code != 200:
            found.append(f"{key}: written, but answers {answer.status_code}")
            continue
        held = answer.json()["data"]
        for name in TRACKED:
            if name in expected and not same(held.get(name), expected[name]):
                found.append(f"{key}: {name} is {held.get(name)!r}, the last write set {expected[name]!r}")
    return found


def creates_exist_once(site: Site, evidence: Evidence) -> list[str]:
    """Each intended profile (a create's name) exists at most once, and where its create applied and
    no delete followed, exactly once with the id that create made."""
    deleted = {a.object_id for a in evidence.applied if a.method == "DELETE"}
    made = defaultdict(list)
    for change in evidence.applied:
        if change.key.startswith("create:"):
            made[change.key.removeprefix("create:")].append(change.object_id)
    found = []
    for name in sorted({w.label for w in evidence.writes if w.kind == "create"}):
        answer = sandbox_get(site, "/messaging_profiles", **{"filter[name][eq]": name, "page[size]": 250})
        answer.raise_for_status()
        held = [profile["id"] for profile in answer.json()["data"]]
        expected = [pid for pid in made.get(name, []) if pid not in deleted]
        if sorted(held) != sorted(expected):
            found.append(f"profile {name!r}: the sandbox holds {held}, the applied writes leave {expected}")
    return found
