"""No text on the main pages is left in English for a Chinese reader: a message never marked for
translation (or marked but stored in one language) shows up here, on any page, for any role.

Every main page is rendered in zh-hans for each role, with data behind it: a profile edited, limited
and deleted, a short code bound, a spend-limit job run, the number index built. Each text a reader
sees (text nodes, and the tooltips, labels and placeholders of elements) must not be made only of
English words. What may stay as it is:

- code and identifiers: <code>/<pre>/<kbd>, ids, URLs, domains, e-mail addresses, anything with a
  digit in it (ids, times, amounts), country codes;
- the product's names and units (`PRODUCT_WORDS`), and what the catalogue itself writes in Latin
  letters (a translation without Chinese characters, like "Webhook URL");
- people's data: the seed's profile names and values, short-code and number tags, the fixture
  users' names;
- a language's own name in the switcher (its element carries `lang`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from jobs import runner
from jobs.models import Job
from phone_numbers.models import IndexedNumber
from profiles import catalog, directory
from profiles.countries import is_assigned_country
from profiles.forms import ProfileEditForm
from tests.fixtures.profile_writes import resubmit
from tests.fixtures.short_codes import BULK_PROFILE_NAME

# One worker runs every test here: the setup builds the number index from a fresh sandbox.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group(__name__)]

CHINESE = {"accept-language": "zh-CN"}
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Names of the product, its currency and zone, and file formats: the same in every language.
PRODUCT_WORDS = frozenset({"Telnyx", "USD", "UTC", "CSV", "URL", "API", "ID", "SMS", "MMS"})
SKIPPED_ELEMENTS = frozenset({"script", "style", "code", "pre", "kbd", "samp"})
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
HAN = re.compile(r"[\u3400-\u9fff]")
# URLs, e-mail addresses, dotted names (domains, user names), and anything with a digit in it.
IDENTIFIERS = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|\b[\w-]+(?:\.[\w-]+)+\b|\S*\d\S*")


class _Texts(HTMLParser):
    """The texts a reader sees, outside code and outside elements in another language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping: list[str] = []
        self._joined = False  # the next text continues the last one (a URL broken by <wbr>)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._joined = tag == "wbr"
        if not self._skipping:
            self.found += [values[name] or "" for name in VISIBLE_ATTRIBUTES if values.get(name)]
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.found.append(values.get("value") or "")
            if tag == "td" and values.get("data-label"):
                # Narrow screens show it before the cell's value (site.css, `attr(data-label)`).
                self.found.append(values["data-label"] or "")
        if tag in VOID_ELEMENTS:
            return
        other_language = (values.get("lang") or "zh").lower().split("-")[0] != "zh"
        if self._skipping or tag in SKIPPED_ELEMENTS or other_language:
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._joined = False
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._joined and self.found:
            self.found[-1] += data
        elif data.strip():
            self.found.append(data)
        self._joined = False


def _latin_translations() -> set[str]:
    """Translations the catalogue writes without Chinese characters ("Webhook URL", "Webhook")."""
    po = CATALOGUE.read_text(encoding="utf-8")
    found = {match.group(1) for match in re.finditer(r'^msgstr(?:\[\d\])? "(.+)"$', po, re.M)}
    return {text for text in found if not HAN.search(text) and "%" not in text}


def english_only(text: str, people_data: list[str]) -> str | None:
    """`text` if, once names and identifiers are set aside, what is left is English words only."""
    rest = text
    for known in people_data:  # longest first, so a name is not cut by a shorter one inside it
        if known in rest:  # (the cheap test first: hundreds of names, thousands of texts)
            rest = re.sub(rf"(?<!\w){re.escape(known)}(?!\w)", " ", rest)
    rest = IDENTIFIERS.sub(" ", rest)
    if HAN.search(rest):
        return None
    words = [
        word
        for word in re.findall(r"[A-Za-z][A-Za-z'’]+", rest)
        if word not in PRODUCT_WORDS and not (len(word) == 2 and word.isupper() and is_assigned_country(word))
    ]
    return text.strip() if words else None


def _english_texts(html: str, people_data: list[str]) -> Iterator[str]:
    parser = _Texts()
    parser.feed(html)
    for text in parser.found:
        found = english_only(text, people_data)
        if found:
            yield found


@pytest.fixture
def chinese_pages_data(number_index, make_profile, seed_short_codes, support_user, account_manager):
    """The writes whose traces the pages show, made through the dashboard as people make them."""
    catalog.invalidate()
    directory.invalidate()
    support, accounts = Client(), Client()
    support.force_login(support_user)
    accounts.force_login(account_manager)

    edited = make_profile(whitelisted_destinations=["GB", "US"], mobile_only=False)
    data = resubmit(ProfileEditForm(profile=edited), whitelisted_destinations=["US"], mobile_only=True)
    assert support.post(reverse("profiles:edit", args=[edited["id"]]), data).status_code == 302
    limit = {"daily_spend_limit": "1500", "daily_spend_limit_enabled": "on", "updated_at": "x"}
    current = number_index.get(f"/messaging_profiles/{edited['id']}").json()["data"]
    limit["updated_at"] = current["updated_at"]
    assert accounts.post(reverse("profiles:spend_limit", args=[edited["id"]]), limit).status_code == 302
    deleted = make_profile()
    deletion = {"confirm_name": deleted["name"]}
    assert support.post(reverse("profiles:delete", args=[deleted["id"]]), deletion).status_code == 302

    code = seed_short_codes.unassigned()[0]
    bind = {"messaging_profile_id": edited["id"], "updated_at": code["updated_at"]}
    assert support.post(f"/short-codes/{code['id']}/bind/", bind).status_code in (200, 302)

    catalog.invalidate()
    preview = accounts.post(
        "/spend-limits/bulk/", {"scope": "selected", "profile": [edited["id"]], "daily_spend_limit": "250"}
    ).content.decode()
    plan = re.search(r'name="plan" value="([^"]+)"', preview)
    assert plan, "no spend-limit plan to confirm"
    assert accounts.post("/spend-limits/confirm/", {"plan": plan.group(1)}).status_code == 302
    job = Job.objects.latest("pk")
    runner.run_job(job_id=job.pk, attempt=job.attempt)
    catalog.invalidate()
    return {
        "profile": edited,
        "short_code": code,
        "job": Job.objects.get(pk=job.pk),
        "deleted": deleted,
        "numbered": number_index.profile_named(BULK_PROFILE_NAME),
    }


def _people_data(sandbox, made: dict, users) -> list[str]:
    """The seed's names and values, and the test's own: data, not the interface's words."""
    values: set[str] = set()
    body = sandbox.get("/messaging_profiles", params={"page[size]": 250}).json()
    for profile in [*body["data"], made["profile"], made["deleted"]]:
        values.add(profile["name"])
        values.update(str(profile.get(name) or "") for name in ("alpha_sender", "webhook_url"))
        for nested in ("number_pool_settings", "url_shortener_settings"):
            values.update(
                str(value) for value in (profile.get(nested) or {}).values() if isinstance(value, str)
            )
    codes = sandbox.get("/short_codes", params={"page[size]": 250}).json()["data"]
    values.update(tag for code in codes for tag in code.get("tags") or [])
    values.update(user.get_username() for user in users)
    for tags in IndexedNumber.objects.values_list("tags", flat=True):
        values.update(tags.split())
    values.update(_latin_translations())
    return sorted((value for value in values if value.strip()), key=len, reverse=True)


def _pages(made: dict) -> list[tuple[str, dict[str, str]]]:
    profile_id, job_id, numbered = made["profile"]["id"], made["job"].pk, made["numbered"]["id"]
    fragment = {"hx-request": "true"}
    return [
        ("/", {}),
        ("/profiles/", {}),
        (f"/profiles/{profile_id}/?tab=history", {}),
        (reverse("audit:history", args=["messaging_profile", profile_id]), fragment),
        (reverse("audit:history", args=["messaging_profile", made["deleted"]["id"]]), fragment),
        (f"/profiles/{numbered}/?tab=phone-numbers", {}),
        (f"/profiles/{numbered}/phone-numbers/", fragment),
        (f"/profiles/{profile_id}/short-codes/", fragment),
        ("/short-codes/", {}),
        (f"/short-codes/{made['short_code']['id']}/", {}),
        ("/audit/", {}),
        ("/spend-limits/", {}),
        ("/numbers/", {}),
        ("/jobs/", {}),
        (f"/jobs/{job_id}/", {}),
    ]


def test_no_page_shows_english_only_text_to_a_chinese_reader(chinese_pages_data, number_index, role_users):
    made = chinese_pages_data
    people = [user for name, user in role_users.items() if name != "groupless"]
    people_data = _people_data(number_index, made, people)
    found: dict[str, set[str]] = {}
    for user in people:
        client = Client(headers=CHINESE)
        client.force_login(user)
        for url, headers in _pages(made):
            response = client.get(url, headers=headers, follow=True)
            assert response.status_code in (200, 403), (url, user, response.status_code)
            for text in _english_texts(response.content.decode(), people_data):
                found.setdefault(text, set()).add(url)
    assert not found, "English-only text on Chinese pages:\n" + "\n".join(
        f"  {text!r} on {sorted(urls)}" for text, urls in sorted(found.items())
    )


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Settings changed", True),
        ("messaging_profile · ", True),
        ("已更改设置", False),
        ("USD 1,000.00", False),
        ("GB, US", False),
        ("https://hooks.example.com/a", False),
        ("4001767e-ce0f-4cae-9d5f-0d5e636e7809", False),
        ("Acme Bulk Notifications", False),
        ("Webhook URL", False),
    ],
)
def test_the_check_tells_english_from_names_and_identifiers(text, english):
    people_data = ["Acme Bulk Notifications", "Webhook URL"]
    assert (english_only(text, people_data) is not None) is english
