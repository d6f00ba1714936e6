"""Security sweep over the whole dashboard, against the live sandbox.

- CSRF: every URL pattern of the URLconf (so every POST endpoint) refuses a POST without a valid
  token, signed in or not, and nothing reaches Telnyx; the same POST with the token goes through.
- Stored XSS: profile names and short-code tags carrying HTML/JS (created through the sandbox API)
  are escaped on every page and partial that shows them, and the search box escapes what is typed.
  (The same pages in Chromium, where no dialog may open: tests/browser/security/.)
- Secrets: the API key and every profile's `v1_secret` appear in no response body or header across
  a crawl of every page and partial as each role, nor in any log record or formatted log line.
- Open redirects: `next` pointing elsewhere is ignored by sign-in and sign-out.
- Headers: CSP with a per-response nonce and no 'unsafe-inline', nosniff, Referrer-Policy, framing
  refused; under production settings (gunicorn, TLS at the proxy) HSTS, Secure cookies, HTTPS redirect.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from devservers.dashboard import manage, migrate, production_env, running_dashboard
from telnyx_admin.log_redaction import SecretRedactionFilter
from telnyx_admin.logging import JsonFormatter
from tests.fixtures.users import USER_PASSWORD
from tests.integration.security.sweep import concrete_urls, crawl, routes

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = pytest.mark.xdist_group(__name__)

# --- shared set-up ------------------------------------------------------------------------------------


@pytest.fixture
def samples(telnyx_settings, superuser) -> dict[str, str]:
    """A value for every URL parameter of the URLconf: real sandbox objects where the view reads them."""
    from jobs.kinds import PlannedRow
    from jobs.services import job_create

    profile = telnyx_settings.get("/messaging_profiles").json()["data"][0]
    code = telnyx_settings.get("/short_codes").json()["data"][0]
    job = job_create(
        kind="profiles.count_phone_numbers", actor=superuser, rows=[PlannedRow(object_id=profile["id"])]
    )
    return {
        "job_id": str(job.pk),
        "profile_id": profile["id"],
        "short_code_id": code["id"],
        "object_type": "messaging_profile",
        "object_id": profile["id"],  # the audit history of a profile; the admin finds no user by it
        "id": str(superuser.pk),
        "app_label": "auth",
        "content_type_id": "1",
        "url": "anything/",
    }


def _write_calls(sandbox) -> dict[str, int]:
    return {route: n for route, n in sandbox.stats()["requests"].items() if not route.startswith("GET ")}


# --- CSRF ---------------------------------------------------------------------------------------------

# The writes of the dashboard: if enumeration ever stopped finding these, the sweep would prove nothing.
WRITE_VIEWS = {
    "login",
    "logout",
    "profiles:create",
    "profiles:edit",
    "profiles:spend_limit",
    "profiles:delete",
    "profiles:short_codes",
    "shortcodes:bind",
    "shortcodes:unbind",
    "shortcodes:tags",
    "jobs:list",
    "jobs:cancel",
    "admin:auth_user_add",
    "admin:auth_user_change",
    "admin:auth_user_delete",
    "admin:auth_user_password_change",
}


def test_no_view_is_exempt_from_csrf():
    exempt = [
        route.name or route.route for route in routes() if getattr(route.callback, "csrf_exempt", False)
    ]
    assert exempt == []


@pytest.mark.parametrize("who", ["superuser", "support", "anonymous"])
def test_every_post_without_a_csrf_token_is_refused(who, samples, telnyx_settings, role_users):
    urls, unbuilt = concrete_urls(samples)
    assert unbuilt == []
    assert set(urls) >= WRITE_VIEWS
    client = Client(enforce_csrf_checks=True)
    if who != "anonymous":
        client.force_login(role_users[who])
    # A token from another session is no token at all.
    forged = Client(enforce_csrf_checks=True).get(reverse("login")).cookies["csrftoken"].value

    refused = {}
    for name, url in urls.items():
        form = {"name": "CSRF probe", "confirm_name": "x", "action": "unbind", "short_code_id": "x"}
        plain = client.post(url, form)
        with_header = client.post(url, form, HTTP_X_CSRFTOKEN=forged, HTTP_HX_REQUEST="true")
        refused[name] = (plain.status_code, with_header.status_code)
        for response in (plain, with_header):
            assert response.status_code == 403, (name, url, response.status_code)
            assert b"CSRF verification failed" in response.content, (name, url)

    assert len(refused) == len(list(routes()))
    assert _write_calls(telnyx_settings) == {}


def test_the_same_post_with_its_token_goes_through(telnyx_settings, support_user, make_profile):
    """Proves the refusals above are about the token: with it, the edit is saved."""
    profile = make_profile()
    client = Client(enforce_csrf_checks=True)
    client.force_login(support_user)
    page = client.get(reverse("profiles:edit", args=[profile["id"]]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    form = {
        "csrfmiddlewaretoken": token,
        "updated_at": profile["updated_at"],
        "name": profile["name"],
        "enabled": "on",
        "webhook_url": "https://hooks.example.com/after",
        "webhook_api_version": "2",
        "whitelisted_destinations": ["US", "CA"],
        "daily_spend_limit": "100.00",
    }

    response = client.post(reverse("profiles:edit", args=[profile["id"]]), form)

    assert response.status_code == 302
    saved = telnyx_settings.get(f"/messaging_profiles/{profile['id']}").json()["data"]
    assert saved["webhook_url"] == "https://hooks.example.com/after"


# --- stored and reflected XSS -------------------------------------------------------------------------

NAME_PAYLOAD = "<script>alert('xss-name')</script>\"><img src=x onerror=alert('xss-img')> Payload"
TAG_PAYLOAD = "<svg onload=alert('xss-tag')>"
QUERY_PAYLOAD = "\"><script>alert('xss-q')</script>"
RAW_MARKERS = ("<script>alert(", "<img src=x", "<svg onload")


@pytest.fixture
def payloads(telnyx_settings, sandbox_profile, restore_seed) -> Iterator[dict[str, str]]:
    """A profile named with HTML/JS, a short code bound to it and tagged with HTML/JS."""
    profile = sandbox_profile(name=NAME_PAYLOAD)
    code = telnyx_settings.get("/short_codes").json()["data"][0]
    answer = telnyx_settings.patch(
        f"/short_codes/{code['id']}",
        json={"messaging_profile_id": profile["id"], "tags": [TAG_PAYLOAD, "ok"]},
    )
    assert answer.status_code == 200, answer.text
    # Created at Telnyx behind the dashboard's back: a cached profile catalog (shared through Redis
    # with earlier tests) would show it only once rebuilt. Start from a fresh one, as after a write.
    from profiles import directory

    directory.invalidate()
    yield {"profile_id": profile["id"], "short_code_id": code["id"]}


def _assert_inert(response, *, shows: tuple[str, ...] = ()) -> str:
    body = response.content.decode()
    assert response.status_code == 200, response.status_code
    for marker in RAW_MARKERS:
        assert marker not in body, marker
    for text in shows:
        # Escaped, and really there: a page that dropped the text would prove nothing.
        assert html.escape(text) in body or html.escape(text, quote=False) in body, text
    return body


def test_payload_names_and_tags_render_inert_on_every_page(
    payloads, support_client, auditor_client, settings
):
    profile_id, code_id = payloads["profile_id"], payloads["short_code_id"]
    hx = {"HTTP_HX_REQUEST": "true"}
    name = NAME_PAYLOAD

    _assert_inert(support_client.get("/profiles/", {"q": "Payload"}), shows=(name,))
    _assert_inert(support_client.get("/profiles/", {"q": "Payload"}, **hx), shows=(name,))
    _assert_inert(support_client.get(f"/profiles/{profile_id}/"), shows=(name,))
    _assert_inert(support_client.get(f"/profiles/{profile_id}/edit/"), shows=(name,))
    _assert_inert(support_client.get(f"/profiles/{profile_id}/delete/"), shows=(name,))
    _assert_inert(support_client.get(f"/profiles/{profile_id}/short-codes/", **hx), shows=(TAG_PAYLOAD,))
    _assert_inert(support_client.get("/short-codes/"), shows=(name, TAG_PAYLOAD))
    _assert_inert(support_client.get("/short-codes/", {"profile": profile_id}), shows=(name,))
    _assert_inert(support_client.get(f"/short-codes/{code_id}/"), shows=(name, TAG_PAYLOAD))
    _assert_inert(
        support_client.get("/short-codes/profile-options/", {"name_contains": "Payload"}), shows=(name,)
    )

    # Through the dashboard, so the audit log and history carry the payload as label and value.
    page = support_client.get(f"/short-codes/{code_id}/")
    stamp = re.search(r'name="updated_at" value="([^"]*)"', page.content.decode())[1]
    tagged = support_client.post(
        f"/short-codes/{code_id}/tags/",
        {"updated_at": stamp, "op": "save", "tags": [TAG_PAYLOAD, "ok", "<b>bold</b>"]},
    )
    assert tagged.status_code == 302
    _assert_inert(auditor_client.get("/audit/"), shows=(TAG_PAYLOAD,))
    _assert_inert(auditor_client.get(f"/audit/history/short_code/{code_id}/", **hx), shows=(TAG_PAYLOAD,))
    assert "<b>bold</b>" not in auditor_client.get("/audit/").content.decode()


def test_typed_search_text_is_escaped(telnyx_settings, support_client):
    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        body = support_client.get("/profiles/", {"q": QUERY_PAYLOAD}, **extra).content.decode()
        assert "<script>alert('xss-q')" not in body
    body = support_client.get(
        "/short-codes/profile-options/", {"name_contains": QUERY_PAYLOAD}
    ).content.decode()
    assert "<script>alert('xss-q')" not in body


# --- secrets ------------------------------------------------------------------------------------------


def _all_v1_secrets(sandbox) -> set[str]:
    secrets_: set[str] = set()
    page = 1
    while True:
        answer = sandbox.get("/messaging_profiles", params={"page[number]": page, "page[size]": 250}).json()
        secrets_ |= {profile["v1_secret"] for profile in answer["data"] if profile.get("v1_secret")}
        if page >= answer["meta"]["total_pages"]:
            return secrets_
        page += 1


ROLES = ["support", "account_manager", "auditor", "superuser", "groupless"]


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_secret_in_any_page_header_or_log_line_as(role, role_users, telnyx_settings, samples, caplog):
    secrets_ = {telnyx_settings.api_key, *_all_v1_secrets(telnyx_settings)}
    assert len(secrets_) > 10
    client = Client()
    client.force_login(role_users[role])
    urls, _ = concrete_urls(samples)
    start = ["/", *(url for name, url in urls.items() if not name.startswith("admin") and name != "logout")]
    if role == "superuser":
        start.append("/admin/")
    caplog.set_level(logging.DEBUG)

    fetched = crawl(client, start=start, per_shape=2, max_pages=160)

    assert len(fetched) > 20
    leaks = [
        f"{page.url} (htmx={page.htmx})"
        for page in fetched
        if any(secret in page.body or secret in page.headers for secret in secrets_)
    ]
    assert leaks == []
    statuses = {page.status for page in fetched}
    assert 500 not in statuses
    if role != "groupless":
        assert any(page.status == 200 and page.htmx for page in fetched)  # partials were swept too
        shapes = {re.sub(r"[0-9a-f-]{36}", "{id}", page.url.split("?")[0]) for page in fetched}
        assert "/profiles/{id}/" in shapes and "/short-codes/{id}/" in shapes
    formatter, redaction = JsonFormatter(), SecretRedactionFilter()
    logged = []
    for record in caplog.records:
        redaction.filter(record)
        line = formatter.format(record)
        if any(secret in line or secret in record.getMessage() for secret in secrets_):
            logged.append(line[:200])
    assert logged == []


# --- open redirects -----------------------------------------------------------------------------------

EVIL_NEXTS = [
    "https://evil.example",
    "https://evil.example/profiles/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    " //evil.example",
    "/%2F%2Fevil.example",
    "http://testserver@evil.example",
    "javascript:alert(1)",
]


def _stays_on_site(location: str) -> bool:
    parts = urlsplit(location)
    return (
        not parts.scheme
        and not parts.netloc
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
    )


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_sign_in_ignores_a_next_pointing_elsewhere(evil, support_user):
    client = Client()
    response = client.post(
        reverse("login"), {"username": support_user.username, "password": USER_PASSWORD, "next": evil}
    )

    assert response.status_code == 302
    assert _stays_on_site(response["Location"]), response["Location"]

    # Already signed in, the login page redirects at once: also never off-site.
    again = client.get(reverse("login"), {"next": evil})
    assert again.status_code == 302
    assert _stays_on_site(again["Location"]), again["Location"]

    out = client.post(reverse("logout"), {"next": evil})
    assert out.status_code == 302
    assert _stays_on_site(out["Location"]), out["Location"]


def test_sign_in_honours_a_next_on_the_site(support_user):
    """The refusals above are not a `next` that is always ignored."""
    response = Client().post(
        reverse("login"),
        {"username": support_user.username, "password": USER_PASSWORD, "next": "/short-codes/"},
    )
    assert response["Location"] == "/short-codes/"


def test_the_login_form_escapes_next():
    body = Client().get(reverse("login"), {"next": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in body


# --- security headers ---------------------------------------------------------------------------------

_NONCE = re.compile(r"'nonce-([^']+)'")


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _assert_common_headers(response, *, full_page: bool = True) -> None:
    policy = _policy(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    # Scripts only from our origin, or carrying this response's nonce. Django adds the nonce when a
    # template used it (a full page's htmx tag); a partial has no script, so nothing but 'self'.
    nonces = [item for item in policy["script-src"] if item.startswith("'nonce-")]
    assert [item for item in policy["script-src"] if item not in nonces] == ["'self'"]
    assert len(nonces) == (1 if full_page else 0)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_security_headers_on_pages_partials_and_errors(telnyx_settings, support_client):
    pages = [
        Client().get(reverse("login")),
        support_client.get("/profiles/"),
        support_client.get("/no-such-page/"),
        support_client.get("/short-codes/"),
    ]
    for response in pages:
        _assert_common_headers(response)
    _assert_common_headers(support_client.get("/profiles/", HTTP_HX_REQUEST="true"), full_page=False)

    # The nonce is fresh per response and is the one the page's own <script> tags carry.
    first, second = (support_client.get("/profiles/") for _ in range(2))
    nonces = [_NONCE.search(r["Content-Security-Policy"])[1] for r in (first, second)]
    assert nonces[0] != nonces[1]
    scripts = re.findall(r"<script[^>]*>", first.content.decode())
    assert scripts
    assert all(f'nonce="{nonces[0]}"' in tag for tag in scripts if "src=" not in tag or "htmx" in tag)


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, sandbox_server, collected_static):
    """The dashboard under gunicorn with every production security setting on (TLS at a proxy)."""
    workdir = tmp_path_factory.mktemp("secure-site")
    env = production_env(
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        CACHE_URL="locmemcache://secure-site",
        STATIC_ROOT=str(collected_static),
        SECURE_SSL_REDIRECT="1",
        SECURE_COOKIES="1",
        TELNYX_API_BASE_URL=sandbox_server.api_url,
        TELNYX_API_KEY=sandbox_server.api_key,
    )
    migrate(env)
    manage(env, "seed_demo", "--force", "--password", USER_PASSWORD)
    with running_dashboard(env=env) as server:
        yield server


def _sign_in_behind_tls(url: str, username: str) -> tuple[requests.Response, dict[str, str]]:
    """Sign in as a browser behind the TLS proxy would; returns the answer and headers for later pages.

    The cookies are Secure, so `requests` would not send them to this plain-HTTP loopback URL on its
    own: they go in a Cookie header, as the proxy forwards them.
    """
    host = urlsplit(url).netloc
    behind_tls = {"X-Forwarded-Proto": "https"}
    page = requests.get(url + "/accounts/login/", headers=behind_tls, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = requests.post(
        url + "/accounts/login/",
        data={"username": username, "password": USER_PASSWORD, "csrfmiddlewaretoken": token},
        headers={
            **behind_tls,
            "Cookie": f"csrftoken={page.cookies['csrftoken']}",
            "Origin": f"https://{host}",
            "Referer": f"https://{host}/accounts/login/",
        },
        allow_redirects=False,
        timeout=10,
    )
    session = answer.cookies.get("sessionid", "")
    return answer, {**behind_tls, "Cookie": f"sessionid={session}"}


def test_production_settings_send_hsts_and_secure_cookies(production_site):
    url = production_site.url

    plain = requests.get(url + "/accounts/login/", allow_redirects=False, timeout=10)
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://")

    page = requests.get(url + "/accounts/login/", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    _assert_common_headers(page)
    assert "Secure" in page.headers["Set-Cookie"]  # the CSRF cookie

    signed_in, _ = _sign_in_behind_tls(url, "support")
    assert signed_in.status_code == 302, signed_in.text[:300]
    cookie = signed_in.headers["Set-Cookie"]
    assert "sessionid=" in cookie and "Secure" in cookie and "HttpOnly" in cookie

    # Health probes stay reachable over plain HTTP inside the network.
    assert requests.get(url + "/healthz", timeout=10).status_code == 200


def test_production_logs_carry_no_secret(production_site, sandbox):
    """After a signed-in browse, gunicorn's JSON output (Django's and the access log) holds no secret."""
    url = production_site.url
    signed_in, headers = _sign_in_behind_tls(url, "auditor")
    assert signed_in.status_code == 302
    for path in ("/profiles/", "/short-codes/", "/audit/", "/profiles/?q=a"):
        answer = requests.get(url + path, headers=headers, allow_redirects=False, timeout=10)
        assert answer.status_code == 200, path
        assert "Strict-Transport-Security" in answer.headers

    lines = production_site.log_lines()
    assert any('"telnyx_method"' in line for line in lines)  # Telnyx calls were logged
    assert not [line for line in lines if sandbox.api_key in line]
