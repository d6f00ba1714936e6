"""`make demo`: scripts/demo (sandbox, worker, dashboard) looks and fails like the product.

Started as the Makefile starts it (migrate and seed_demo under DEMO_MODE, then scripts/demo) on free
ports with fresh SQLite databases, and with DEBUG=1 in the caller's environment to show that the demo
turns it off whatever the shell says. One test opens the demo in Chromium, as a person would.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from devservers import environment
from devservers.dashboard import PYTHON, REPO, manage
from devservers.html_forms import sign_in
from devservers.ports import free_port

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

PASSWORD = "demo-test-password-7"


@dataclass
class Demo:
    url: str
    log_path: Path


def _demo_env(tmp: Path) -> dict[str, str]:
    env = environment.inherited(without=("TESTING", "DJANGO_SETTINGS_MODULE", "CACHE_URL", "SECRET_KEY"))
    env.update(
        DEMO_MODE="1",
        DEBUG="1",  # left in a shell by accident: the demo must still run with DEBUG off
        DATABASE_URL=f"sqlite:///{tmp / 'dashboard.sqlite3'}",
        SANDBOX_DATABASE_PATH=str(tmp / "sandbox.sqlite3"),
        PYTHON=PYTHON,
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp = tmp_path_factory.mktemp("demo")
    env = _demo_env(tmp)
    manage({**env, "DEBUG": "0"}, "migrate", "--noinput")
    manage({**env, "DEBUG": "0"}, "seed_demo", "--password", PASSWORD)
    port = free_port()
    env.update(SANDBOX_PORT=str(free_port()), DASHBOARD_PORT=str(port))
    log_path = tmp / "demo.log"
    with log_path.open("wb") as log:
        # Own process group, so that the sandbox, the worker and runserver's child stop with it.
        process = subprocess.Popen(
            [str(REPO / "scripts" / "demo")],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log_path)
        yield Demo(url=url, log_path=log_path)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"scripts/demo exited with {process.returncode}:\n{log_path.read_text()}")
        with contextlib.suppress(requests.RequestException):
            requests.get(url + "/accounts/login/", timeout=5)
            return
        time.sleep(0.2)
    raise AssertionError("the demo did not answer in time:\n" + log_path.read_text())


@pytest.fixture(scope="module")
def support_session(demo: Demo) -> requests.Session:
    session = requests.Session()
    assert sign_in(demo.url, "support", PASSWORD, session=session).status_code == 302
    return session


def test_an_unknown_profile_id_shows_the_sites_404_page(demo, support_session):
    response = support_session.get(f"{demo.url}/profiles/{uuid.uuid4()}/", timeout=30)

    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.text
    assert "support" in response.text  # the usual header with the signed-in user
    # Django's technical 404 page (DEBUG on) lists the URL patterns instead.
    assert "URLconf" not in response.text
    assert "Using the URLconf" not in response.text


@pytest.mark.browser
def test_a_browser_opening_an_unknown_profile_sees_the_sites_not_found_page(demo, page):
    # Signed in through the demo's own form, as a member of staff pasting a stale link would be.
    page.goto(f"{demo.url}/accounts/login/")
    page.fill("input[name=username]", "support")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")

    failed: list[str] = []  # the page's styles and scripts, each of which must load
    page.on("response", lambda r: r.request.resource_type != "document" and not r.ok and failed.append(r.url))
    response = page.goto(f"{demo.url}/profiles/{uuid.uuid4()}/")

    assert response is not None and response.status == 404
    expect(page.get_by_test_id("error-404").get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_role("link", name="Back to the start page")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("URLconf")  # Django's technical 404 (DEBUG on)
    # Styled by the site's own CSS (served by WhiteNoise with DEBUG off): .error-page is 40rem wide at most.
    assert page.get_by_test_id("error-404").evaluate("e => getComputedStyle(e).maxWidth") == "640px"
    assert failed == []
    # Chromium logs the 404 of the page itself; anything else (a CSP violation) is a fault.
    assert [error for error in page.console_errors if "status of 404" not in error] == []


def test_the_demo_lists_the_sandbox_profiles(demo, support_session):
    response = support_session.get(f"{demo.url}/profiles/", timeout=30)

    assert response.status_code == 200
    assert re.search(r'href="/profiles/[0-9a-f-]{36}/"', response.text)


def test_static_files_are_served_with_debug_off(demo):
    page = requests.get(demo.url + "/accounts/login/", timeout=10).text
    linked = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any(path.endswith(".css") for path in linked), page

    for path in linked:
        assert requests.get(demo.url + path, timeout=10).status_code == 200, path


def test_the_demo_stays_on_plain_http(demo):
    response = requests.get(demo.url + "/accounts/login/", timeout=10, allow_redirects=False)

    assert response.status_code == 200  # no redirect to https:// on loopback
    assert "Secure" not in response.headers.get("Set-Cookie", "")
