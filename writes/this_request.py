"""The writes the request being served has sent to Telnyx, as their audit entries.

A page that fails on a Telnyx read after one of them must say what became of that write, never that
nothing was changed: `telnyx_admin.middleware` reads this when it turns an uncaught failure of a save
into the banner. The write path (writes.path) notes each entry as it opens it, and resolving the entry
updates the same object, so its outcome here is the latest one. Outside a request (jobs, commands)
nothing is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telnyx_admin.request_context import current_request

if TYPE_CHECKING:
    from django.http import HttpRequest

    from audit.models import AuditEntry

_ATTRIBUTE = "telnyx_admin_writes_sent"


def note_sent(entry: AuditEntry) -> None:
    request = current_request()
    if request is not None:
        request.__dict__.setdefault(_ATTRIBUTE, []).append(entry)


def sent_by(request: HttpRequest) -> list[AuditEntry]:
    """This request's writes, oldest first (empty if it sent none)."""
    return list(request.__dict__.get(_ATTRIBUTE, ()))
