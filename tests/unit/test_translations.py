"""The Simplified Chinese catalogue is complete: every entry translated and none fuzzy, and every
message marked in the code and templates present in it (none missing, none left over).

Runs gettext's own tools (msgattrib, and makemessages' xgettext/msgmerge) on a copy of the sources,
so the catalogue in the repository is never rewritten by the test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Where the dashboard's user-facing text lives (`make messages` ignores everything else).
SOURCE_DIRS = (
    "audit",
    "jobs",
    "phone_numbers",
    "profiles",
    "shortcodes",
    "telnyx_admin",
    "templates",
    "writes",
)

_ENTRY_START = re.compile(r"^(msgctxt|msgid) ", re.M)


def _entries(po_text: str) -> set[tuple[str, str]]:
    """(msgctxt, msgid) of every entry but the header, as written in the file (quoting kept)."""
    found = set()
    for block in re.split(r"\n\s*\n", po_text):
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if msgid is None or block.lstrip().startswith("#~"):
            continue
        text = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if text:
            found.add(("".join(re.findall(r'"(.*)"', context.group(1))) if context else "", text))
    return found


def _msgattrib(option: str, po: Path) -> list[str]:
    """The msgids msgattrib selects with `option` (--untranslated, --only-fuzzy), header excluded."""
    out = subprocess.run(
        ["msgattrib", option, "--no-wrap", str(po)], check=True, capture_output=True, text=True
    ).stdout
    return sorted(msgid for _context, msgid in _entries(out))


def test_every_entry_is_translated_and_none_is_fuzzy():
    assert _msgattrib("--untranslated", CATALOGUE) == []
    assert _msgattrib("--only-fuzzy", CATALOGUE) == []


def test_the_catalogue_compiles_with_matching_placeholders(tmp_path):
    # --check: every %(name)s / {name} of a msgid appears in its translation, plural forms as declared.
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)], check=True)


def test_every_marked_message_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    for name in SOURCE_DIRS:
        shutil.copytree(
            Path(settings.BASE_DIR) / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [tmp_path / "locale"])

    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)

    refreshed = copy.read_text(encoding="utf-8")
    committed = _entries(CATALOGUE.read_text(encoding="utf-8"))
    missing, left_over = _entries(refreshed) - committed, committed - _entries(refreshed)
    assert not missing, f"marked in the code, not in the catalogue (`make messages`): {sorted(missing)}"
    assert not left_over, f"in the catalogue, no longer in the code (`make messages`): {sorted(left_over)}"
    # New entries msgmerge guessed from similar ones come back fuzzy, and new ones untranslated.
    assert _msgattrib("--untranslated", copy) == []
    assert _msgattrib("--only-fuzzy", copy) == []
