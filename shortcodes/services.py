"""Use cases of the short-code pages: bind, unbind and tag a short code, each through the write path.

Each reads the short code afresh under its write lock (the staleness check), sends one PATCH and
records one audit entry (writes.path); a refusal before sending is recorded as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from audit.context import AuditContext
from profiles import directory
from shortcodes.readback import SHORT_CODE
from telnyx_admin.lookups import found_or_404
from telnyx_admin.telnyx import short_codes as api
from telnyx_admin.telnyx.errors import StaleObject
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.short_codes import ShortCode
from writes import path

ACTION_BIND = "short_code.bind"
ACTION_UNBIND = "short_code.unbind"
ACTION_TAGS = "short_code.tags_update"
PERMISSION_CHANGE = "shortcodes.change_shortcode"

# The most unassigned short codes a profile tab offers to bind in one list (the API's max page).
UNASSIGNED_CHOICES_LIMIT = 250


def short_code_search(
    *, messaging_profile_id: str | None, unassigned: bool, page_number: int, page_size: int
) -> Page[ShortCode]:
    """One page of short codes: all, one profile's, or unassigned ones. Exactly one Telnyx call.

    Raises: ValidationFailed (bad page parameters), TelnyxError subclasses.
    """
    return api.list_short_codes(
        messaging_profile_id=messaging_profile_id,
        unassigned=unassigned,
        page_number=page_number,
        page_size=page_size,
    )


def short_code_number_search(
    *,
    number_contains: str,
    messaging_profile_id: str | None,
    unassigned: bool,
    page_number: int,
    page_size: int,
) -> Page[ShortCode]:
    """One page of the short codes whose number contains `number_contains` (and match the profile
    filter). The API cannot filter by number, so every short code is listed (at the API's largest
    page size, one call per 250; an account has tens to hundreds of them) and matched here.

    Raises: TelnyxError subclasses.
    """
    found: list[ShortCode] = []
    listed = 0
    page_of_all = 1
    while True:
        batch = api.list_short_codes(
            messaging_profile_id=messaging_profile_id,
            unassigned=unassigned,
            page_number=page_of_all,
            page_size=UNASSIGNED_CHOICES_LIMIT,
        )
        found.extend(code for code in batch if number_contains in code.short_code)
        listed += len(batch.items)
        if not batch.items or page_of_all >= batch.total_pages or listed >= batch.total_results:
            break
        page_of_all += 1
    start = (page_number - 1) * page_size
    return Page(
        items=tuple(found[start : start + page_size]),
        page_number=page_number,
        page_size=page_size,
        total_pages=max(1, -(-len(found) // page_size)),
        total_results=len(found),
    )


def short_code_or_404(*, short_code_id: str) -> ShortCode:
    """The short code a page shows. Raises: Http404 for an unknown id, TelnyxError subclasses."""
    return found_or_404(lambda: api.retrieve_short_code(short_code_id=short_code_id), what="short code")


def short_code_unassigned_choices() -> list[ShortCode]:
    """Unassigned short codes to offer on a profile's tab (the first 250). One Telnyx call."""
    return list(api.list_short_codes(unassigned=True, page_size=UNASSIGNED_CHOICES_LIMIT).items)


def short_code_bind(
    *,
    actor: Any,
    audit: AuditContext,
    short_code_id: str,
    profile_id: str,
    expected_updated_at: str | None = None,
    only_if_unassigned: bool = False,
) -> path.Written[ShortCode]:
    """Bind a short code to a messaging profile (or move it from another one).

    `only_if_unassigned` refuses when someone bound it meanwhile (used by a profile's tab, which
    offers unassigned short codes only), so a stale list never steals a short code.

    Raises:
        PermissionDenied: the actor may not change short codes.
        StaleObject: it changed since the form was loaded, or is no longer unassigned.
        NotFound: no such short code.
        ValidationFailed: e.g. the profile does not exist (pointer /messaging_profile_id).
        TelnyxError, WriteError: see writes.path.
    """

    def check(current: ShortCode) -> None:
        if only_if_unassigned and current.messaging_profile_id:
            raise StaleObject(
                format_lazy(
                    gettext_lazy("Short code {code} was bound to another profile meanwhile."),
                    code=current.short_code,
                ),
                changed_fields=("messaging_profile_id",),
                current=current,
            )

    written = _write(
        actor=actor,
        audit=audit,
        action=ACTION_BIND,
        short_code_id=short_code_id,
        expected_updated_at=expected_updated_at,
        wanted={"messaging_profile_id": profile_id},
        check=check,
        send=lambda current: api.update_short_code(
            short_code_id=short_code_id, messaging_profile_id=profile_id
        ),
    )
    directory.note_profile_id(profile_id)
    return written


def short_code_unbind(
    *,
    actor: Any,
    audit: AuditContext,
    short_code_id: str,
    expected_updated_at: str | None = None,
    expected_profile_id: str | None = None,
) -> path.Written[ShortCode]:
    """Unbind a short code from its profile: sends `messaging_profile_id: null`.

    `expected_profile_id` refuses when it is bound elsewhere by now (a profile's tab unbinds its own).

    Raises: PermissionDenied, StaleObject, NotFound, TelnyxError, WriteError.
    """

    def check(current: ShortCode) -> None:
        if expected_profile_id and current.messaging_profile_id != expected_profile_id:
            raise StaleObject(
                format_lazy(
                    gettext_lazy("Short code {code} is no longer bound to this profile."),
                    code=current.short_code,
                ),
                changed_fields=("messaging_profile_id",),
                current=current,
            )

    return _write(
        actor=actor,
        audit=audit,
        action=ACTION_UNBIND,
        short_code_id=short_code_id,
        expected_updated_at=expected_updated_at,
        wanted={"messaging_profile_id": None},
        check=check,
        send=lambda current: api.update_short_code(short_code_id=short_code_id, messaging_profile_id=None),
    )


def short_code_tags_update(
    *,
    actor: Any,
    audit: AuditContext,
    short_code_id: str,
    tags: list[str],
    expected_updated_at: str | None = None,
) -> path.Written[ShortCode]:
    """Replace a short code's tags. The API needs `messaging_profile_id` in every update, so the
    binding read under the write lock is sent back unchanged: a bind made meanwhile through the
    dashboard is never undone (one made outside it can still race; see the README).

    Raises: PermissionDenied, StaleObject, NotFound, ValidationFailed (pointer /tags or /tags/N),
    TelnyxError, WriteError.
    """
    return _write(
        actor=actor,
        audit=audit,
        action=ACTION_TAGS,
        short_code_id=short_code_id,
        expected_updated_at=expected_updated_at,
        wanted={"tags": list(tags)},
        check=None,
        send=lambda current: api.update_short_code(
            short_code_id=short_code_id, messaging_profile_id=current.messaging_profile_id, tags=list(tags)
        ),
    )


def _write(
    *,
    actor: Any,
    audit: AuditContext,
    action: str,
    short_code_id: str,
    expected_updated_at: str | None,
    wanted: Mapping[str, Any],
    check: Any,
    send: Any,
) -> path.Written[ShortCode]:
    if actor is None or not actor.has_perm(PERMISSION_CHANGE):
        raise PermissionDenied(f"{PERMISSION_CHANGE} is required")

    return path.update(
        path.Attempt(actor=actor, audit=audit, action=action, kind=SHORT_CODE, object_id=short_code_id),
        expected_updated_at=expected_updated_at,
        values=wanted,
        send=lambda current, values: send(current),
        check=check,
    )
