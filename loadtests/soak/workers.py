"""The staff of the soak: one thread per signed-in session, each doing its role's work until the deadline.

Support staff create, edit and delete their own profiles and bind, unbind and tag their own short
codes; account managers change the spend limits of their own profiles; auditors read the audit log;
everyone browses. Each object is written by one session only, one write at a time, so every write
that reached Telnyx can be put down to the one submission in progress on its object
(loadtests.soak.truth).

They behave as careful people would after each answer:
- a create that failed, was not applied or is not known to have been applied is submitted again with
  the same name (the "Save again, just in case" that used to duplicate profiles); the "duplicate"
  panel then means the earlier attempt exists, and its link is the profile;
- a change whose outcome is unknown (or whose page failed on the dashboard's database) is not
  repeated: the object is opened again until its page no longer shows unconfirmed writes (which
  resolves them), as the page asks;
- now and then a saved form is submitted a second time (a double click), which must change nothing.
"""

from __future__ import annotations

import itertools
import random
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from devservers.html_forms import form_values, with_values
from loadtests.soak import pages
from loadtests.soak.ledger import Ledger, Write
from loadtests.staff import AnswerCutOff, DashboardDidNotAnswer, StaffSession

# How long a session keeps opening an object whose write is unconfirmed before leaving it alone.
CONFIRM_PATIENCE_SECONDS = 40.0
DOUBLE_SUBMIT_RATE = 0.15
CREATE_TRIES = 4
# Told these, a person submits the same create again.
_CREATE_AGAIN = frozenset({"unknown", "database", "not_applied", "failed"})
# Told these, a person opens the object before changing it again.
_UNCONFIRMED = frozenset({"unknown", "database"})


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
        # Detail pages of objects with a write whose outcome is unknown: when it was first seen.
        self.unconfirmed: dict[str, float] = {}
        # Set once signed in (or failed to): signing in is not what the database faults are for.
        self.ready = threading.Event()

    def run(self) -> None:
        try:
            try:
                self.session.sign_in()
            finally:
                self.ready.set()
            while time.monotonic() < self.deadline:
                try:
                    if self.unconfirmed and self.rng.random() < 0.3:
                        self.confirm(self.rng.choice(sorted(self.unconfirmed)))
                    else:
                        self.step()
                except AnswerCutOff as exc:
                    self.ledger.broke_off(f"{self.name}: {exc}")
                except DashboardDidNotAnswer as exc:
                    self.ledger.finding(f"{self.name}: the dashboard did not answer: {exc}")
                    time.sleep(0.2)
        except Exception as exc:  # a crashed worker is a finding, never a silent stop
            self.ledger.finding(f"{self.name} stopped: {type(exc).__name__}: {exc}")
        finally:
            self.session.close()

    def step(self) -> None:
        raise NotImplementedError

    def forget(self, detail_path: str) -> None:
        """Stop writing the object behind this detail page (deleted, or left unconfirmed)."""

    # --- browsing (every role) ---------------------------------------------------------------

    def page(self, path: str, *, htmx: bool = False) -> requests.Response:
        response = self.session.get(path, htmx=htmx)
        self.ledger.browsed(response.status_code == 200)
        if response.status_code == 200:
            self.known_profiles.extend(pages.PROFILE_LINK.findall(response.text)[:20])
            self.known_short_codes.extend(pages.SHORT_CODE_LINK.findall(response.text)[:20])
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

    # --- writing -------------------------------------------------------------------------------

    def submit(
        self,
        kind: str,
        path: str,
        values: list[tuple[str, str]],
        *,
        object_id: str,
        wanted: dict[str, Any],
        label: str = "",
        htmx: bool = False,
        kept: Callable[[str], bool] | None = None,
    ) -> Write:
        """POST a write and record what the page told us about it."""
        started = time.monotonic()
        answer = self.session.post(path, values, htmx=htmx)
        finished = time.monotonic()
        told, text = self._told(kind, answer)
        write = Write(
            kind=kind,
            actor=self.session.username,
            object_id=told.object_id or object_id,
            request_id=answer.request_id,  # type: ignore[attr-defined]
            status=answer.status_code,
            told=told.outcome,
            wanted=wanted,
            label=label,
            note=told.note,
            read_back=told.read_back,
            pending=told.pending,
            started=started,
            finished=finished,
        )
        if told.outcome in ("failed", "not_applied", "unknown") and kept is not None and not kept(text):
            write.note = "the form came back without the user's input"
        self.ledger.add(write)
        if write.told == "unclear" or write.note:
            self.ledger.finding(f"{self.name} {write.where}: {write.status} {write.note}".strip())
        return write

    def _told(self, kind: str, answer: requests.Response) -> tuple[pages.Told, str]:
        # An htmx save answers 200 with HX-Redirect where a plain form post gets a 302.
        location = answer.headers.get("HX-Redirect") or answer.headers.get("Location", "")
        if answer.status_code == 302 or (answer.status_code == 200 and answer.headers.get("HX-Redirect")):
            return pages.told_after_redirect(kind, location, self._landed(answer)), ""
        return pages.told_in_place(answer.status_code, answer.text), answer.text

    def _landed(self, answer: requests.Response) -> str:
        """The page a save redirected to, where its message shows. A page that failed on the database
        shows no messages (they wait for the next page): reload it, as a person would."""
        for _ in range(3):
            landed = self.session.follow(answer)
            if landed is None or not pages.is_database_failure(landed.text):
                break
            time.sleep(0.3)
        return landed.text if landed is not None else ""

    def after_change(self, write: Write, detail_path: str, again: Callable[[], Write]) -> None:
        """An unknown outcome: open the object again before touching it. A save: sometimes a double click."""
        if write.told in _UNCONFIRMED:
            self.unconfirmed.setdefault(detail_path, time.monotonic())
        elif write.told == "saved" and self.rng.random() < DOUBLE_SUBMIT_RATE:
            again()

    def confirm(self, detail_path: str) -> None:
        """Open an object with an unconfirmed write; its page reads it back and resolves the write."""
        page = self.page(detail_path)
        if page.status_code == 404:
            del self.unconfirmed[detail_path]
            self.forget(detail_path)
        elif page.status_code == 200 and pages.OPEN_WRITES not in page.text:
            del self.unconfirmed[detail_path]
        elif time.monotonic() - self.unconfirmed[detail_path] > CONFIRM_PATIENCE_SECONDS:
            del self.unconfirmed[detail_path]
            self.forget(detail_path)

    def writable(self, detail_path: str) -> bool:
        return detail_path not in self.unconfirmed


def _profile_page(profile_id: str) -> str:
    return f"/profiles/{profile_id}/"


def _short_code_page(code_id: str) -> str:
    return f"/short-codes/{code_id}/"


def _webhook() -> str:
    return f"https://hooks.example.com/soak/{secrets.token_hex(6)}"


class SupportWorker(Worker):
    """Support staff: create, edit and delete their own profiles; bind, unbind and tag their short codes."""

    def __init__(self, *, short_codes: list[str], bind_targets: list[str], run: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.own_short_codes = list(short_codes)
        self.bind_targets = bind_targets
        self.run_label = run
        self.own_profiles: dict[str, str] = {}  # id -> name
        self.counter = itertools.count(1)
        # Creates to submit again (name -> tries so far), with the webhook the form kept.
        self.create_again: dict[str, int] = {}
        self.create_webhooks: dict[str, str] = {}

    def forget(self, detail_path: str) -> None:
        self.own_profiles = {
            pid: name for pid, name in self.own_profiles.items() if _profile_page(pid) != detail_path
        }
        self.own_short_codes = [c for c in self.own_short_codes if _short_code_page(c) != detail_path]

    def step(self) -> None:
        profiles = [pid for pid in sorted(self.own_profiles) if self.writable(_profile_page(pid))]
        codes = [code for code in self.own_short_codes if self.writable(_short_code_page(code))]
        choice = self.rng.random()
        if choice < 0.35:
            self.browse()
        elif choice < 0.5 or not profiles:
            self.create()
        elif choice < 0.65:
            self.edit(self.rng.choice(profiles))
        elif choice < 0.72:
            self.delete(self.rng.choice(profiles))
        elif codes:
            self.short_code_write(self.rng.choice(codes))

    def _create_name(self) -> str:
        if self.create_again and self.rng.random() < 0.7:
            return next(iter(self.create_again))
        return f"Soak {self.run_label} {self.name} #{next(self.counter)}"

    def create(self) -> None:
        form = self.page("/profiles/new/")
        if form.status_code != 200:
            return
        name = self._create_name()
        webhook = self.create_webhooks.setdefault(name, _webhook())
        values = with_values(
            form_values(form.text, form_id="profile-form"),
            name=name,
            webhook_url=webhook,
            whitelisted_destinations=["US", "CA"],
        )

        def send() -> Write:
            return self.submit(
                "create",
                "/profiles/new/",
                values,
                object_id="",
                wanted={"webhook_url": webhook},
                label=name,
                kept=lambda html: ("name", name) in form_values(html, form_id="profile-form"),
            )

        write = send()
        if write.told == "saved" and self.rng.random() < DOUBLE_SUBMIT_RATE:
            send()  # a double click: the duplicate panel must show the profile just made
        self._after_create(name, write)

    def _after_create(self, name: str, write: Write) -> None:
        if write.told in ("saved", "duplicate") and write.object_id:
            self.own_profiles[write.object_id] = name
            self.create_again.pop(name, None)
        elif write.told in _CREATE_AGAIN or (write.told == "duplicate" and write.pending):
            self.create_again[name] = self.create_again.get(name, 0) + 1
            if self.create_again[name] >= CREATE_TRIES:
                self.create_again.pop(name)
        else:
            self.create_again.pop(name, None)

    def edit(self, profile_id: str) -> None:
        form = self.page(f"/profiles/{profile_id}/edit/")
        if form.status_code != 200:
            return
        webhook = _webhook()
        values = with_values(form_values(form.text, form_id="profile-form"), webhook_url=webhook)
        # Half the saves as htmx would send them (the form partial comes back on failure).
        htmx = self.rng.random() < 0.5

        def send() -> Write:
            return self.submit(
                "edit",
                f"/profiles/{profile_id}/edit/",
                values,
                htmx=htmx,
                object_id=profile_id,
                wanted={"webhook_url": webhook},
                kept=lambda html: ("webhook_url", webhook) in form_values(html, form_id="profile-form"),
            )

        self.after_change(send(), _profile_page(profile_id), send)

    def delete(self, profile_id: str) -> None:
        form = self.page(f"/profiles/{profile_id}/delete/")
        if form.status_code != 200:
            return
        name = self.own_profiles[profile_id]
        values = with_values(form_values(form.text, form_id="delete-form"), confirm_name=name)
        write = self.submit(
            "delete", f"/profiles/{profile_id}/delete/", values, object_id=profile_id, wanted={}, label=name
        )
        if write.told in ("saved", "vanished"):
            self.own_profiles.pop(profile_id, None)
        elif write.told in _UNCONFIRMED:
            self.unconfirmed.setdefault(_profile_page(profile_id), time.monotonic())

    def short_code_write(self, code_id: str) -> None:
        detail = self.page(_short_code_page(code_id))
        if detail.status_code != 200:
            return
        match = pages.UPDATED_AT.search(detail.text)
        stamp = match[1] if match else ""
        choice = self.rng.random()
        if choice < 0.4:
            target = self.rng.choice(self.bind_targets)
            kind, path = "bind", f"/short-codes/{code_id}/bind/"
            values = [("updated_at", stamp), ("messaging_profile_id", target)]
            wanted: dict[str, Any] = {"messaging_profile_id": target}
        elif choice < 0.6:
            kind, path = "unbind", f"/short-codes/{code_id}/unbind/"
            values, wanted = [("updated_at", stamp)], {"messaging_profile_id": None}
        else:
            tags = sorted(self.rng.sample(["soak", "alerts", "otp", "vip", secrets.token_hex(3)], 3))
            kind, path = "tags", f"/short-codes/{code_id}/tags/"
            values = [("updated_at", stamp), ("op", "save"), *(("tags", tag) for tag in tags)]
            wanted = {"tags": tags}

        def send() -> Write:
            return self.submit(kind, path, values, object_id=code_id, wanted=wanted)

        self.after_change(send(), _short_code_page(code_id), send)


class AccountManagerWorker(Worker):
    """Account managers: change the spend limit of their profiles, and browse."""

    def __init__(self, *, profiles: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.own_profiles = list(profiles)

    def forget(self, detail_path: str) -> None:
        self.own_profiles = [pid for pid in self.own_profiles if _profile_page(pid) != detail_path]

    def step(self) -> None:
        profiles = [pid for pid in self.own_profiles if self.writable(_profile_page(pid))]
        if self.rng.random() < 0.4 or not profiles:
            self.browse()
        else:
            self.spend_limit(self.rng.choice(profiles))

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

        def send() -> Write:
            return self.submit(
                "spend_limit",
                f"/profiles/{profile_id}/spend-limit/",
                values,
                htmx=htmx,
                object_id=profile_id,
                wanted={"daily_spend_limit": amount, "daily_spend_limit_enabled": enforced},
                kept=lambda html: (
                    ("daily_spend_limit", amount) in form_values(html, form_id="spend-limit-form")
                ),
            )

        self.after_change(send(), _profile_page(profile_id), send)


class AuditorWorker(Worker):
    """Auditors: the audit log (pages, filters, CSV) and everything else they may read."""

    def step(self) -> None:
        choice = self.rng.random()
        if choice < 0.2:
            self.page(self.rng.choice(["/audit/", "/audit/?action=profile.create", "/audit/?page=2"]))
        elif choice < 0.3:
            self.page("/audit/?format=csv")
        elif choice < 0.4:
            self.page(self.rng.choice(["/audit/?outcome=failure", "/audit/?outcome=unknown"]), htmx=True)
        else:
            self.browse()
