"""Reading a spend-limit CSV import into a plan: every row a change, no change, or invalid (with why).

The file: a header line `profile_id,daily_spend_limit,daily_spend_limit_enabled` (any order, any
case; other columns are refused so a typo is not silently ignored), UTF-8 with or without a BOM, up
to IMPORT_MAX_ROWS rows. Each row is checked by the spend-limit form itself (SpendLimitForm over the
profile as the catalog lists it), so an import accepts exactly what the profile's own page accepts.

A file that cannot be read at all (not UTF-8, no header, too many rows, a broken quote) raises
ImportRefused naming the line; a bad row is an `invalid` row of the plan, and the rest still go.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import replace

from django.utils.translation import gettext as _

from profiles.catalog import ProfileSummary
from profiles.forms.spend_bulk import IMPORT_MAX_BYTES, IMPORT_MAX_ROWS
from profiles.forms.spend_limit import SpendLimitForm
from profiles.readback import PROFILE
from profiles.spend_plans import INVALID, NO_CHANGE, PlanRow, row_for

COLUMNS = ("profile_id", "daily_spend_limit", "daily_spend_limit_enabled")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


class ImportRefused(ValueError):
    """The file as a whole cannot be read; `message` names the line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode(data: bytes) -> str:
    if len(data) > IMPORT_MAX_BYTES:
        raise ImportRefused(_("The file is larger than %(mb)d MB.") % {"mb": IMPORT_MAX_BYTES // 2**20})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            _("Line %(line)d is not UTF-8 text. Save the file as “CSV UTF-8” and try again.") % {"line": line}
        ) from None


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (line number, {column: value}), after checking the header.

    Raises: ImportRefused.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportRefused(
            _("Line %(line)d holds a NUL character: this is not a CSV file.") % {"line": line}
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRefused(
                _("The file is empty: line 1 should be the header %(h)s.") % {"h": ",".join(COLUMNS)}
            )
        names = [name.strip().lower() for name in header]
        if sorted(names) != sorted(COLUMNS):
            raise ImportRefused(
                _("Line 1 must be the header %(expected)s (found: %(found)s).")
                % {"expected": ",".join(COLUMNS), "found": ",".join(header)[:200] or _("an empty line")}
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue  # blank lines, e.g. at the end of the file
            if len(rows) >= IMPORT_MAX_ROWS:
                raise ImportRefused(
                    _("Line %(line)d: the file has more than %(max)s rows; split it into smaller files.")
                    % {"line": line, "max": f"{IMPORT_MAX_ROWS:,}"}
                )
            if len(values) != len(names):
                raise ImportRefused(
                    _("Line %(line)d has %(found)d columns; the header has %(expected)d.")
                    % {"line": line, "found": len(values), "expected": len(names)}
                )
            rows.append((line, dict(zip(names, values, strict=True))))
    except csv.Error as exc:
        raise ImportRefused(
            _("Line %(line)d cannot be read as CSV (%(error)s).") % {"line": reader.line_num, "error": exc}
        ) from None
    return rows


def plan_import(
    rows: list[tuple[int, dict[str, str]]], profiles: Mapping[str, ProfileSummary]
) -> list[PlanRow]:
    """One plan row per file row: what it would change, or why it cannot be applied."""
    seen: dict[str, int] = {}
    plan = []
    for line, values in rows:
        profile_id = values["profile_id"].strip()
        profile = profiles.get(profile_id) or profiles.get(profile_id.lower())
        if profile is None:
            plan.append(_invalid(line, profile_id, _("No profile with this id in the account.")))
            continue
        if profile.id in seen:
            reason = _("The profile is already on line %(line)d.") % {"line": seen[profile.id]}
            plan.append(_invalid(line, profile_id, reason, profile))
            continue
        seen[profile.id] = line
        plan.append(_checked(line, values, profile))
    return plan


def _checked(line: int, values: Mapping[str, str], profile: ProfileSummary) -> PlanRow:
    enabled_text = values["daily_spend_limit_enabled"].strip().lower()
    if enabled_text not in _TRUE | _FALSE:
        reason = _("daily_spend_limit_enabled: enter true or false, not “%(value)s”.") % {
            "value": values["daily_spend_limit_enabled"][:40]
        }
        return _invalid(line, profile.id, reason, profile)
    enabled = enabled_text in _TRUE
    form = SpendLimitForm(
        {
            "daily_spend_limit": values["daily_spend_limit"],
            "daily_spend_limit_enabled": enabled,
            "updated_at": profile.updated_at,
        },
        profile=profile._asdict(),
    )
    if not form.is_valid():
        reason = "; ".join(
            (f"{name}: " if name != "__all__" else "") + " ".join(str(error) for error in errors)
            for name, errors in form.errors.items()
        )
        return _invalid(line, profile.id, reason, profile)
    planned = replace(row_for(profile, limit=values["daily_spend_limit"] or None, enabled=enabled), line=line)
    # The write path's own comparison (amounts, not text: "100" is "100.00"), so the preview says
    # "no change" exactly when the write would send nothing.
    if not PROFILE.differing(profile, form.api_values()):
        return replace(planned, status=NO_CHANGE)
    return planned


def _invalid(line: int, profile_id: str, reason: str, profile: ProfileSummary | None = None) -> PlanRow:
    return PlanRow(
        profile_id=profile_id,
        name=profile.name if profile else "",
        before_limit=profile.daily_spend_limit if profile else "",
        before_enabled=profile.daily_spend_limit_enabled if profile else False,
        updated_at=profile.updated_at if profile else "",
        after_limit="",
        after_enabled=False,
        status=INVALID,
        reason=reason,
        line=line,
    )
