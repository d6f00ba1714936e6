"""The main navigation: each role sees the sections it may open, the open one is marked, in the
reader's language (the bar is built once per variant: telnyx_admin/navigation.py)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>')
EVERYONE = ["/profiles/", "/spend-limits/", "/numbers/", "/short-codes/", "/jobs/"]


def _bar(client, path: str = "/profiles/", **headers: str) -> list[tuple[str, bool, str]]:
    page = client.get(path, headers=headers).content.decode()
    nav = re.search(r'<nav class="site-nav" aria-label="[^"]+">(.*?)</nav>', page, re.S)
    assert nav, "no main navigation on the page"
    return [(href, bool(current), label) for href, current, label in LINK.findall(nav.group(1))]


@pytest.mark.parametrize(
    ("client_fixture", "expected"),
    [
        ("support_client", EVERYONE),
        ("account_manager_client", EVERYONE),
        ("auditor_client", [*EVERYONE, "/audit/"]),
        ("superuser_client", [*EVERYONE, "/audit/", "/admin/"]),
    ],
)
def test_each_role_sees_the_sections_it_may_open(request, telnyx_settings, client_fixture, expected):
    bar = _bar(request.getfixturevalue(client_fixture))
    assert [href for href, _, _ in bar] == expected


def test_the_open_section_is_marked_and_only_it(telnyx_settings, auditor_client):
    for path in ["/profiles/", "/short-codes/", "/audit/"]:
        marked = [href for href, current, _ in _bar(auditor_client, path) if current]
        assert marked == [path]


def test_the_bar_reads_in_the_readers_language_whichever_was_built_first(telnyx_settings, superuser_client):
    english = _bar(superuser_client, **{"accept-language": "en"})
    chinese = _bar(superuser_client, **{"accept-language": "zh-CN"})
    again = _bar(superuser_client, **{"accept-language": "en"})
    assert [label for _, _, label in english][:2] == ["Profiles", "Spend limits"]
    assert english[-1][2] == "Users &amp; groups"
    assert [label for _, _, label in chinese][:2] == ["配置文件", "消费限额"]
    assert chinese[-1][2] == "用户和用户组"
    assert again == english
