"""Differential test: the profile forms accept exactly what the API (the live sandbox) accepts.

Hypothesis generates what a person could type into the create and edit forms, a mix of valid and invalid
values per field (blanks, whitespace, unicode, trailing newlines, huge, negative and non-finite numbers, bad
URLs, lowercase and unassigned country codes, "*" mixed with countries, strings around the 11/64/2000
limits). Each input is turned into the API request it stands for by the representation rules below
(written here, not taken from the forms), sent to the sandbox over HTTP, and:

- the form is valid exactly when the sandbox answers 200 (a 400 or 422 is a rejection; anything else fails),
  for every input without a NUL character (the forms refuse NUL on purpose);
- when both accept, the form's payload is the request that was sent (`to_payload()`; on edit, the form's
  `api_values()` less what the profile holds already, as the write path sends it).

Representation rules (what typed input means at the API):
- text is sent as typed; blank `alpha_sender` / `resource_group_id` / `ai_assistant_id` mean null; a blank
  URL means ""; a blank spend limit means "leave it out" on create and "" on update;
- a weight typed in decimal notation (ASCII digits, optional sign, point and exponent; surrounding spaces
  ignored) means that JSON number, int when it has no point or exponent; anything else is sent as the
  string typed; a blank weight is left out;
- a toggle that is off means null for the whole object, whatever its fields hold;
- on update, only attributes whose meaning differs from the profile's are sent (null URL == "").

The sandbox validates with its own schema (sandbox/), written independently from the same contract.
"""

from __future__ import annotations

import json
import math
import os
import re
import string
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pycountry
import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from devservers.sandbox_process import SandboxProcess
from profiles.forms import ProfileCreateForm, ProfileEditForm
from profiles.readback import PROFILE as PROFILE_KIND
from telnyx_admin.telnyx.profiles import MessagingProfile
from tests.unit.profiles.form_inputs import post, resubmission

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

# The same depth in CI as on a laptop, so that a green `make test` means a green CI leg; each run
# draws new examples. FORM_API_EXAMPLES=2000 (or more) is the deeper run, by hand.
EXAMPLES = int(os.environ.get("FORM_API_EXAMPLES") or 300)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
OUTCOMES: Counter[str] = Counter()
MISSING = object()

# --- what typed input means at the API -------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def meant_weight(typed: str) -> Any:
    text = typed.strip()
    if not text:
        return MISSING
    if not _DECIMAL.fullmatch(text):
        return typed
    return float(text) if any(mark in text for mark in ".eE") else int(text)


def meant_nullable(typed: str) -> str | None:
    return None if typed == "" else typed


def meant_pool(data: dict[str, Any]) -> dict[str, Any] | None:
    if not data["number_pool_enabled"]:
        return None
    pool = {
        "toll_free_weight": meant_weight(data["number_pool_settings__toll_free_weight"]),
        "long_code_weight": meant_weight(data["number_pool_settings__long_code_weight"]),
        "skip_unhealthy": data["number_pool_settings__skip_unhealthy"],
        "sticky_sender": data["number_pool_settings__sticky_sender"],
        "geomatch": data["number_pool_settings__geomatch"],
    }
    return {key: value for key, value in pool.items() if value is not MISSING}


def meant_shortener(data: dict[str, Any]) -> dict[str, Any] | None:
    if not data["url_shortener_enabled"]:
        return None
    return {
        "domain": data["url_shortener_settings__domain"],
        "prefix": data["url_shortener_settings__prefix"],
        "replace_blacklist_only": data["url_shortener_settings__replace_blacklist_only"],
        "send_webhooks": data["url_shortener_settings__send_webhooks"],
    }


def meant_common(data: dict[str, Any]) -> dict[str, Any]:
    """The attributes both contracts share, from typed form data."""
    meant = {
        "name": data["name"],
        "whitelisted_destinations": list(data["whitelisted_destinations"]),
        "webhook_url": data["webhook_url"],
        "webhook_failover_url": data["webhook_failover_url"],
        "webhook_api_version": data["webhook_api_version"],
        "alpha_sender": meant_nullable(data["alpha_sender"]),
        "daily_spend_limit": data["daily_spend_limit"],
        "number_pool_settings": meant_pool(data),
        "url_shortener_settings": meant_shortener(data),
    }
    for flag in BOOLEANS:
        meant[flag] = data[flag]
    return meant


def meant_create(data: dict[str, Any]) -> dict[str, Any]:
    meant = meant_common(data)
    meant["health_webhook_url"] = data["health_webhook_url"]
    meant["resource_group_id"] = meant_nullable(data["resource_group_id"])
    meant["ai_assistant_id"] = meant_nullable(data["ai_assistant_id"])
    if meant["daily_spend_limit"] == "":
        del meant["daily_spend_limit"]
    return meant


def _same(name: str, new: Any, old: Any) -> bool:
    if name in ("webhook_url", "webhook_failover_url", "daily_spend_limit"):
        return (new or "") == (old or "")
    return new == old


def meant_patch(data: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value for name, value in meant_common(data).items() if not _same(name, value, profile.get(name))
    }


# --- talking to the sandbox ------------------------------------------------------------------------------

_BIG = "\x00non-finite\x00"


def json_body(payload: dict[str, Any]) -> bytes:
    """The request body. A typed number beyond float range is sent as the JSON number 1e999 (or -1e999):
    valid JSON text that no double holds, which is what such input means."""

    def swap(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return f"{_BIG}{'-' if value < 0 else ''}"
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        return value

    text = json.dumps(swap(payload), ensure_ascii=False, allow_nan=False)
    text = text.replace(json.dumps(f"{_BIG}-"), "-1e999").replace(json.dumps(_BIG), "1e999")
    return text.encode()


def send(sandbox: SandboxProcess, method: str, path: str, payload: dict[str, Any]) -> requests.Response:
    response = sandbox.session.request(
        method,
        f"{sandbox.api_url}{path}",
        data=json_body(payload),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code in (200, 201, 400, 422), (
        f"sandbox answered {response.status_code} to {method} {path} {payload!r}: {response.text[:500]}"
    )
    return response


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def compare(
    *, what: str, form_valid: bool, form: Any, response: requests.Response, sent: dict[str, Any]
) -> None:
    api_ok = response.status_code in (200, 201)
    OUTCOMES[f"{what}: form {'accepts' if form_valid else 'rejects'}, API {response.status_code}"] += 1
    event(f"form {'accepts' if form_valid else 'rejects'}, API {response.status_code}")
    assert form_valid == api_ok, (
        f"{what} disagreement: form {'accepts' if form_valid else 'rejects'} "
        f"({dict(form.errors)!r}), sandbox {response.status_code} ({response.text[:800]}) for {sent!r}"
    )


@pytest.fixture(scope="module")
def api(sandbox_server: SandboxProcess) -> Iterator[SandboxProcess]:
    # Session-wide sandbox, used directly: Hypothesis runs many examples per test function, which a
    # function-scoped fixture would not reset between. Every example deletes what it created.
    sandbox_server.clear_faults()
    yield sandbox_server
    print(f"\nform-vs-API outcomes ({EXAMPLES} examples per test):")
    for outcome, count in sorted(OUTCOMES.items()):
        print(f"  {count:6d}  {outcome}")


# --- what people type ------------------------------------------------------------------------------------

BOOLEANS = (
    "enabled",
    "daily_spend_limit_enabled",
    "mms_fall_back_to_sms",
    "mms_transcoding",
    "mobile_only",
    "smart_encoding",
)
ASSIGNED = sorted(country.alpha_2 for country in pycountry.countries)
# Anything a browser can send: no lone surrogates, which UTF-8 form encoding cannot carry.
# NUL is left out: it is the one rule where the forms are deliberately stricter than the API (nobody
# types one, and the audit log could not tell it apart; see ApiTextField). Their refusal is tested in
# tests/unit/profiles/test_forms_create.py.
chars = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
any_text = st.text(chars, max_size=24)
spaces = st.text(
    st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000"), max_size=4
)
with_newline = any_text.map(lambda text: text + "\n")


def around(length: int, fill: str = "a") -> st.SearchStrategy[str]:
    return st.integers(length - 2, length + 2).map(lambda n: fill * n)


valid_names = st.text(chars, min_size=1, max_size=40).filter(lambda text: text.strip() != "")
names = st.one_of(valid_names, spaces, with_newline, st.just(""), st.sampled_from([" x ", "ACME\n"]))

valid_destinations = st.one_of(st.just(["*"]), st.lists(st.sampled_from(ASSIGNED), min_size=1, max_size=4))
odd_codes = st.sampled_from(
    ["*", "us", "gb", "Us", "XX", "UK", "XK", "EU", "ZZ", "AA", "USA", "U", "", "US ", " US"]
)
destinations = st.one_of(
    valid_destinations,
    st.lists(
        st.one_of(
            st.sampled_from(ASSIGNED), odd_codes, st.text(string.ascii_uppercase, min_size=2, max_size=2)
        ),
        max_size=4,
    ),
    st.lists(st.sampled_from(ASSIGNED), max_size=3).map(lambda codes: ["*", *codes]),
)

hosts = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}(\.[a-z]{2,6}){0,2}", fullmatch=True),
    st.sampled_from(
        ["localhost", "127.0.0.1", "[::1]", "例え.jp", "xn--r8jz45g.jp", "hooks", "user:pw@h.io"]
    ),
)
paths = st.one_of(
    st.just(""), st.text(string.ascii_letters + string.digits + "/-_.~%?=&#+", max_size=30).map("/".__add__)
)
valid_urls = st.one_of(
    st.just(""),
    st.builds(
        "{}://{}{}{}".format,
        st.sampled_from(["http", "https", "HTTP", "Https"]),
        hosts,
        st.sampled_from(["", ":8080", ":1", ":0", ":65535", ":"]),
        paths,
    ),
    st.integers(1995, 2000).map(lambda n: ("https://example.com/" + "a" * n)[:n]),
)


def _spoil(url: str, bad: str, where: int) -> str:
    index = where % (len(url) + 1)
    return url[:index] + bad + url[index:]


urls = st.one_of(
    valid_urls,
    st.integers(2001, 2004).map(lambda n: ("https://example.com/" + "a" * n)[:n]),
    st.sampled_from(
        [
            "ftp://example.com",
            "example.com",
            "//example.com",
            "http://",
            "http:///path",
            "http://:80",
            "https:example.com",
            "http://[::1",
            "http://x:99999",
            "http://x:65536",
            "http://x:-1",
            "http://x:+1",
            "http://x:\u0661",
            "http://x:abc",
            "javascript:alert(1)",
            "mailto:ops@example.com",
            " ",
            "http://ex%ample.com",
            "http://exa\u200bmple.com",
        ]
    ),
    st.builds(
        _spoil,
        valid_urls,
        st.sampled_from([" ", "\n", "\t", "\x00", "\x7f", "\x85", "\u2028", "\u3000", "\x9f"]),
        st.integers(0, 2100),
    ),
    any_text,
)

versions = st.sampled_from(["1", "2", "2010-04-01", "3", "", "v2", "2 ", "2010-04-02"])
valid_versions = st.sampled_from(["1", "2", "2010-04-01"])

valid_senders = st.one_of(st.just(""), st.from_regex(r"[A-Za-z0-9 ]{1,11}", fullmatch=True))
senders = st.one_of(
    valid_senders,
    around(11, "A"),
    with_newline,
    any_text,
    st.sampled_from(["ACME\n", "ACME!", "Ünï", "\uff21\uff23\uff2d\uff25", "\t", "A-B"]),
)

valid_limits = st.one_of(st.just(""), st.from_regex(r"[0-9]{1,12}(\.[0-9]{1,4})?", fullmatch=True))
limits = st.one_of(
    valid_limits,
    st.sampled_from(
        [
            "1.",
            ".5",
            "-1",
            "+1",
            "1e3",
            " 10",
            "10 ",
            "1,000",
            "\u0661\u0660",
            "10\n",
            "NaN",
            "Infinity",
            "0x1",
        ]
    ),
    with_newline,
    any_text,
)

valid_weights = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(0, 10**40).map(str),
    st.floats(0, 1e12, allow_nan=False).map(repr),
    st.sampled_from(["0", "0.0", "1e3", "2.5", " 5 ", "-0", ".5", "10.", "1e-400", "1E+2"]),
)
weights = st.one_of(
    valid_weights,
    st.integers(-(10**6), -1).map(str),
    st.floats(max_value=-1e-9).map(repr),
    st.sampled_from(
        [
            "nan",
            "NaN",
            "inf",
            "-inf",
            "1e400",
            "-1e400",
            "1e309",
            "abc",
            "",
            " ",
            "1_000",
            "\u0661",
            "0x10",
            "1,5",
        ]
    ),
    any_text,
)

valid_domains = st.text(chars, min_size=1, max_size=30)
domains = st.one_of(valid_domains, st.just(""), spaces)

valid_ids = st.one_of(
    st.just(""), st.text(chars, min_size=1, max_size=64), st.integers(60, 64).map("b".__mul__)
)
ids = st.one_of(valid_ids, around(64), st.text(chars, min_size=65, max_size=70))

# (valid-only, anything) per form field; booleans are always valid.
FIELD_STRATEGIES: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    "name": (valid_names, names),
    "whitelisted_destinations": (valid_destinations, destinations),
    "webhook_url": (valid_urls, urls),
    "webhook_failover_url": (valid_urls, urls),
    "webhook_api_version": (valid_versions, versions),
    "alpha_sender": (valid_senders, senders),
    "daily_spend_limit": (valid_limits, limits),
    "number_pool_settings__toll_free_weight": (valid_weights, weights),
    "number_pool_settings__long_code_weight": (valid_weights, weights),
    "url_shortener_settings__domain": (valid_domains, domains),
    "url_shortener_settings__prefix": (any_text, any_text),
    "health_webhook_url": (valid_urls, urls),
    "resource_group_id": (valid_ids, ids),
    "ai_assistant_id": (valid_ids, ids),
}
FLAGS = (
    *BOOLEANS,
    "number_pool_enabled",
    "number_pool_settings__skip_unhealthy",
    "number_pool_settings__sticky_sender",
    "number_pool_settings__geomatch",
    "url_shortener_enabled",
    "url_shortener_settings__replace_blacklist_only",
    "url_shortener_settings__send_webhooks",
)
CREATE_ONLY = ("health_webhook_url", "resource_group_id", "ai_assistant_id")


@st.composite
def create_inputs(draw: st.DrawFn, *, only_valid: bool = False) -> dict[str, Any]:
    """Typed create-form input. A few fields (at most three) draw from "anything", the rest from valid
    values, so that a good share of examples is accepted and the payloads get compared."""
    loose = set() if only_valid else draw(st.sets(st.sampled_from(sorted(FIELD_STRATEGIES)), max_size=3))
    data = {name: draw(pair[1] if name in loose else pair[0]) for name, pair in FIELD_STRATEGIES.items()}
    data.update({flag: draw(st.booleans()) for flag in FLAGS})
    return data


UPDATE_FIELDS = sorted([*(name for name in FIELD_STRATEGIES if name not in CREATE_ONLY), *FLAGS])


@st.composite
def edits(draw: st.DrawFn) -> dict[str, Any]:
    """Changes a person makes in the edit form: up to four fields, each valid or anything."""
    changed = draw(st.sets(st.sampled_from(UPDATE_FIELDS), max_size=4))
    result = {}
    for name in sorted(changed):
        if name in FIELD_STRATEGIES:
            valid, anything = FIELD_STRATEGIES[name]
            result[name] = draw(st.one_of(valid, anything))
        else:
            result[name] = draw(st.booleans())
    return result


# --- the tests ---------------------------------------------------------------------------------------------


@SETTINGS
@given(typed=create_inputs())
def test_create_form_accepts_exactly_what_the_api_accepts(api, typed):
    form = ProfileCreateForm(post(typed), with_spend_limit=True)
    form_valid = form.is_valid()
    sent = meant_create(typed)
    response = send(api, "POST", "/messaging_profiles", sent)
    try:
        compare(what="create", form_valid=form_valid, form=form, response=response, sent=sent)
        if form_valid:
            assert canonical(form.to_payload()) == canonical(sent)
    finally:
        if response.status_code in (200, 201):
            api.delete(f"/messaging_profiles/{response.json()['data']['id']}")


@SETTINGS
@given(base=create_inputs(only_valid=True), changes=edits())
def test_edit_form_accepts_exactly_what_the_api_accepts(api, base, changes):
    created = send(api, "POST", "/messaging_profiles", meant_create(base))
    assert created.status_code == 200, f"sandbox rejected a valid create: {created.text[:800]}"
    profile = created.json()["data"]
    try:
        # As the edit view does: the profile goes through the service layer's record first.
        record = MessagingProfile.from_api(profile)
        shown = ProfileEditForm(profile=record, with_spend_limit=True)
        submitted = resubmission(shown, **changes)
        form = ProfileEditForm(submitted, profile=record, with_spend_limit=True)
        form_valid = form.is_valid()
        typed = {bound.name: bound.value() for bound in shown} | changes
        for flag in FLAGS:
            typed[flag] = bool(typed[flag])
        sent = meant_patch(typed, profile)
        response = send(api, "PATCH", f"/messaging_profiles/{profile['id']}", sent)
        compare(what="update", form_valid=form_valid, form=form, response=response, sent=sent)
        if form_valid:
            assert canonical(PROFILE_KIND.differing(record, form.api_values())) == canonical(sent)
    finally:
        api.delete(f"/messaging_profiles/{profile['id']}")
