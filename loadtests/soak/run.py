"""One soak run: objects to work on, the staff sessions, the faults, then reconciling and checking."""

from __future__ import annotations

import argparse
import json
import secrets
import time
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from devservers.dashboard import manage
from loadtests.site import USERNAMES, Site, running_site
from loadtests.soak.checks import sandbox_get, verify
from loadtests.soak.database import Terminator, is_postgres
from loadtests.soak.faults import FAULT_PHASES, FaultCycle
from loadtests.soak.ledger import Ledger
from loadtests.soak.report import SoakReport, Terminations
from loadtests.soak.workers import AccountManagerWorker, AuditorWorker, SupportWorker, Worker
from loadtests.staff import StaffSession, Traffic

# The dashboard's settings for the soak: a short read timeout, so that an answer stalled past it
# costs a few seconds, not ten.
READ_TIMEOUT_SECONDS = 2.0
SOAK_ENV = {"TELNYX_READ_TIMEOUT": str(READ_TIMEOUT_SECONDS)}
STALL_SECONDS = READ_TIMEOUT_SECONDS + 1.0


_MANAGER_FIELDS = ("daily_spend_limit", "daily_spend_limit_enabled", "webhook_url")


@dataclass
class Setup:
    """What the sessions work on, made before the faults start (straight at the sandbox)."""

    manager_profiles: list[list[str]]
    short_codes: list[list[str]]
    bind_targets: list[str]
    # Attributes of the objects the soak did not create, by key (see loadtests.soak.truth).
    initial: dict[str, dict[str, Any]]


def setup_objects(site: Site, *, support: int, managers: int, run: str) -> Setup:
    """Profiles for account managers; four short codes for each support session."""
    initial: dict[str, dict[str, Any]] = {}
    manager_profiles = []
    for index in range(managers * 3):
        answer = site.sandbox.post(
            "/messaging_profiles",
            json={"name": f"Soak {run} spend {index}", "whitelisted_destinations": ["US"]},
        )
        answer.raise_for_status()
        profile = answer.json()["data"]
        manager_profiles.append(profile["id"])
        initial[f"profile:{profile['id']}"] = {name: profile.get(name) for name in _MANAGER_FIELDS}
    codes = sandbox_get(site, "/short_codes", **{"page[size]": 250}).json()["data"]
    short_codes = [[c["id"] for c in codes[i::support]][:4] for i in range(support)]
    for code in codes:
        if any(code["id"] in own for own in short_codes):
            initial[f"short_code:{code['id']}"] = {
                "messaging_profile_id": code["messaging_profile_id"],
                "tags": code["tags"],
            }
    profiles = sandbox_get(site, "/messaging_profiles", **{"page[size]": 20}).json()["data"]
    return Setup(
        manager_profiles=[manager_profiles[i::managers] for i in range(managers)],
        short_codes=short_codes,
        bind_targets=[p["id"] for p in profiles if p.get("whitelisted_destinations")][:8],
        initial=initial,
    )


def _workers(
    site: Site,
    setup: Setup,
    *,
    support: int,
    managers: int,
    auditors: int,
    deadline: float,
    seed: int,
    run: str,
    ledger: Ledger,
    traffic: Traffic,
) -> list[Worker]:
    def common(role: str, name: str, offset: int) -> dict[str, Any]:
        session = StaffSession(
            base_url=site.url, username=USERNAMES[role], password=site.password, traffic=traffic
        )
        return {
            "name": name,
            "session": session,
            "ledger": ledger,
            "deadline": deadline,
            "seed": seed + offset,
        }

    workers: list[Worker] = [
        SupportWorker(
            **common("support", f"support-{i}", 100 + i),
            short_codes=setup.short_codes[i],
            bind_targets=setup.bind_targets,
            run=run,
        )
        for i in range(support)
    ]
    workers += [
        AccountManagerWorker(
            **common("account_manager", f"accounts-{i}", 200 + i), profiles=setup.manager_profiles[i]
        )
        for i in range(managers)
    ]
    workers += [AuditorWorker(**common("auditor", f"auditor-{i}", 300 + i)) for i in range(auditors)]
    return workers


def reconcile_writes(site: Site) -> str:
    """`manage.py reconcile_writes` on the dashboard's database, every open write settled by now."""
    result = manage({**site.env, "WRITE_SETTLE_SECONDS": "0"}, "reconcile_writes")
    return result.stdout.strip()


def run_soak(
    site: Site,
    *,
    duration: float = 90.0,
    support: int = 3,
    managers: int = 1,
    auditors: int = 1,
    phase_seconds: float | None = None,
    seed: int = 7,
) -> SoakReport:
    """Needs a site started `lossy` (a proxy in front of the sandbox) with SOAK_ENV."""
    run = secrets.token_hex(3)
    setup = setup_objects(site, support=support, managers=managers, run=run)
    site.sandbox.clear_stats()
    traffic = Traffic(secrets=(site.api_key,))
    ledger = Ledger()
    started = time.monotonic()
    workers = _workers(
        site,
        setup,
        support=support,
        managers=managers,
        auditors=auditors,
        deadline=started + duration,
        seed=seed * 1000,
        run=run,
        ledger=ledger,
        traffic=traffic,
    )
    database_url = site.env.get("DATABASE_URL", "")
    terminator = Terminator(database_url) if is_postgres(database_url) else None
    faults = FaultCycle(
        site,
        phase_seconds=phase_seconds or max(2.0, duration / len(FAULT_PHASES)),
        stall_seconds=STALL_SECONDS,
        terminator=terminator,
    )
    try:
        faults.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.ready.wait(timeout=60)
        if terminator is not None:
            terminator.start()
        for worker in workers:
            # A request gives up on Telnyx after the retry budget; allow for a few of them in flight.
            worker.join(timeout=duration + 60)
            if worker.is_alive():
                ledger.finding(f"{worker.name} still running long after the deadline")
    finally:
        faults.stop()
        if terminator is not None:
            terminator.close()
    elapsed = time.monotonic() - started
    sandbox_faults = site.sandbox.stats()["faults"]
    extra: list[str] = []
    try:
        reconciled = reconcile_writes(site)
    except AssertionError as exc:
        reconciled, extra = "failed", [f"reconcile_writes failed: {exc}"]
    if terminator is not None:
        extra += [f"terminating connections failed: {error}" for error in terminator.errors]
    checked = verify(site, ledger, traffic, initial=setup.initial, database_faults=terminator is not None)
    assert site.proxy is not None
    lost = [f for f in site.proxy.writes if f.lost]
    return SoakReport(
        duration=elapsed,
        database=site.database,
        phases=faults.phases_run,
        requests=len(traffic.exchanges),
        statuses=dict(traffic.statuses),
        browse_ok=ledger.browse_ok,
        browse_failed=ledger.browse_failed,
        writes=Counter(w.kind for w in ledger.writes),
        told=Counter(w.told for w in ledger.writes),
        checked=checked,
        sandbox_faults=sandbox_faults,
        answers_lost=len(lost),
        answers_stalled=sum(1 for f in lost if f.stalled),
        reads_lost=sum(n for route, n in site.proxy.lost.items() if route.startswith("GET ")),
        terminations=(
            Terminations(terminator.rounds, terminator.mid_write, terminator.terminated)
            if terminator is not None
            else None
        ),
        saved_after_read_back=sum(1 for w in ledger.writes if w.told == "saved" and w.read_back),
        reconciled=reconciled,
        exports_cut_off=len(ledger.cut_off),
        extra_violations=extra,
    )


def main(argv: list[str] | None = None) -> int:
    from loadtests.soak import __doc__ as doc

    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=90.0, help="seconds of staff activity (default 90)")
    parser.add_argument("--support", type=int, default=3, help="support staff sessions")
    parser.add_argument("--managers", type=int, default=1, help="account manager sessions")
    parser.add_argument("--auditors", type=int, default=1, help="auditor sessions")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads (one worker)")
    parser.add_argument(
        "--database", choices=["auto", "postgres", "sqlite"], default="auto",
        help="auto: PostgreSQL + Redis if reachable, else SQLite",
    )  # fmt: skip
    parser.add_argument("--json", help="also write the report here as JSON")
    args = parser.parse_args(argv)
    with running_site(threads=args.threads, database=args.database, lossy=True, extra_env=SOAK_ENV) as site:
        print(f"dashboard {site.url} ({site.database}), sandbox {site.sandbox.base_url}", flush=True)
        report = run_soak(
            site, duration=args.duration, support=args.support, managers=args.managers, auditors=args.auditors
        )
    print(report.summary())
    if args.json:
        with open(args.json, "w") as out:
            summary = {**asdict(report), "violations": report.violations, "final_line": report.final_line()}
            json.dump(summary, out)
    return 0 if report.ok else 1
