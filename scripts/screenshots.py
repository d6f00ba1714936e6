"""`make screenshots`: the README's pictures of the dashboard, taken in Debian's Chromium.

Starts a sandbox and the dashboard as production runs it (loadtests.site.running_site: gunicorn,
DEBUG off, the demo users), makes a few audited changes so a profile's history and the audit log
have rows, then saves what a member of staff sees, in English and Simplified Chinese, on a desktop
(1280 px) and a phone (390 px), as docs/screenshots/<page>-<language>-<width>.png. Each picture is
the whole page, not only the window, cut at a few screens' height on a phone (a list goes on).

    .venv/bin/python -m scripts.screenshots [--only profile-list] [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from devservers.dashboard import manage
from devservers.html_forms import form_values, sign_in, with_values
from loadtests.site import USERNAMES, Site, running_site
from tests.fixtures.chromium import CHROMIUM, CHROMIUM_ARGS, wait_for_htmx_idle

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
# The profile the pictures show: the seed's largest (5,250 phone numbers).
PROFILE_NAME = "Acme Bulk Notifications"
# Accept-Language of the browser, by the language code used in file names.
LANGUAGES = {"en": "en-US", "zh-hans": "zh-CN"}
# Viewport height by width: a laptop screen, and a phone held upright.
VIEWPORTS = {1280: 800, 390: 844}
# The most of a page one picture shows, by width: the README's thumbnails of a whole phone list
# (twenty stacked rows) would be thin strips.
MAX_HEIGHT = {1280: 2400, 390: 3 * 844}


@dataclass(frozen=True)
class Shot:
    name: str
    role: str
    take: Callable[[Any, str, dict[str, str]], None]  # (page, base_url, ids): leave the page ready


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    wait_for_htmx_idle(page)


def _look_up(page: Any, base: str, typed: str) -> None:
    """The number lookup after typing part of a number, as people write it."""
    _open(page, f"{base}/numbers/")
    page.fill("[data-testid=numbers-q]", typed)
    page.press("[data-testid=numbers-q]", "Enter")
    page.wait_for_selector("[data-testid=number-row]")
    wait_for_htmx_idle(page)


def _edit_with_errors(page: Any, base: str, ids: dict[str, str]) -> None:
    """The edit form after saving it with the name cleared: what the user sees at that moment."""
    _open(page, f"{base}/profiles/{ids['profile']}/edit/")
    page.fill("input[name=name]", "")
    page.click("[data-testid=profile-save]")
    page.wait_for_selector(".field-error")
    wait_for_htmx_idle(page)


SHOTS = [
    Shot("profile-list", "support", lambda page, base, ids: _open(page, f"{base}/profiles/")),
    # With its History tab open (?tab=history), which shows the changes make_history made.
    Shot(
        "profile",
        "support",
        lambda page, base, ids: _open(page, f"{base}/profiles/{ids['profile']}/?tab=history"),
    ),
    Shot("edit-errors", "support", _edit_with_errors),
    Shot("short-codes", "support", lambda page, base, ids: _open(page, f"{base}/short-codes/")),
    Shot("audit-log", "auditor", lambda page, base, ids: _open(page, f"{base}/audit/")),
    Shot("number-lookup", "auditor", lambda page, base, ids: _look_up(page, base, "+1 415-2")),
]


def make_history(site: Site, profile_id: str) -> None:
    """Changes through the dashboard's own forms, so history and audit log show real entries."""
    support = _session(site, "support")
    edit_url = f"{site.url}/profiles/{profile_id}/edit/"
    form = form_values(support.get(edit_url, timeout=30).text, form_id="profile-form")
    _post(support, edit_url, with_values(form, webhook_url="https://hooks.acme.example/telnyx/delivery"))

    accounts = _session(site, "account_manager")
    limit_url = f"{site.url}/profiles/{profile_id}/spend-limit/"
    form = form_values(accounts.get(limit_url, timeout=30).text, form_id="spend-limit-form")
    _post(accounts, limit_url, with_values(form, daily_spend_limit="1500.00", daily_spend_limit_enabled="on"))


def _session(site: Site, role: str) -> requests.Session:
    session = requests.Session()
    answer = sign_in(site.url, USERNAMES[role], site.password, session=session)
    if answer.status_code != 302:
        raise RuntimeError(f"could not sign in as {USERNAMES[role]}: {answer.status_code}")
    return session


def _post(session: requests.Session, url: str, data: list[tuple[str, str]]) -> None:
    token = session.cookies.get("csrftoken", "")
    answer = session.post(
        url, data=data, headers={"X-CSRFToken": token, "Referer": url}, timeout=60, allow_redirects=False
    )
    if answer.status_code != 302:
        raise RuntimeError(f"saving {url} answered {answer.status_code}:\n{answer.text[-6000:]}")


def chinese_font_installed() -> bool:
    fc_list = shutil.which("fc-list")  # fontconfig, which Chromium depends on
    if fc_list is None:
        return False
    listing = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=False)  # noqa: S603
    return bool(listing.stdout.strip())


def take_all(site: Site, ids: dict[str, str], shots: list[Shot], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for language, accept in LANGUAGES.items():
                for width in VIEWPORTS:
                    for role in dict.fromkeys(shot.role for shot in shots):
                        page = _signed_in_page(browser, site, role, accept, width)
                        for shot in (shot for shot in shots if shot.role == role):
                            shot.take(page, site.url, ids)
                            path = out / f"{shot.name}-{language}-{width}.png"
                            _save(page, path, width)
                            saved.append(path)
                            print(f"  {path}", file=sys.stderr)
                        page.context.close()
        finally:
            browser.close()
    return saved


def _save(page: Any, path: Path, width: int) -> None:
    """The whole page, down to MAX_HEIGHT: below the window too (a profile's tabs, the short codes
    under their filters)."""
    height = min(page.evaluate("() => document.documentElement.scrollHeight"), MAX_HEIGHT[width])
    clip = {"x": 0, "y": 0, "width": width, "height": height}
    page.screenshot(path=str(path), full_page=True, clip=clip, animations="disabled", caret="initial")


def _signed_in_page(browser: Any, site: Site, role: str, accept: str, width: int) -> Any:
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORTS[width]}, locale=accept, is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    # By field name, not label: the labels are in the page's language.
    page.goto(f"{site.url}/accounts/login/")
    page.fill("input[name=username]", USERNAMES[role])
    page.fill("input[name=password]", site.password)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", action="append", choices=[shot.name for shot in SHOTS], help="repeatable")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"screenshots: Chromium not found at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    if not chinese_font_installed():
        print(
            "screenshots: no Chinese font, the zh-hans pictures would show boxes "
            "(apt-get install fonts-noto-cjk)",
            file=sys.stderr,
        )
        return 2
    shots = [shot for shot in SHOTS if not args.only or shot.name in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print("screenshots: starting the sandbox and the dashboard (gunicorn, DEBUG off)...", file=sys.stderr)
    with running_site(database="sqlite", threads=4) as site:
        profile_id = site.sandbox.profile_named(PROFILE_NAME)["id"]
        make_history(site, profile_id)
        manage(site.env, "refresh_number_index", "--here")  # the number lookup reads the index
        saved = take_all(site, {"profile": profile_id}, shots, args.out)
    print(f"screenshots: {len(saved)} pictures in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
