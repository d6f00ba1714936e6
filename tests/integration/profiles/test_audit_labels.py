"""Every attribute of a messaging profile as the sandbox answers it has a label of its own, translated:
a deletion's snapshot (History tab, audit log) lists them all, so none may fall back to its API name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit import readable
from audit.services import OBJECT_TYPE_PROFILE
from profiles.forms.nested import NUMBER_POOL, URL_SHORTENER

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _kept_as_is() -> set[str]:
    """Texts the catalogue translates to themselves (a term Chinese readers use in English)."""
    po = CATALOGUE.read_text(encoding="utf-8")
    return {match.group(1) for match in re.finditer(r'^msgid "(.+)"\nmsgstr "\1"$', po, re.M)}


def _full_profile(sandbox_profile) -> dict:
    """A profile with both nested objects, read back as the API lists it."""
    return sandbox_profile(
        number_pool_settings={
            "toll_free_weight": 1,
            "long_code_weight": 2,
            "skip_unhealthy": True,
            "sticky_sender": False,
            "geomatch": False,
        },
        url_shortener_settings={
            "domain": "acct.fyi",
            "prefix": "",
            "replace_blacklist_only": False,
            "send_webhooks": False,
        },
    )


def _labels(profile: dict) -> dict[str, str]:
    """The label of every attribute, and of every part of a nested one ("number_pool_settings.geomatch")."""
    labels = {name: readable.field_label(OBJECT_TYPE_PROFILE, name) for name in profile}
    for nested in (NUMBER_POOL, URL_SHORTENER):
        for part in profile[nested]:
            pair = readable.field_text(OBJECT_TYPE_PROFILE, nested, {part: ""})
            labels[f"{nested}.{part}"] = pair.partition(":")[0]
    return labels


def test_every_attribute_of_a_sandbox_profile_has_a_translated_label(sandbox, sandbox_profile):
    created = _full_profile(sandbox_profile)
    profile = sandbox.get(f"/messaging_profiles/{created['id']}").json()["data"]
    assert profile[NUMBER_POOL] and profile[URL_SHORTENER]

    with translation.override("en"):
        english = _labels(profile)
    with translation.override("zh-hans"):
        chinese = _labels(profile)

    kept = _kept_as_is()
    # A field nobody labelled reads as its API name in words, in English whatever the language.
    untranslated = {
        name: label
        for name, label in chinese.items()
        if not (CHINESE.search(label) and label != english[name]) and label not in kept
    }
    assert not untranslated, f"labels not in Chinese: {untranslated}"


def test_a_deleted_profile_s_snapshot_reads_in_chinese(support_client, auditor_client, make_profile):
    profile = make_profile()
    response = support_client.post(
        reverse("profiles:delete", args=[profile["id"]]), {"confirm_name": profile["name"]}
    )
    assert response.status_code == 302

    html = auditor_client.get(
        "/audit/", {"action": "profile.delete"}, headers={"accept-language": "zh-CN"}
    ).content.decode()
    _, _, snapshot = html.partition('<details class="snapshot"')
    for english in ("Record type", "Redaction", "Organization", "messaging_profile", "Yes", "No<"):
        assert english not in snapshot
    assert "记录类型" in snapshot and "消息配置文件" in snapshot
