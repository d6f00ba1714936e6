"""The fault soak: staff sessions through the real dashboard while the sandbox misbehaves.

    python -m loadtests.soak [--duration 90] [--support 3] [--managers 1] [--auditors 1] [--database auto]

Starts a sandbox and the dashboard under gunicorn (`loadtests.site`), signs in scripted staff (support
staff create, edit, delete profiles and bind, unbind and tag short codes; account managers change
spend limits; auditors browse and export the audit log; everyone browses lists, searches, pages,
details and tabs, as full pages and as htmx partials) and, for the whole run, cycles the sandbox
through faults: 20% 5xx, 429 bursts, dropped connections, latency, a mix, and calm.

Afterwards, with faults off, it checks what staff were told against what happened:

- no dashboard answer was a 500 (or any 5xx but the designed 503 banner), and none failed to come;
- every write the dashboard reported as saved is in the sandbox (each object's last saved values),
  and every write it reported as failed left the sandbox unchanged (faults strike before the sandbox
  processes a request, so a failed write must not have happened);
- no create is duplicated: each create used a unique name, found exactly once if it was reported
  saved (and not deleted since), never if it was reported failed;
- the audit log matches: one entry per write that reached Telnyx (known from the dashboard's own
  JSON log lines, by request id), with the outcome staff were shown, none for a write that never
  left the dashboard beyond those the use case documents, and no entry nobody caused;
- the Telnyx API key is in no response body, header or log line.

Exit status 1 and the list of violations if anything fails; a summary either way.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import secrets
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

from loadtests.site import USERNAMES, Site, running_site
from loadtests.staff import DashboardDidNotAnswer, StaffSession, Traffic
from tests.fixtures.production import form_values, with_values

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_PROFILE_LINK = re.compile(rf'href="/profiles/({UUID})/"')
_SHORT_CODE_LINK = re.compile(rf'href="/short-codes/({UUID})/"')
_UPDATED_AT = re.compile(r'name="updated_at" value="([^"]*)"')
_DETAIL_LOCATION = re.compile(rf"^/profiles/({UUID})/$")

# What the sandbox does during each phase; the soak cycles through them. Rates are deterministic in
# the sandbox (every 5th request of 0.2), so a run is reproducible up to thread interleaving.
FAULT_PHASES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("20% 503", {"error_rate": 0.2, "error_status": 503, "latency_ms": 20}),
    ("429 bursts", {"rate_limit": {"limit": 12, "window_seconds": 2}, "latency_ms": 10}),
    ("20% 500", {"error_rate": 0.2, "error_status": 500, "latency_ms": 20}),
    ("dropped connections", {"drop_rate": 0.15, "latency_ms": 30}),
    ("latency 400 ms", {"latency_ms": 400}),
    ("20% 502 + drops + 429 bursts", {
        "error_rate": 0.2, "error_status": 502, "drop_rate": 0.05, "latency_ms": 50,
        "rate_limit": {"limit": 25, "window_seconds": 2}, "retry_after_seconds": 5,
    }),
    ("20% 504", {"error_rate": 0.2, "error_status": 504, "latency_ms": 20}),
    ("calm", {}),
)  # fmt: skip

# The audit action each kind of write records.
ACTIONS = {
    "create": "profile.create",
    "edit": "profile.update",
    "spend_limit": "profile.spend_limit",
    "delete": "profile.delete",
    "bind": "short_code.bind",
    "unbind": "short_code.unbind",
    "tags": "short_code.tags_update",
}
SUCCESS_MESSAGES = {
    "create": "was created successfully",
    "edit": "was changed successfully",
    "spend_limit": "was changed successfully",
    "delete": "was deleted successfully",
    "bind": "is now bound to",
    "unbind": "is no longer bound",
    "tags": "saved.",
}
# A failed write shows one of the Telnyx banners (words from telnyx_admin.middleware.banner_for).
_BANNER_WORDS = ("Telnyx is unavailable", "Telnyx is rate-limiting us", "Telnyx answered unexpectedly")


@dataclass
class Write:
    """One write a member of staff attempted, and what the dashboard told them."""

    kind: str
    actor: str
    object_id: str
    request_id: str
    status: int
    outcome: str  # saved | failed | conflict | rejected | vanished | unclear
    wanted: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    note: str = ""


@dataclass
class Ledger:
    """Everything the sessions did and were told, shared by all of them."""

    writes: list[Write] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    browse_ok: int = 0
    browse_failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)

    def finding(self, text: str) -> None:
        with self.lock:
            self.findings.append(text)

    def browsed(self, ok: bool) -> None:
        with self.lock:
            if ok:
                self.browse_ok += 1
            else:
                self.browse_failed += 1


# --- the staff --------------------------------------------------------------------------------------


class Worker(threading.Thread):
    """One signed-in session doing its role's work until the deadline."""

    def __init__(
        self, *, name: str, session: StaffSession, ledger: Ledger, deadline: float, seed: int
    ) -> None:
        super().__init__(name=name, daemon=True)
        self.session = session
        self.ledger = ledger
        self.deadline = deadline
        self.rng = random.Random(seed)
        self.known_profiles: list[str] = []
        self.known_short_codes: list[str] = []

    def run(self) -> None:
        try:
            self.session.sign_in()
            while time.monotonic() < self.deadline:
                try:
                    self.step()
                except DashboardDidNotAnswer as exc:
                    self.ledger.finding(f"{self.name}: the dashboard did not answer: {exc}")
                    time.sleep(0.2)
        except Exception as exc:  # a crashed worker is a finding, never a silent stop
            self.ledger.finding(f"{self.name} stopped: {type(exc).__name__}: {exc}")
        finally:
            self.session.close()

    def step(self) -> None:
        raise NotImplementedError

    # --- browsing (every role) ---------------------------------------------------------------

    def page(self, path: str, *, htmx: bool = False) -> requests.Response:
        response = self.session.get(path, htmx=htmx)
        self.ledger.browsed(response.status_code == 200)
        if response.status_code == 200:
            self.known_profiles.extend(_PROFILE_LINK.findall(response.text)[:20])
            self.known_short_codes.extend(_SHORT_CODE_LINK.findall(response.text)[:20])
            self.known_profiles = self.known_profiles[-60:]
            self.known_short_codes = self.known_short_codes[-60:]
        elif response.status_code not in (404, 429, 503):
            self.ledger.finding(f"{self.name}: GET {path} answered {response.status_code}")
        return response

    def browse(self) -> None:
        rng = self.rng
        choice = rng.random()
        if choice < 0.25:
            self.page(rng.choice(["/profiles/", "/profiles/?page=2", "/profiles/?page_size=50"]))
        elif choice < 0.4:
            word = rng.choice(["Acme", "a", "Soak", "alerts", "Notifications", "zzz-none"])
            self.page(f"/profiles/?q={word}", htmx=rng.random() < 0.5)
        elif choice < 0.7 and self.known_profiles:
            profile_id = rng.choice(self.known_profiles)
            self.page(f"/profiles/{profile_id}/")
            tab = rng.choice(["phone-numbers/", "short-codes/", "phone-numbers/?page=2"])
            self.page(f"/profiles/{profile_id}/{tab}", htmx=True)
            self.page(f"/audit/history/messaging_profile/{profile_id}/", htmx=True)
        elif choice < 0.85:
            self.page(
                rng.choice(["/short-codes/", "/short-codes/?profile=unassigned", "/short-codes/?page=2"])
            )
        elif self.known_short_codes:
            self.page(f"/short-codes/{rng.choice(self.known_short_codes)}/")
        else:
            self.page("/profiles/?page=3")

    # --- recording a write -------------------------------------------------------------------

    def judge(
        self,
        kind: str,
        response: requests.Response,
        *,
        object_id: str,
        wanted: dict[str, Any],
        label: str = "",
        kept: Callable[[str], bool] | None = None,
    ) -> Write:
        """Classify what the dashboard told us about a write, from its answer and the page it leads to."""
        write = Write(
            kind=kind,
            actor=self.session.username,
            object_id=object_id,
            request_id=response.request_id,  # type: ignore[attr-defined]
            status=response.status_code,
            outcome="unclear",
            wanted=wanted,
            label=label,
        )
        if response.status_code == 302:
            landed = self.session.follow(response)
            text = landed.text if landed is not None else ""
            location = response.headers.get("Location", "")
            if SUCCESS_MESSAGES[kind] in text:
                write.outcome = "saved"
                if kind == "create":
                    match = _DETAIL_LOCATION.match(location)
                    write.object_id = match[1] if match else ""
            elif "no longer exists" in text:
                write.outcome = "vanished"
            else:
                write.note = f"redirected to {location} without a success message"
        elif response.status_code in (429, 503) or any(word in response.text for word in _BANNER_WORDS):
            write.outcome = "failed"
            if not any(word in response.text for word in _BANNER_WORDS):
                write.note = "failure without a banner"
            elif kept is not None and not kept(response.text):
                write.note = "the form came back without the user's input"
        elif response.status_code == 200 and 'data-testid="conflict"' in response.text:
            write.outcome = "conflict"
        elif response.status_code == 200:
            write.outcome = "rejected"
        self.ledger.add(write)
        if write.outcome == "unclear" or write.note:
            self.ledger.finding(f"{self.name} {kind} {write.request_id}: {write.status} {write.note}".strip())
        return write


class SupportWorker(Worker):
    """Support staff: create, edit and delete their own profiles; bind, unbind and tag their short codes."""

    def __init__(self, *, short_codes: list[str], bind_targets: list[str], run: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.own_short_codes = short_codes
        self.bind_targets = bind_targets
        self.run_label = run
        self.own_profiles: dict[str, str] = {}  # id -> name
        self.counter = itertools.count(1)

    def step(self) -> None:
        choice = self.rng.random()
        if choice < 0.35:
            self.browse()
        elif choice < 0.5 or not self.own_profiles:
            self.create()
        elif choice < 0.65:
            self.edit(self.rng.choice(sorted(self.own_profiles)))
        elif choice < 0.72:
            self.delete(self.rng.choice(sorted(self.own_profiles)))
        elif self.own_short_codes:
            self.short_code_write(self.rng.choice(self.own_short_codes))

    def create(self) -> None:
        form = self.page("/profiles/new/")
        if form.status_code != 200:
            return
        name = f"Soak {self.run_label} {self.name} #{next(self.counter)}"
        webhook = f"https://hooks.example.com/soak/{secrets.token_hex(6)}"
        values = with_values(
            form_values(form.text, form_id="profile-form"),
            name=name,
            webhook_url=webhook,
            whitelisted_destinations=["US", "CA"],
        )
        answer = self.session.post("/profiles/new/", values, htmx=False)
        write = self.judge(
            "create",
            answer,
            object_id="",
            wanted={"webhook_url": webhook},
            label=name,
            kept=lambda html: ("name", name) in form_values(html, form_id="profile-form"),
        )
        if write.outcome == "saved" and write.object_id:
            self.own_profiles[write.object_id] = name

    def edit(self, profile_id: str) -> None:
        form = self.page(f"/profiles/{profile_id}/edit/")
        if form.status_code != 200:
            return
        webhook = f"https://hooks.example.com/soak/{secrets.token_hex(6)}"
        values = with_values(form_values(form.text, form_id="profile-form"), webhook_url=webhook)
        # Half the saves as htmx would send them (the form partial comes back on failure).
        htmx = self.rng.random() < 0.5
        answer = self.session.post(f"/profiles/{profile_id}/edit/", values, htmx=htmx)
        self.judge(
            "edit",
            _as_redirect(answer),
            object_id=profile_id,
            wanted={"webhook_url": webhook},
            kept=lambda html: ("webhook_url", webhook) in form_values(html, form_id="profile-form"),
        )

    def delete(self, profile_id: str) -> None:
        form = self.page(f"/profiles/{profile_id}/delete/")
        if form.status_code != 200:
            return
        name = self.own_profiles[profile_id]
        values = with_values(form_values(form.text, form_id="delete-form"), confirm_name=name)
        answer = self.session.post(f"/profiles/{profile_id}/delete/", values)
        write = self.judge("delete", answer, object_id=profile_id, wanted={}, label=name)
        if write.outcome in ("saved", "vanished"):
            self.own_profiles.pop(profile_id, None)

    def short_code_write(self, code_id: str) -> None:
        detail = self.page(f"/short-codes/{code_id}/")
        if detail.status_code != 200:
            return
        match = _UPDATED_AT.search(detail.text)
        stamp = match[1] if match else ""
        choice = self.rng.random()
        if choice < 0.4:
            target = self.rng.choice(self.bind_targets)
            answer = self.session.post(
                f"/short-codes/{code_id}/bind/", [("updated_at", stamp), ("messaging_profile_id", target)]
            )
            self.judge("bind", answer, object_id=code_id, wanted={"messaging_profile_id": target})
        elif choice < 0.6:
            answer = self.session.post(f"/short-codes/{code_id}/unbind/", [("updated_at", stamp)])
            self.judge("unbind", answer, object_id=code_id, wanted={"messaging_profile_id": None})
        else:
            tags = sorted(self.rng.sample(["soak", "alerts", "otp", "vip", secrets.token_hex(3)], 3))
            values = [("updated_at", stamp), ("op", "save"), *(("tags", tag) for tag in tags)]
            answer = self.session.post(f"/short-codes/{code_id}/tags/", values)
            self.judge("tags", answer, object_id=code_id, wanted={"tags": tags})


class AccountManagerWorker(Worker):
    """Account managers: change the spend limit of their profiles, and browse."""

    def __init__(self, *, profiles: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.own_profiles = profiles

    def step(self) -> None:
        if self.rng.random() < 0.4:
            self.browse()
        else:
            self.spend_limit(self.rng.choice(self.own_profiles))

    def spend_limit(self, profile_id: str) -> None:
        form = self.page(f"/profiles/{profile_id}/spend-limit/")
        if form.status_code != 200:
            return
        amount = f"{self.rng.randrange(10, 5000)}.{self.rng.randrange(1, 99):02d}"
        enforced = self.rng.random() < 0.5
        values = with_values(
            form_values(form.text, form_id="spend-limit-form"),
            daily_spend_limit=amount,
            daily_spend_limit_enabled=["on"] if enforced else [],
        )
        htmx = self.rng.random() < 0.5
        answer = self.session.post(f"/profiles/{profile_id}/spend-limit/", values, htmx=htmx)
        self.judge(
            "spend_limit",
            _as_redirect(answer),
            object_id=profile_id,
            wanted={"daily_spend_limit": amount, "daily_spend_limit_enabled": enforced},
            kept=lambda html: ("daily_spend_limit", amount) in form_values(html, form_id="spend-limit-form"),
        )


class AuditorWorker(Worker):
    """Auditors: the audit log (pages, filters, CSV) and everything else they may read."""

    def step(self) -> None:
        choice = self.rng.random()
        if choice < 0.2:
            self.page(self.rng.choice(["/audit/", "/audit/?action=profile.create", "/audit/?page=2"]))
        elif choice < 0.3:
            self.page("/audit/?format=csv")
        elif choice < 0.4:
            self.page("/audit/?outcome=failure", htmx=True)
        else:
            self.browse()


def _as_redirect(response: requests.Response) -> requests.Response:
    """An htmx save answers 200 with HX-Redirect; treat it as the 302 a plain form post gets."""
    if response.status_code == 200 and response.headers.get("HX-Redirect"):
        response.status_code = 302
        response.headers["Location"] = response.headers["HX-Redirect"]
    return response


# --- faults over time -------------------------------------------------------------------------------


class FaultCycle(threading.Thread):
    """Moves the sandbox through FAULT_PHASES, `phase_seconds` each, until stopped."""

    def __init__(self, site: Site, *, phase_seconds: float) -> None:
        super().__init__(name="faults", daemon=True)
        self.site = site
        self.phase_seconds = phase_seconds
        self.stopped = threading.Event()
        self.phases_run: list[str] = []

    def run(self) -> None:
        for name, config in itertools.cycle(FAULT_PHASES):
            if self.stopped.is_set():
                return
            self.site.sandbox.set_faults(**config)
            self.phases_run.append(name)
            if self.stopped.wait(self.phase_seconds):
                return

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
        self.site.sandbox.clear_faults()


# --- checking what happened -------------------------------------------------------------------------


@dataclass
class SoakReport:
    duration: float
    database: str
    phases: list[str]
    requests: int
    statuses: dict[int, int]
    browse_ok: int
    browse_failed: int
    writes: Counter
    outcomes: Counter
    audit_entries: int
    sandbox_faults: dict[str, int]
    violations: list[str]

    def summary(self) -> str:
        lines = [
            f"soak: {self.duration:.0f} s against {self.database}; fault phases: {', '.join(self.phases)}",
            f"  dashboard requests: {self.requests}  statuses: "
            + ", ".join(f"{status}={count}" for status, count in sorted(self.statuses.items())),
            f"  pages: {self.browse_ok} shown, {self.browse_failed} with the Telnyx banner or 404",
            "  writes: "
            + ", ".join(f"{kind}={count}" for kind, count in sorted(self.writes.items()))
            + f"  (total {sum(self.writes.values())})",
            "  outcomes: " + ", ".join(f"{kind}={count}" for kind, count in sorted(self.outcomes.items())),
            f"  audit entries: {self.audit_entries}",
            "  sandbox faults injected: "
            + ", ".join(f"{kind}={count}" for kind, count in self.sandbox_faults.items()),
            f"  500s from the dashboard: {self.statuses.get(500, 0)}",
            f"  violations: {len(self.violations)}",
        ]
        lines += [f"    - {violation}" for violation in self.violations[:50]]
        return "\n".join(lines)


def _sandbox_get(site: Site, path: str, **params: Any) -> requests.Response:
    return requests.get(
        f"{site.sandbox.api_url}{path}", headers=site.sandbox.headers, params=params, timeout=30
    )


def _profiles_named(site: Site, name: str) -> list[dict[str, Any]]:
    answer = _sandbox_get(site, "/messaging_profiles", **{"filter[name][eq]": name, "page[size]": 250})
    answer.raise_for_status()
    return answer.json()["data"]


def _audit_rows(site: Site, traffic: Traffic) -> list[dict[str, str]]:
    """The audit log as an auditor exports it (CSV), faults off."""
    import csv
    import io

    auditor = StaffSession(
        base_url=site.url, username=USERNAMES["auditor"], password=site.password, traffic=traffic
    )
    auditor.sign_in()
    export = auditor.get("/audit/?format=csv")
    auditor.close()
    if export.status_code != 200:
        raise AssertionError(f"audit CSV export answered {export.status_code}")
    return list(csv.DictReader(io.StringIO(export.text)))


def _telnyx_calls(site: Site) -> dict[str, list[dict[str, Any]]]:
    """Telnyx calls the dashboard logged, by request id (one JSON line per logical call)."""
    calls: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in site.dashboard.json_lines():
        if entry.get("telnyx_method") and entry.get("request_id"):
            calls[entry["request_id"]].append(entry)
    return calls


def verify(
    site: Site, ledger: Ledger, traffic: Traffic, *, initial_codes: dict[str, dict[str, Any]]
) -> list[str]:
    violations: list[str] = list(ledger.findings)

    # 1. No 500s (or other 5xx but the designed 503), and the dashboard always answered.
    for exchange in traffic.server_errors():
        violations.append(
            f"dashboard answered {exchange.status or 'nothing'} to {exchange.method} {exchange.path} "
            f"({exchange.request_id})"
        )

    # 2. Secrets: no response carried the API key; neither did any log line.
    violations += [f"API key in a response: {leak}" for leak in traffic.leaks]
    for number, line in enumerate(site.dashboard.log_lines(), 1):
        if site.api_key in line:
            violations.append(f"API key in dashboard log line {number}")

    writes = ledger.writes
    # 3. Creates: unique names, found once if saved (and not deleted since), never if failed.
    deleted = {w.object_id for w in writes if w.kind == "delete" and w.outcome == "saved"}
    for write in (w for w in writes if w.kind == "create"):
        found = _profiles_named(site, write.label)
        if write.outcome == "saved":
            expected = 0 if write.object_id in deleted else 1
            if len(found) != expected:
                violations.append(
                    f"create {write.label!r} reported saved: found {len(found)}, expected {expected}"
                )
            elif found and found[0]["id"] != write.object_id:
                violations.append(
                    f"create {write.label!r}: saved as {write.object_id}, sandbox has {found[0]['id']}"
                )
        elif found:
            violations.append(
                f"create {write.label!r} reported {write.outcome} but exists {len(found)} time(s)"
            )

    # 4. Every reported save is in the sandbox: each object's last saved values, failures changed nothing.
    last_profile_values: dict[str, dict[str, Any]] = defaultdict(dict)
    last_code_values: dict[str, dict[str, Any]] = {
        code: dict(values) for code, values in initial_codes.items()
    }
    for write in writes:
        if write.outcome != "saved":
            continue
        if write.kind in ("create", "edit", "spend_limit") and write.object_id:
            last_profile_values[write.object_id].update(write.wanted)
        elif write.kind in ("bind", "unbind", "tags"):
            last_code_values[write.object_id].update(write.wanted)
    for profile_id, wanted in last_profile_values.items():
        answer = _sandbox_get(site, f"/messaging_profiles/{profile_id}")
        if profile_id in deleted:
            if answer.status_code != 404:
                violations.append(f"profile {profile_id} reported deleted but answers {answer.status_code}")
            continue
        if answer.status_code != 200:
            violations.append(f"profile {profile_id} reported saved but answers {answer.status_code}")
            continue
        held = answer.json()["data"]
        for name, value in wanted.items():
            if not _same(held.get(name), value):
                violations.append(
                    f"profile {profile_id}: {name} is {held.get(name)!r}, last reported saved {value!r}"
                )
    for profile_id in deleted - set(last_profile_values):
        if _sandbox_get(site, f"/messaging_profiles/{profile_id}").status_code != 404:
            violations.append(f"profile {profile_id} reported deleted but still exists")
    for code_id, wanted in last_code_values.items():
        held = _sandbox_get(site, f"/short_codes/{code_id}").json()["data"]
        for name, value in wanted.items():
            if not _same(held.get(name), value):
                violations.append(f"short code {code_id}: {name} is {held.get(name)!r}, expected {value!r}")

    # 5. The audit log matches what happened, write by write (joined on the request id).
    rows = _audit_rows(site, traffic)
    by_request: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_request[row["request_id"]].append(row)
    calls = _telnyx_calls(site)
    write_ids = {w.request_id for w in writes}
    for write in writes:
        entries = by_request.get(write.request_id, [])
        sent = [
            c for c in calls.get(write.request_id, []) if c["telnyx_method"] in ("POST", "PATCH", "DELETE")
        ]
        applied = [c for c in sent if str(c.get("telnyx_status")) == "200"]
        where = f"{write.kind} {write.request_id} ({write.outcome})"
        if len(entries) > 1:
            violations.append(f"{where}: {len(entries)} audit entries")
            continue
        entry = entries[0] if entries else None
        if applied and write.outcome != "saved":
            violations.append(f"{where}: Telnyx accepted the write but staff were told {write.outcome}")
        if write.outcome == "saved":
            if entry is None or entry["outcome"] != "success":
                violations.append(f"{where}: audit entry {entry and entry['outcome']!r}, expected success")
            elif entry["action"] != ACTIONS[write.kind] or (
                write.object_id and entry["object_id"] != write.object_id
            ):
                violations.append(f"{where}: audit entry {entry['action']} {entry['object_id']}")
        elif write.outcome in ("failed", "conflict"):
            if sent and entry is None:
                violations.append(f"{where}: the write reached Telnyx but has no audit entry")
            if entry is not None and entry["outcome"] != "failure":
                violations.append(f"{where}: audit entry says {entry['outcome']}")
            if write.outcome == "conflict" and entry is None:
                violations.append(f"{where}: a stale refusal has no audit entry")
        elif entry is not None and entry["outcome"] == "success":
            violations.append(f"{where}: audit says success but staff were told {write.outcome}")
    strays = [row for row in rows if row["request_id"] not in write_ids]
    violations += [f"audit entry nobody caused: {row['action']} {row['request_id']}" for row in strays]
    return violations


def _same(held: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return sorted(held or []) == sorted(wanted)
    if isinstance(wanted, str) and isinstance(held, str) and re.fullmatch(r"\d+(\.\d+)?", wanted):
        return Decimal(held) == Decimal(wanted)
    return held == wanted


# --- the run ----------------------------------------------------------------------------------------


def _setup_objects(site: Site, *, support: int, managers: int, run: str) -> dict[str, Any]:
    """Before faults: profiles for account managers, short codes split between support sessions."""
    sandbox = site.sandbox
    manager_profiles = []
    for index in range(managers * 3):
        answer = sandbox.post(
            "/messaging_profiles",
            json={"name": f"Soak {run} spend {index}", "whitelisted_destinations": ["US"]},
        )
        answer.raise_for_status()
        manager_profiles.append(answer.json()["data"]["id"])
    codes = _sandbox_get(site, "/short_codes", **{"page[size]": 250}).json()["data"]
    profiles = _sandbox_get(site, "/messaging_profiles", **{"page[size]": 20}).json()["data"]
    return {
        "manager_profiles": [manager_profiles[i::managers] for i in range(managers)],
        "short_codes": [[c["id"] for c in codes[i::support]][:4] for i in range(support)],
        "initial_codes": {
            c["id"]: {"messaging_profile_id": c["messaging_profile_id"], "tags": c["tags"]} for c in codes
        },
        "bind_targets": [p["id"] for p in profiles if p.get("whitelisted_destinations")][:8],
    }


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
    run = secrets.token_hex(3)
    setup = _setup_objects(site, support=support, managers=managers, run=run)
    site.sandbox.clear_stats()
    traffic = Traffic(secrets=(site.api_key,))
    ledger = Ledger()
    started = time.monotonic()
    deadline = started + duration

    def session(role: str) -> StaffSession:
        return StaffSession(
            base_url=site.url, username=USERNAMES[role], password=site.password, traffic=traffic
        )

    workers: list[Worker] = []
    for i in range(support):
        workers.append(
            SupportWorker(
                name=f"support-{i}",
                session=session("support"),
                ledger=ledger,
                deadline=deadline,
                seed=seed * 100 + i,
                short_codes=setup["short_codes"][i],
                bind_targets=setup["bind_targets"],
                run=run,
            )
        )
    for i in range(managers):
        workers.append(
            AccountManagerWorker(
                name=f"accounts-{i}",
                session=session("account_manager"),
                ledger=ledger,
                deadline=deadline,
                seed=seed * 200 + i,
                profiles=setup["manager_profiles"][i],
            )
        )
    for i in range(auditors):
        workers.append(
            AuditorWorker(
                name=f"auditor-{i}",
                session=session("auditor"),
                ledger=ledger,
                deadline=deadline,
                seed=seed * 300 + i,
            )
        )
    faults = FaultCycle(site, phase_seconds=phase_seconds or max(2.0, duration / len(FAULT_PHASES)))
    faults.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        # A request gives up on Telnyx after the retry budget; allow for a few of them in flight.
        worker.join(timeout=duration + 60)
        if worker.is_alive():
            ledger.finding(f"{worker.name} still running long after the deadline")
    faults.stop()
    elapsed = time.monotonic() - started
    sandbox_faults = site.sandbox.stats()["faults"]
    initial_codes = {
        code: values
        for code, values in setup["initial_codes"].items()
        if any(code in codes for codes in setup["short_codes"])
    }
    violations = verify(site, ledger, traffic, initial_codes=initial_codes)
    return SoakReport(
        duration=elapsed,
        database=site.database,
        phases=faults.phases_run,
        requests=len(traffic.exchanges),
        statuses=dict(traffic.statuses),
        browse_ok=ledger.browse_ok,
        browse_failed=ledger.browse_failed,
        writes=Counter(w.kind for w in ledger.writes),
        outcomes=Counter(w.outcome for w in ledger.writes),
        audit_entries=len(_audit_rows(site, Traffic())),
        sandbox_faults=sandbox_faults,
        violations=violations,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
    with running_site(threads=args.threads, database=args.database) as site:
        print(f"dashboard {site.url} ({site.database}), sandbox {site.sandbox.base_url}", flush=True)
        report = run_soak(
            site, duration=args.duration, support=args.support, managers=args.managers, auditors=args.auditors
        )
    print(report.summary())
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {**report.__dict__, "writes": dict(report.writes), "outcomes": dict(report.outcomes)}, out
            )
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
