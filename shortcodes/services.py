"""Use cases of the short-code pages: bind, unbind and tag a short code, each audited once.

Each use case reads the short code first (its `before` for the audit entry, and the staleness
check), then sends one PATCH, then records exactly one audit entry: success with before/after, or
failure with the API's message - also when the read or the check failed, since a write was attempted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest

from audit.services import OBJECT_TYPE_SHORT_CODE, entry_record
from profiles import directory
from telnyx_admin.telnyx import short_codes as api
from telnyx_admin.telnyx.errors import StaleObject, TelnyxError
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.short_codes import ShortCode

ACTION_BIND = "short_code.bind"
ACTION_UNBIND = "short_code.unbind"
ACTION_TAGS = "short_code.tags_update"

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


def short_code_unassigned_choices() -> list[ShortCode]:
    """Unassigned short codes to offer on a profile's tab (the first 250). One Telnyx call."""
    return list(api.list_short_codes(unassigned=True, page_size=UNASSIGNED_CHOICES_LIMIT).items)


def short_code_bind(
    *,
    request: HttpRequest,
    short_code_id: str,
    profile_id: str,
    expected_updated_at: str | None = None,
    only_if_unassigned: bool = False,
) -> ShortCode:
    """Bind a short code to a messaging profile (or move it from another one).

    `only_if_unassigned` refuses when someone bound it meanwhile (used by a profile's tab, which
    offers unassigned short codes only), so a stale list never steals a short code.

    Raises:
        StaleObject: it changed since the form was loaded, or is no longer unassigned.
        NotFound: no such short code.
        ValidationFailed: e.g. the profile does not exist (pointer /messaging_profile_id).
        TelnyxError subclasses.
    """

    def check(current: ShortCode) -> None:
        if only_if_unassigned and current.messaging_profile_id:
            raise StaleObject(
                f"Short code {current.short_code} was bound to another profile meanwhile.",
                changed_fields=("messaging_profile_id",),
                current=current,
            )

    def write(current: ShortCode) -> ShortCode:
        return api.update_short_code(short_code_id=short_code_id, messaging_profile_id=profile_id)

    updated = _audited_write(
        request=request,
        action=ACTION_BIND,
        short_code_id=short_code_id,
        expected_updated_at=expected_updated_at,
        wanted={"messaging_profile_id": profile_id},
        check=check,
        write=write,
    )
    directory.note_profile_id(profile_id)
    return updated


def short_code_unbind(
    *,
    request: HttpRequest,
    short_code_id: str,
    expected_updated_at: str | None = None,
    expected_profile_id: str | None = None,
) -> ShortCode:
    """Unbind a short code from its profile: sends `messaging_profile_id: null`.

    `expected_profile_id` refuses when it is bound elsewhere by now (a profile's tab unbinds its own).

    Raises: StaleObject, NotFound, TelnyxError subclasses.
    """

    def check(current: ShortCode) -> None:
        if expected_profile_id and current.messaging_profile_id != expected_profile_id:
            raise StaleObject(
                f"Short code {current.short_code} is no longer bound to this profile.",
                changed_fields=("messaging_profile_id",),
                current=current,
            )

    def write(current: ShortCode) -> ShortCode:
        return api.update_short_code(short_code_id=short_code_id, messaging_profile_id=None)

    return _audited_write(
        request=request,
        action=ACTION_UNBIND,
        short_code_id=short_code_id,
        expected_updated_at=expected_updated_at,
        wanted={"messaging_profile_id": None},
        check=check,
        write=write,
    )


def short_code_tags_update(
    *,
    request: HttpRequest,
    short_code_id: str,
    tags: list[str],
    expected_updated_at: str | None = None,
) -> ShortCode:
    """Replace a short code's tags. The API needs `messaging_profile_id` in every update, so the
    current binding is sent back unchanged.

    Raises: StaleObject, NotFound, ValidationFailed (pointer /tags or /tags/N), TelnyxError subclasses.
    """

    def write(current: ShortCode) -> ShortCode:
        return api.update_short_code(
            short_code_id=short_code_id, messaging_profile_id=current.messaging_profile_id, tags=list(tags)
        )

    return _audited_write(
        request=request,
        action=ACTION_TAGS,
        short_code_id=short_code_id,
        expected_updated_at=expected_updated_at,
        wanted={"tags": list(tags)},
        check=lambda current: None,
        write=write,
    )


def _audited_write(
    *,
    request: HttpRequest,
    action: str,
    short_code_id: str,
    expected_updated_at: str | None,
    wanted: Mapping[str, Any],
    check: Callable[[ShortCode], None],
    write: Callable[[ShortCode], ShortCode],
) -> ShortCode:
    current: ShortCode | None = None
    try:
        current = api.retrieve_short_code(short_code_id=short_code_id)
        if expected_updated_at and current.updated_at != expected_updated_at:
            raise StaleObject(
                f"Short code {current.short_code} was changed by someone else since this page was loaded.",
                changed_fields=tuple(wanted),
                current=current,
            )
        check(current)
        updated = write(current)
    except TelnyxError as exc:
        entry_record(
            request=request,
            action=action,
            object_type=OBJECT_TYPE_SHORT_CODE,
            object_id=short_code_id,
            object_label=_label(current, short_code_id),
            changes=_changes(current, wanted),
            outcome="failure",
            error=exc.message,
        )
        raise
    entry_record(
        request=request,
        action=action,
        object_type=OBJECT_TYPE_SHORT_CODE,
        object_id=short_code_id,
        object_label=_label(updated, short_code_id),
        changes={field: (_value(current, field), _value(updated, field)) for field in wanted},
        outcome="success",
    )
    return updated


def _value(code: ShortCode | None, field: str) -> Any:
    if code is None:
        return None
    value = getattr(code, field)
    return list(value) if isinstance(value, tuple) else value


def _changes(current: ShortCode | None, wanted: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {field: (_value(current, field), after) for field, after in wanted.items()}


def _label(code: ShortCode | None, fallback: str) -> str:
    if code is None or not code.short_code:
        return fallback
    return f"{code.short_code} ({code.country_code})" if code.country_code else code.short_code
