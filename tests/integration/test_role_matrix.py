"""Every URL pattern, every role (and anonymous), GET and POST: against the role matrix (ARCHITECTURE.md).

The URL patterns are read from the root URLconf at collection time, so a new page is covered the
moment it is routed: its key (URL name, or the route for unnamed patterns) MUST have a row in
`MATRIX`, or `test_every_url_pattern_has_a_row` fails. Add your row when you add a URL.

Outcomes asserted for each (pattern, who, method):
  anonymous              redirected to the login page (unless the row is public)
  role without the perm  403 (admin pages: bounced into the admin's own login); NOTHING reaches Telnyx
  method not accepted    403 or 405; nothing reaches Telnyx
  permitted              anything but 401/403/405, a 5xx or a bounce to a login page
and the Telnyx API key appears in no response.

Field by field: spend limits are the account managers', whichever form carries them (create,
duplicate, edit); what support staff post of them changes nothing at Telnyx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = pytest.mark.xdist_group(__name__)

SUPPORT, ACCOUNTS, AUDITOR = "support", "account_manager", "auditor"
ROLES = (SUPPORT, ACCOUNTS, AUDITOR)
EVERY_ROLE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()  # superusers only
WHO = ("anonymous", "groupless", SUPPORT, ACCOUNTS, AUDITOR, "superuser")
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Row:
    """Who may use a URL with which method. None: the method is not accepted at all.

    Superusers may use every accepted method. `public`: anonymous users may too (no sign-in).
    `roleless`: signed-in users without a group may too (they get a 403 everywhere else).
    `admin`: Django admin pages, where users who may not are bounced into the admin's login.
    `signs_out`: a permitted POST ends the session and redirects to a login page.
    `query`: appended to the URL (for views that need parameters to do anything).
    """

    get: frozenset[str] | None
    post: frozenset[str] | None
    public: bool = False
    roleless: bool = False
    admin: bool = False
    signs_out: bool = False
    query: str = ""


def view(roles: frozenset[str], *, post: frozenset[str] | None = None) -> Row:
    return Row(get=roles, post=post)


def form(get: frozenset[str], post: frozenset[str] | None = None) -> Row:
    """A page with a form: GET shows it, POST submits it."""
    return Row(get=get, post=get if post is None else post)


ADMIN = Row(get=NOBODY, post=NOBODY, admin=True)
ADMIN_READ = Row(get=NOBODY, post=None, admin=True)

# fmt: off
MATRIX: dict[str, Row] = {
    # --- shell: sign-in, health, start page, audit --------------------------------------------------
    "home":                          view(EVERY_ROLE),
    "healthz":                       Row(get=EVERY_ROLE, post=None, public=True, roleless=True),
    "readyz":                        Row(get=EVERY_ROLE, post=None, public=True, roleless=True),
    "login":                         Row(get=EVERY_ROLE, post=EVERY_ROLE, public=True, roleless=True),
    "logout":                        Row(get=None, post=EVERY_ROLE, roleless=True, signs_out=True),
    # The header's language switcher (Django's set_language): anyone, signed in or not.
    "set_language":                  Row(get=EVERY_ROLE, post=EVERY_ROLE, public=True, roleless=True),
    "audit:log":                     view(frozenset({AUDITOR})),
    "audit:history":                 view(EVERY_ROLE),
    # --- profiles ------------------------------------------------------------------------------------
    "profiles:list":                 view(EVERY_ROLE),
    "profiles:create":               form(frozenset({SUPPORT})),
    "profiles:detail":               view(EVERY_ROLE),
    "profiles:edit":                 form(frozenset({SUPPORT})),
    "profiles:duplicate":            form(frozenset({SUPPORT})),
    "profiles:spend_limit":          form(frozenset({ACCOUNTS})),
    "profiles:delete":               form(frozenset({SUPPORT})),
    "profiles:phone_numbers":        view(EVERY_ROLE),
    # Everyone sees the tab; binding from it is a support-staff write.
    "profiles:short_codes":          view(EVERY_ROLE, post=frozenset({SUPPORT})),
    # --- account scale: the spend-limit overview, background jobs -------------------------------------
    "spend_limits:overview":         view(EVERY_ROLE),
    # Changing limits from the overview is the spend-limit permission's, field by field: a GET of
    # the bulk or confirm URL goes back to the overview; an empty POST re-shows its form.
    "spend_limits:row":              view(EVERY_ROLE),
    "spend_limits:edit":             form(frozenset({ACCOUNTS})),
    "spend_limits:bulk":             form(frozenset({ACCOUNTS})),
    "spend_limits:import":           form(frozenset({ACCOUNTS})),
    "spend_limits:confirm":          form(frozenset({ACCOUNTS})),
    # The list shows the jobs each person may see; a POST starts a kind they may start (an empty
    # one is refused with a message, not a 403: the permission is per kind).
    "jobs:list":                     Row(get=EVERY_ROLE, post=EVERY_ROLE),
    # The seeded job is a phone-number count, whose kind every role may view and cancel. A kind
    # with a narrower permission: tests/integration/jobs/test_job_pages.py.
    "jobs:detail":                   view(EVERY_ROLE),
    "jobs:cancel":                   form(EVERY_ROLE),
    # --- the number index: lookup, exports; anyone who may look may ask for a refresh (a read) ---------
    "numbers:list":                  view(EVERY_ROLE),
    "numbers:refresh":               Row(get=None, post=EVERY_ROLE),
    "numbers:profile_summary":       view(EVERY_ROLE),
    # --- short codes -----------------------------------------------------------------------------------
    "shortcodes:list":               view(EVERY_ROLE),
    "shortcodes:profile_options":    view(EVERY_ROLE),
    # Bulk bind/unbind: GET goes back to the list; POST previews or confirms (support staff only).
    "shortcodes:bulk":               form(frozenset({SUPPORT})),
    "shortcodes:detail":             view(EVERY_ROLE),
    "shortcodes:bind":               Row(get=None, post=frozenset({SUPPORT})),
    "shortcodes:unbind":             form(frozenset({SUPPORT})),
    "shortcodes:tags":               Row(get=None, post=frozenset({SUPPORT})),
    # --- Django admin: users and groups, superusers only ------------------------------------------
    "admin:login":                   Row(get=EVERY_ROLE, post=EVERY_ROLE, public=True, roleless=True),
    "admin:logout":                  Row(get=None, post=NOBODY, admin=True, signs_out=True),
    "admin:index":                   ADMIN,
    "admin:password_change":         ADMIN,
    "admin:password_change_done":    ADMIN_READ,
    "admin:autocomplete":            Row(get=NOBODY, post=None, admin=True,
                                         query="?app_label=auth&model_name=user&field_name=groups&term=a"),
    "admin:jsi18n":                  ADMIN_READ,
    "admin:view_on_site":            ADMIN,
    "admin:app_list":                ADMIN,
    "admin:auth_group_changelist":   ADMIN,
    "admin:auth_group_add":          ADMIN,
    "admin:auth_group_history":      ADMIN,
    "admin:auth_group_delete":       ADMIN,
    "admin:auth_group_change":       ADMIN,
    "admin/auth/group/<path:object_id>/": ADMIN,
    "admin:auth_user_password_change": ADMIN,
    "admin:auth_user_changelist":    ADMIN,
    "admin:auth_user_add":           ADMIN,
    "admin:auth_user_history":       ADMIN,
    "admin:auth_user_delete":        ADMIN,
    "admin:auth_user_change":        ADMIN,
    "admin/auth/user/<path:object_id>/": ADMIN,
    "admin/(?P<url>.*)$":            ADMIN,
}
# fmt: on


# --- walking the URLconf ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the full route when the pattern has no name
    route: str  # the full route, e.g. "profiles/<profile_id:profile_id>/edit/"
    regex: bool  # the last segment is a regular expression


def _walk(patterns, prefix: str = "", namespace: str | None = None, regex: bool = False) -> Iterator[Pattern]:
    for entry in patterns:
        is_regex = regex or isinstance(entry.pattern, RegexPattern)
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, inner, is_regex)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            key = name or route
            yield Pattern(key=key, route=route, regex=is_regex)


PATTERNS = list(_walk(get_resolver().url_patterns))


def _value_for(name: str, pattern: Pattern, seeds: dict[str, str]) -> str:
    if name == "job_id":
        return seeds["job"]
    if name == "object_type":
        return "messaging_profile"
    if name == "app_label":
        return "auth"
    if name == "url":
        return "no-such-page/"
    if name == "content_type_id":
        return seeds["user_content_type"]
    if pattern.route.startswith("admin/"):
        return seeds["user"]
    if "short_code" in name or (name in {"id", "pk"} and pattern.key.startswith("shortcodes:")):
        return seeds["short_code"]
    if "profile" in name or name in {"object_id", "id", "pk"}:
        return seeds["profile"]
    return PLACEHOLDER_ID


def url_for(pattern: Pattern, seeds: dict[str, str]) -> str:
    route = pattern.route
    # Route converters: <name> or <converter:name>.
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: _value_for(m.group(1), pattern, seeds), route)
    # Regex groups: (?P<name>...) — fill with a value that the group accepts.
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _value_for(m.group(1), pattern, seeds), route)
    return "/" + route.replace("^", "").replace("$", "") + MATRIX[pattern.key].query


# --- expectations -----------------------------------------------------------------------------

OK, LOGIN, FORBIDDEN, REFUSED_METHOD, ADMIN_BOUNCE = (
    "ok",
    "login",
    "forbidden",
    "refused-method",
    "admin-bounce",
)


def expected(row: Row, who: str, method: str) -> str:
    allowed = row.get if method == "GET" else row.post
    if who == "anonymous":
        if not row.public:
            return LOGIN
        return OK if allowed is not None else REFUSED_METHOD
    if who == "groupless" and not row.roleless:
        return FORBIDDEN
    if allowed is None:
        return REFUSED_METHOD
    if who in ("superuser", "groupless") or who in allowed:
        return OK
    return ADMIN_BOUNCE if row.admin else FORBIDDEN


def outcome_problem(row: Row, outcome: str, response) -> str | None:
    status = response.status_code
    location = response.get("Location", "")
    if outcome == LOGIN:
        # The admin's pages send anonymous users to the admin's own login form.
        at_login = re.match(r"^/(accounts|admin)/login/\?next=", location)
        return None if status == 302 and at_login else "expected login redirect"
    if outcome == FORBIDDEN:
        return None if status == 403 else "expected 403"
    if outcome == REFUSED_METHOD:
        # Admin pages bounce users who may not use them before looking at the method.
        bounced_in_admin = row.admin and status == 302 and location.startswith("/admin/")
        return None if status in (403, 405) or bounced_in_admin else "expected 403/405"
    if outcome == ADMIN_BOUNCE:
        return (
            None
            if status == 302 and location.startswith("/admin/")
            else "expected a bounce into the admin login"
        )
    bounced = status == 302 and ("/login/" in location) and not row.signs_out
    if status in (401, 403, 405) or status >= 500 or bounced:
        return "expected to be allowed"
    return None


# --- the tests --------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row():
    keys = [pattern.key for pattern in PATTERNS]
    missing = sorted(set(keys) - set(MATRIX))
    assert not missing, f"Add these URL patterns to MATRIX in {__name__}: {missing}"
    stale = sorted(set(MATRIX) - set(keys))
    assert not stale, f"MATRIX has rows for URL patterns that no longer exist: {stale}"


@pytest.fixture(scope="module")
def sandbox_seeds(sandbox_server) -> dict[str, str]:
    sandbox_server.clear_faults()  # an earlier test may have left some
    sandbox_server.reset()
    profiles = sandbox_server.get("/messaging_profiles", params={"page[size]": 1}).json()["data"]
    short_codes = sandbox_server.get("/short_codes", params={"page[size]": 1}).json()["data"]
    return {
        "profile": profiles[0]["id"] if profiles else PLACEHOLDER_ID,
        "short_code": short_codes[0]["id"] if short_codes else PLACEHOLDER_ID,
    }


@pytest.fixture
def seeds(sandbox_seeds, sandbox, superuser) -> Iterator[dict[str, str]]:
    from django.contrib.contenttypes.models import ContentType

    from jobs.kinds import PlannedRow
    from jobs.services import job_create

    job = job_create(
        kind="profiles.count_phone_numbers",
        actor=superuser,
        rows=[PlannedRow(object_id=sandbox_seeds["profile"], label="seed profile")],
    )
    yield {
        **sandbox_seeds,
        "job": str(job.pk),
        "user": str(superuser.pk),
        "user_content_type": str(ContentType.objects.get_for_model(superuser).pk),
    }
    # A permitted POST may have written to Telnyx (a delete needs no form data): restore the seed.
    if sandbox.stats()["requests"]:
        sandbox.reset()


@pytest.fixture
def clients(role_users) -> dict[str, Client]:
    signed_in = {}
    for who in WHO:
        client = Client()
        if who != "anonymous":
            client.force_login(role_users[who])
        signed_in[who] = client
    return signed_in


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.key in MATRIX], ids=lambda p: p.key)
def test_the_role_matrix(pattern, seeds, clients, telnyx_settings, role_users):
    row = MATRIX[pattern.key]
    url = url_for(pattern, seeds)
    cases = [(who, method, expected(row, who, method)) for who in WHO for method in ("GET", "POST")]
    problems: list[str] = []
    api_key = telnyx_settings.api_key.encode()

    def run(who: str, method: str, outcome: str) -> None:
        client = clients[who]
        response = client.get(url) if method == "GET" else client.post(url, {})
        problem = outcome_problem(row, outcome, response)
        if problem:
            where = response.get("Location", "")
            problems.append(
                f"{method} {url} as {who}: {problem}, got {response.status_code} {where}".rstrip()
            )
        if api_key in _body(response):
            problems.append(f"{method} {url} as {who}: the Telnyx API key is in the response")
        if who != "anonymous" and method == "POST" and outcome == OK and row.signs_out:
            client.force_login(role_users[who])  # it did sign out; later cases need the session

    # Refusals first, as one batch, so the sandbox's counters show whether any of them reached Telnyx.
    refusals = [case for case in cases if case[2] != OK]
    telnyx_settings.clear_stats()
    for case in refusals:
        run(*case)
    reached = telnyx_settings.stats()["total_requests"]
    if reached:
        problems.append(f"{reached} Telnyx request(s) were made by refused requests to {url}")

    for case in cases:
        if case[2] == OK:
            run(*case)

    assert not problems, "\n".join(problems)


# --- the matrix field by field: spend limits ----------------------------------------------------------

SPEND_FORMS = ("create", "duplicate", "edit")
# What the source profile holds, and what a create without spend-limit fields gets at Telnyx.
LIMIT_BEFORE = ("100.00", False)
LIMIT_POSTED = ("777.00", True)


def _spend_post(client: Client, form: str, source: dict, name: str):
    """Post one profile form with the spend-limit fields set, as a crafted (or real) browser would."""
    from profiles.forms import ProfileCreateForm, ProfileEditForm
    from tests.fixtures.profile_writes import resubmit

    limit, enabled = LIMIT_POSTED
    spend = {"daily_spend_limit": limit, "daily_spend_limit_enabled": enabled}
    if form == "edit":
        data = resubmit(ProfileEditForm(profile=source, with_spend_limit=True), alpha_sender="ROLES", **spend)
        return client.post(f"/profiles/{source['id']}/edit/", data)
    shown = ProfileCreateForm.copying(source, with_spend_limit=True)
    data = resubmit(shown, name=name, **spend)
    url = "/profiles/new/" if form == "create" else f"/profiles/{source['id']}/duplicate/"
    return client.post(url, data)


def _written_profile(sandbox, form: str, source: dict, name: str) -> dict:
    """The profile the form wrote, read back from Telnyx (the sandbox)."""
    if form == "edit":
        return sandbox.get(f"/messaging_profiles/{source['id']}").json()["data"]
    (created,) = sandbox.get("/messaging_profiles", params={"filter[name][eq]": name}).json()["data"]
    return created


@pytest.mark.django_db
@pytest.mark.parametrize("form", SPEND_FORMS)
@pytest.mark.parametrize(
    ("who", "limit_after", "spend_entries"),
    [
        # Support staff: the fields are not in their forms; a crafted post of them is ignored.
        pytest.param("support_client", LIMIT_BEFORE, 0, id="support"),
        # Also an account manager (only support staff may use these forms at all): the same post
        # sets the limit, audited as a spend-limit change.
        pytest.param("support_manager_client", LIMIT_POSTED, 1, id="support+account_manager"),
    ],
)
def test_only_account_managers_change_spend_limits_from_any_form(
    request, make_profile, telnyx_settings, form, who, limit_after, spend_entries
):
    from tests.fixtures.profile_writes import audit_entries

    source = make_profile(daily_spend_limit=LIMIT_BEFORE[0], daily_spend_limit_enabled=LIMIT_BEFORE[1])
    name = f"Spend roles {form} {source['id'][:8]}"

    response = _spend_post(request.getfixturevalue(who), form, source, name)

    assert response.status_code == 302, response.content.decode()[:2000]
    held = _written_profile(telnyx_settings, form, source, name)
    assert (held["daily_spend_limit"], held["daily_spend_limit_enabled"]) == limit_after
    if form == "edit":
        assert held["alpha_sender"] == "ROLES"  # the rest of the form was saved
    limit_entries = audit_entries(action="profile.spend_limit")
    assert len(limit_entries) == spend_entries
    for entry in limit_entries:
        assert (entry.object_id, entry.outcome) == (held["id"], "success")
        assert entry.changes["daily_spend_limit"]["after"] == LIMIT_POSTED[0]
    # Never audited as anything else: no other entry carries the spend-limit fields.
    others = [entry for entry in audit_entries() if entry.action != "profile.spend_limit"]
    assert others and not any(
        {"daily_spend_limit", "daily_spend_limit_enabled"} & set(entry.changes or {}) for entry in others
    )
