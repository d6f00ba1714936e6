"""Reading what a page told the person who saved: the words come from the dashboard's own messages
(profiles/views/edit.py, shortcodes/views.py), banners (telnyx_admin/middleware.py `banner_for`) and
the write path's outcomes (writes/errors.py, writes/path.py `NotApplied`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django_stubs_ext import StrOrPromise

from writes.errors import EarlierWriteOpen, OutcomeUnknown, WriteBusy, WriteNotRecorded

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PROFILE_LINK = re.compile(rf'href="/profiles/({UUID})/"')
SHORT_CODE_LINK = re.compile(rf'href="/short-codes/({UUID})/"')
UPDATED_AT = re.compile(r'name="updated_at" value="([^"]*)"')
_DETAIL_LOCATION = re.compile(rf"^/profiles/({UUID})/$")
_DUPLICATE_LINK = re.compile(rf'href="/profiles/({UUID})/" data-testid="duplicate-open"')

SUCCESS_MESSAGES = {
    "create": "was created successfully",
    "edit": "was changed successfully",
    "spend_limit": "was changed successfully",
    "delete": "was deleted successfully",
    "bind": "is now bound",
    "unbind": "is no longer bound",
    "tags": "saved.",
}
UNCHANGED = "No changes: the profile already has these values."
# Added to the success message when the answer was lost and reading Telnyx back showed the change.
READ_BACK = "answer was lost on the way back"
# A profile or short code page with writes whose outcome is still open (includes/open_writes.html).
OPEN_WRITES = 'data-testid="open-writes"'

# The write path's titles are lazy translations, read only when a page is checked (`_shows_any`):
# importing this module must not need Django's settings, which `python -m loadtests.soak` sets up
# only in its __main__, after the package (and so this module) has been imported.
# An OutcomeUnknown: its title on profile forms and banners, its message on short-code sections.
_UNKNOWN = (OutcomeUnknown.title, "no answer came back")
# telnyx_admin.middleware.banner_after_writes: a read failed after the request's write was applied.
_APPLIED_BEFORE = "Your change was applied at Telnyx before this"
# writes.path.NotApplied: "...We read the object back from Telnyx: the change was not applied."
_NOT_APPLIED = "the change was not applied"
# telnyx_admin.views.server_error: the dashboard's own database did not answer during the request.
_DATABASE = 'data-testid="database-unavailable"'
_DUPLICATE = 'data-testid="duplicate"'
_CONFLICT = (
    'data-testid="conflict"',  # the profile forms' panel
    "Submit again to apply your change anyway",  # a short-code section
    "It changed meanwhile",  # the banner for a stale object
)
# Banners and write-path refusals that say nothing was changed.
_FAILED = (
    "Telnyx is unavailable",
    "Telnyx is rate-limiting us",
    "Telnyx answered unexpectedly",
    "Telnyx refused the request",
    "Telnyx refused our credentials",
    WriteBusy.title,
    WriteNotRecorded.title,
    EarlierWriteOpen.title,
    "so nothing was sent",  # WriteBusy / WriteNotRecorded messages on short-code sections
)


def _shows_any(text: str, markers: tuple[StrOrPromise, ...]) -> bool:
    return any(str(marker) in text for marker in markers)


@dataclass(frozen=True)
class Told:
    outcome: str  # see loadtests.soak.ledger
    object_id: str = ""  # a create's new profile, or the one the duplicate panel links to
    read_back: bool = False
    pending: bool = False
    note: str = ""


def told_after_redirect(kind: str, location: str, landed: str) -> Told:
    """A save that redirected: the page it leads to carries the message."""
    if SUCCESS_MESSAGES[kind] in landed:
        match = _DETAIL_LOCATION.match(location)
        created = match[1] if kind == "create" and match else ""
        return Told("saved", object_id=created, read_back=READ_BACK in landed)
    if UNCHANGED in landed:
        return Told("unchanged")
    if "no longer exists" in landed:
        return Told("vanished")
    return Told("unclear", note=f"redirected to {location} without a success message")


def told_in_place(status: int, text: str) -> Told:
    """A save answered with a page (the form again, a section, or an error page)."""
    if _DATABASE in text:
        return Told("database")
    if _shows_any(text, _UNKNOWN):
        return Told("unknown")
    if _APPLIED_BEFORE in text:
        return Told("saved")  # the change was applied; then a read for the page failed
    if _NOT_APPLIED in text.lower():
        return Told("not_applied")
    if _DUPLICATE in text:
        match = _DUPLICATE_LINK.search(text)
        existing = match[1] if match else ""
        return Told("duplicate", object_id=existing, pending=not existing)
    if _shows_any(text, _CONFLICT):
        return Told("conflict")
    if _shows_any(text, _FAILED):
        return Told("failed")
    if status in (429, 503):
        return Told("failed", note="failure without a banner")
    if status == 200:
        return Told("rejected")
    return Told("unclear", note=f"answered {status}")


def is_database_failure(text: str) -> bool:
    return _DATABASE in text
