"""Outcomes of the write path that are not Telnyx's own errors, each saying what was (not) sent.

They share `WriteError`, so a view that does not handle one specifically still shows its message as a
banner (telnyx_admin.middleware) instead of a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class WriteError(Exception):
    """Root of the write path's own outcomes. `message` is written for the person who saved.

    Titles and messages are lazy translations: a page shows them in the reader's language, while the
    audit log stores them in English (writes.path.error_text)."""

    title: StrOrPromise = _("The change was not saved")
    # The status of a full page that reports it: the dependency failed (503) or the object is taken (409).
    status = 503

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else str(self.title)


class WriteNotRecorded(WriteError):
    """The audit entry could not be stored, so nothing was sent to Telnyx."""

    title = _("Nothing was sent")

    def __init__(self, message: StrOrPromise = "") -> None:
        super().__init__(
            message
            or _(
                "The audit log could not record this change, so nothing was sent to Telnyx. "
                "Try again in a moment; if it keeps happening, the dashboard's database needs attention."
            )
        )


class WriteBusy(WriteError):
    """Another save of the same object is still in progress; nothing was sent."""

    title = _("Someone is saving this right now")
    status = 409

    def __init__(self, message: StrOrPromise = "") -> None:
        super().__init__(
            message
            or _(
                "Another save of this object is still in progress, so nothing was sent. "
                "Reload the page in a moment to see the result, then decide whether to save again."
            )
        )


class EarlierWriteOpen(WriteError):
    """An earlier change to the object was sent without an answer and may still be carried out; a new
    one is held back until it is settled, so that it cannot be overtaken by the earlier one."""

    title = _("An earlier change is not confirmed yet")
    status = 409

    def __init__(self, message: StrOrPromise = "") -> None:
        super().__init__(
            message
            or _(
                "An earlier change to this object was sent to Telnyx without an answer and may still be "
                "applied, so nothing was sent now. Reload the page in a minute to see whether it was applied."
            )
        )


class OutcomeUnknown(WriteError):
    """The write was sent, no answer came back, and reading Telnyx back could not tell yet whether it
    was applied. The audit entry stays `unknown` until it is read back (`manage.py reconcile_writes`,
    or the next view of the object)."""

    title = _("We do not know yet whether the change was applied")

    def __init__(self, *, entry_id: int, cause: Exception | None = None, message: StrOrPromise = "") -> None:
        super().__init__(
            message
            or _(
                "The change was sent to Telnyx but no answer came back, and Telnyx could not be asked yet "
                "whether it was applied. Do not save it again: open the object again in a minute, when the "
                "dashboard checks Telnyx and the history shows whether it was applied."
            )
        )
        self.entry_id = entry_id
        self.cause = cause

    @classmethod
    def of_create(
        cls, *, entry_id: int, noun: StrOrPromise, name: str, cause: Exception | None = None
    ) -> OutcomeUnknown:
        """A create without an answer: there is no object to open again yet, so say where the new one
        would show up, and what settles it."""
        message = format_lazy(
            _(
                "Telnyx was asked to create the {noun} “{name}”, but no answer came back and Telnyx could "
                "not be asked yet whether it was created. Do not create it again: in a minute, search the "
                "{noun} list for “{name}”. The dashboard settles it by reading Telnyx back "
                "(reconcile_writes, which runs every minute), and the audit log then says whether it was "
                "created."
            ),
            noun=noun,
            name=name,
        )
        return cls(entry_id=entry_id, cause=cause, message=message)


class DuplicateCreate(WriteError):
    """The same user created a profile with the same name moments ago (or may have): not sent again."""

    title = _("This profile may exist already")
    status = 409

    def __init__(self, *, existing: Any = None, entry_id: int, pending: bool) -> None:
        if pending:
            text = _(
                "You submitted a profile with this name moments ago and Telnyx has not confirmed yet "
                "whether it was created, so nothing was sent. Check the profile list in a minute."
            )
        else:
            text = _("You created a profile with this name moments ago, so nothing was sent again.")
        super().__init__(text)
        self.existing = existing
        self.entry_id = entry_id
        self.pending = pending
