"""Two gunicorn instances sharing one PostgreSQL database and one Redis behave as one site.

What a load balancer needs: a session started on one instance is valid on the other, signing out on
one ends it on both, and failed logins spread over both instances add up to one lockout. Runs on a
throwaway PostgreSQL database and a private Redis key prefix whatever the CI leg: with the shared
Redis cache, with a cache per process (CACHE_URL unset), and with Redis dead (CACHE_URL pointing at
a port where nothing listens), where all of it must hold just the same.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import threading
from collections.abc import Iterator

import pytest
import requests

from devservers.dashboard import RunningServer, manage, running_dashboard
from devservers.html_forms import form_values, with_values
from devservers.sandbox_process import SandboxProcess
from tests.fixtures.tcp_faults import dead_port

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

PASSWORD = "a-long-and-unguessable-passphrase-17"
FAILURE_LIMIT = 3


@pytest.fixture(scope="module")
def site_env(shared_services_env: dict[str, str], sandbox_server: SandboxProcess) -> dict[str, str]:
    env = {
        **shared_services_env,
        "AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
        # Every failure here comes from 127.0.0.1, over all three set-ups: keep the limit per address
        # (tested in tests/integration/shell/test_sign_in.py) out of the way.
        "AXES_IP_FAILURE_LIMIT": "1000",
        # Both instances talk to the same Telnyx: the test session's sandbox.
        "SANDBOX_URL": sandbox_server.base_url,
        "SANDBOX_API_KEY": sandbox_server.api_key,
    }
    for variable in ("TELNYX_API_KEY", "TELNYX_API_BASE_URL"):
        env.pop(variable, None)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as m\n"
        f"m().objects.create_superuser('root.admin', 'root@example.com', {PASSWORD!r})\n"
        f"m().objects.create_superuser('lock.target', 'lock@example.com', {PASSWORD!r})\n",
    )
    return env


# The production set-up (Redis); a site run without CACHE_URL, where each process has its own cache;
# and the production set-up with Redis down. Sessions and login failures live in the database, so
# all three must behave alike.
@pytest.fixture(scope="module", params=["redis", "per-process-cache", "redis-dead"])
def instances(
    request: pytest.FixtureRequest, site_env: dict[str, str]
) -> Iterator[tuple[RunningServer, RunningServer]]:
    env = dict(site_env)
    if request.param == "per-process-cache":
        env["CACHE_URL"] = "locmemcache://telnyx-admin"
    elif request.param == "redis-dead":
        env["CACHE_URL"] = f"redis://127.0.0.1:{dead_port()}/0"
    with running_dashboard(env=env) as a, running_dashboard(env=env) as b:
        yield a, b


def _sign_in(
    server: RunningServer, username: str, password: str, *, session: requests.Session | None = None
) -> requests.Response:
    """Post the real login form, as a browser would: fetch it for the CSRF token, then submit."""
    session = session or requests.Session()
    form = session.get(server.url + "/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return session.post(
        server.url + "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=10,
    )


def _signed_in_as(server: RunningServer, cookies: dict[str, str]) -> bool:
    """Whether these cookies open the admin index (superusers only) on this instance."""
    response = requests.get(server.url + "/admin/", cookies=cookies, allow_redirects=False, timeout=10)
    if response.status_code == 200:
        assert "Users and groups | Telnyx Admin" in response.text  # the admin index, by its branded title
        return True
    assert response.status_code == 302, response.status_code
    return False


def test_a_session_started_on_one_instance_works_on_the_other(instances):
    a, b = instances

    login = _sign_in(a, "root.admin", PASSWORD)

    assert login.status_code == 302
    cookies = {"sessionid": login.cookies["sessionid"]}
    assert _signed_in_as(b, cookies)
    assert _signed_in_as(a, cookies)


def test_signing_out_on_one_instance_ends_the_session_on_both(instances):
    a, b = instances
    login = _sign_in(a, "root.admin", PASSWORD)
    cookies = {"sessionid": login.cookies["sessionid"], "csrftoken": login.cookies.get("csrftoken", "")}
    if not cookies["csrftoken"]:
        cookies["csrftoken"] = requests.get(a.url + "/accounts/login/", timeout=10).cookies["csrftoken"]
    # Both instances have read (and cached) the session before it ends.
    assert _signed_in_as(a, cookies)
    assert _signed_in_as(b, cookies)

    logout = requests.post(
        b.url + "/accounts/logout/",
        cookies=cookies,
        headers={"X-CSRFToken": cookies["csrftoken"]},
        allow_redirects=False,
        timeout=10,
    )

    assert logout.status_code == 302
    assert not _signed_in_as(b, cookies)
    # A has the session in its cache too: that copy must not outlive the sign-out.
    assert not _signed_in_as(a, cookies)


def test_failed_logins_on_both_instances_add_up_to_one_lockout(instances):
    a, b = instances
    for server in [a, b, a][:FAILURE_LIMIT]:
        failed = _sign_in(server, "lock.target", "wrong-password")
        assert failed.status_code in {200, 429}  # the form again, or the lockout page on the last try
        assert "sessionid" not in failed.cookies

    for server in (b, a):
        attempt = _sign_in(server, "lock.target", PASSWORD)
        assert attempt.status_code == 429, server.url
        assert "sessionid" not in attempt.cookies


def test_a_lockout_is_per_user_not_per_site(instances):
    a, b = instances
    # lock.target is locked out by the test above or locks now; root.admin still signs in on both.
    for _ in range(FAILURE_LIMIT):
        _sign_in(b, "lock.target", "wrong-password")

    assert _sign_in(a, "root.admin", PASSWORD).status_code == 302
    assert _sign_in(b, "root.admin", PASSWORD).status_code == 302


def test_a_write_through_one_instance_is_in_the_audit_log_of_the_other(instances):
    a, b = instances
    browser = requests.Session()  # cookies for 127.0.0.1 go to both instances, as behind one site
    assert _sign_in(a, "root.admin", PASSWORD, session=browser).status_code == 302
    form = browser.get(a.url + "/profiles/new/", timeout=10)
    assert form.status_code == 200
    name = f"Two instances {secrets.token_hex(4)}"

    created = browser.post(
        a.url + "/profiles/new/",
        data=with_values(
            form_values(form.text, form_id="profile-form"), name=name, whitelisted_destinations="US"
        ),
        allow_redirects=False,
        timeout=30,
    )

    assert created.status_code == 302, created.text[-3000:]
    page = browser.get(b.url + "/audit/", timeout=10)
    assert page.status_code == 200
    assert name in page.text
    export = browser.get(b.url + "/audit/?format=csv", timeout=10)
    (entry,) = [row for row in csv.DictReader(io.StringIO(export.text)) if row["object_label"] == name]
    assert entry["user"] == "root.admin"
    assert entry["outcome"] == "success"
    assert "create" in entry["action"]
    # The entry carries the id A gave the request, the same id A's access log line has.
    assert entry["request_id"] == created.headers["X-Request-ID"]
    a.wait_for_log(
        lambda e: e.get("logger") == "gunicorn.access" and e.get("request_id") == entry["request_id"]
    )


def test_both_instances_are_ready_and_say_how_the_cache_is(instances, request):
    expected = {"redis": "ok", "per-process-cache": "local", "redis-dead": "unavailable"}[
        request.node.callspec.params["instances"]
    ]
    for server in instances:
        response = requests.get(server.url + "/readyz", timeout=10)
        assert response.status_code == 200  # Redis down is degraded, never unready
        assert response.json()["checks"]["database"] == "ok"
        assert response.json()["checks"]["cache"] == expected


def test_two_saves_of_one_loaded_form_on_two_instances_apply_exactly_one(instances, sandbox_server):
    """The per-object write lock holds across processes: two people with the same spend-limit form
    open, saving at the same moment through different instances, get one save and one conflict."""
    a, b = instances
    created = sandbox_server.post(
        "/messaging_profiles",
        json={"name": f"Race {secrets.token_hex(4)}", "whitelisted_destinations": ["US"]},
    )
    profile_id = created.json()["data"]["id"]
    people = []
    for server in (a, b):
        browser = requests.Session()
        assert _sign_in(server, "root.admin", PASSWORD, session=browser).status_code == 302
        form = browser.get(f"{server.url}/profiles/{profile_id}/spend-limit/", timeout=10)
        people.append((server, browser, form_values(form.text, form_id="spend-limit-form")))
    amounts = ("611.00", "733.00")
    barrier = threading.Barrier(2)
    answers: list[requests.Response | None] = [None, None]

    def save(index: int) -> None:
        server, browser, values = people[index]
        barrier.wait(timeout=30)
        answers[index] = browser.post(
            f"{server.url}/profiles/{profile_id}/spend-limit/",
            data=with_values(values, daily_spend_limit=amounts[index]),
            allow_redirects=False,
            timeout=60,
        )

    sandbox_server.set_faults(latency_ms=250)  # both saves are at Telnyx's door together
    try:
        threads = [threading.Thread(target=save, args=(index,)) for index in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sandbox_server.clear_faults()

    statuses = [answer.status_code if answer is not None else None for answer in answers]
    assert sorted(statuses) == [200, 302], statuses
    winner = statuses.index(302)
    assert 'data-testid="conflict"' in answers[1 - winner].text
    held = sandbox_server.get(f"/messaging_profiles/{profile_id}").json()["data"]
    assert held["daily_spend_limit"] == amounts[winner]
    export = people[0][1].get(a.url + "/audit/?format=csv", timeout=10)
    rows = [
        row
        for row in csv.DictReader(io.StringIO(export.text))
        if row["object_id"] == profile_id and row["action"] == "profile.spend_limit"
    ]
    assert sorted(row["outcome"] for row in rows) == ["failure", "success"]
