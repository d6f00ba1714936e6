"""Use cases that change messaging profiles: create, update settings, update the spend limit, delete.

Each one calls the service layer (`telnyx_admin.telnyx.profiles`) and records exactly one audit entry
per attempt, success or failure, with the before/after of the fields it tried to change. Views call
these; they never talk to the service layer for writes themselves.

Staleness: an update carries the `updated_at` the form was loaded with. If Telnyx now holds a newer
version the update is refused with `StaleObject` (never a silent overwrite); the caller decides whether
to show the conflict and let the user confirm with the newer stamp.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from audit.services import OBJECT_TYPE_PROFILE, entry_record
from profiles import directory
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx import profiles as api
from telnyx_admin.telnyx.profiles import MessagingProfile

logger = logging.getLogger(__name__)

ACTION_CREATE = "profile.create"
ACTION_UPDATE = "profile.update"
ACTION_SPEND_LIMIT = "profile.spend_limit"
ACTION_DELETE = "profile.delete"

SPEND_LIMIT_FIELDS = frozenset({"daily_spend_limit", "daily_spend_limit_enabled"})
# Never written into an audit entry, whatever a caller passes.
_SECRET_FIELDS = frozenset({"v1_secret"})


def _jsonable(value: Any) -> Any:
    """An API value in JSON shape for the audit log (records become dicts, tuples lists)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def _profile_value(profile: MessagingProfile | None, name: str) -> Any:
    if profile is None:
        return None
    return _jsonable(getattr(profile, name, None))


def _before_after(changes: Mapping[str, Any], before: MessagingProfile | None) -> dict[str, tuple[Any, Any]]:
    return {
        name: (_profile_value(before, name), _jsonable(value))
        for name, value in changes.items()
        if name not in _SECRET_FIELDS
    }


def _error_text(exc: errors.TelnyxError) -> str:
    """What the audit entry says went wrong: the API's own messages (with their pointers) if any.

    The service layer's messages never contain the API key or request headers.
    """
    name = type(exc).__name__
    if isinstance(exc, errors.StaleObject):
        return f"{name}: {exc.message}"
    parts = []
    for error in exc.errors:
        where = f" ({error.pointer})" if error.pointer else ""
        parts.append(f"{error.code} {error.message}{where}".strip())
    detail = "; ".join(parts) or exc.message
    status = f" {exc.status}" if exc.status else ""
    return f"{name}{status}: {detail}"


# Attributes that are sets although JSON carries them as lists: a browser posts a multi-select in
# option order, the API answers in stored order, and neither order means anything.
_UNORDERED = frozenset({"whitelisted_destinations"})


def _differs(name: str, current: Any, wanted: Any) -> bool:
    """Whether a profile value differs from the value a form wants to write (null URL == "")."""
    current, wanted = _jsonable(current), _jsonable(wanted)
    if (current is None and wanted == "") or (current == "" and wanted is None):
        return False
    if name in _UNORDERED and isinstance(current, list) and isinstance(wanted, list):
        return sorted(current) != sorted(wanted)
    return current != wanted


def effective_changes(*, current: MessagingProfile, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of `changes` that would really change `current`: what a PATCH needs to carry, and
    (when `current` is newer than the form) what saving would overwrite."""
    return {
        name: value for name, value in changes.items() if _differs(name, getattr(current, name, None), value)
    }


def profile_create(*, request: HttpRequest, fields: Mapping[str, Any]) -> MessagingProfile:
    """Create a messaging profile from API-named fields and audit the attempt.

    Raises:
        ValidationFailed: Telnyx rejected a field (`.errors` carry JSON pointers).
        TelnyxError: any other failure (RateLimited, ApiUnavailable, AuthFailed, ...).
    """
    label = str(fields.get("name") or "")
    changes = _before_after(fields, None)
    try:
        profile = api.create_profile(fields=fields)
    except errors.TelnyxError as exc:
        # No id exists yet: the entry is found by its label (the name) and the actor.
        entry_record(
            request=request,
            action=ACTION_CREATE,
            object_type=OBJECT_TYPE_PROFILE,
            object_id="",
            object_label=label,
            changes=changes,
            outcome="failure",
            error=_error_text(exc),
        )
        raise
    entry_record(
        request=request,
        action=ACTION_CREATE,
        object_type=OBJECT_TYPE_PROFILE,
        object_id=profile.id,
        object_label=profile.name,
        changes=changes,
        outcome="success",
    )
    _directory_invalidate()
    return profile


def _update(
    *,
    request: HttpRequest,
    action: str,
    profile_id: str,
    changes: Mapping[str, Any],
    expected_updated_at: str,
    current: MessagingProfile | None,
) -> MessagingProfile:
    """The shared body of the two update use cases (see `profile_update`)."""
    if not changes:
        # Nothing to send, so nothing was attempted: no API call and no audit entry.
        return current if current is not None else api.retrieve_profile(profile_id=profile_id)
    before: MessagingProfile | None = current
    wanted: Mapping[str, Any] = changes
    try:
        if before is None:
            before = api.retrieve_profile(profile_id=profile_id)
        wanted = effective_changes(current=before, changes=changes)
        if not wanted:
            # Telnyx already holds every wanted value (stale or not): nothing to send or record.
            return before
        if before.updated_at != expected_updated_at:
            raise errors.StaleObject(
                f"The profile was changed at Telnyx since the form was loaded "
                f"(now updated {before.updated_at}); differing fields: {', '.join(wanted)}.",
                changed_fields=tuple(wanted),
                current=before,
            )
        after = api.update_profile(profile_id=profile_id, changes=wanted)
    except errors.TelnyxError as exc:
        entry_record(
            request=request,
            action=action,
            object_type=OBJECT_TYPE_PROFILE,
            object_id=profile_id,
            object_label=before.name if before is not None else "",
            changes=_before_after(wanted, before),
            outcome="failure",
            error=_error_text(exc),
        )
        raise
    entry_record(
        request=request,
        action=action,
        object_type=OBJECT_TYPE_PROFILE,
        object_id=profile_id,
        object_label=after.name,
        changes=_before_after(wanted, before),
        outcome="success",
    )
    return after


def profile_update(
    *,
    request: HttpRequest,
    profile_id: str,
    changes: Mapping[str, Any],
    expected_updated_at: str,
    current: MessagingProfile | None = None,
) -> MessagingProfile:
    """PATCH only `changes` (API-named fields) if the profile is still at `expected_updated_at`.

    `current` is the profile as the caller just retrieved it (saves a GET); omitted, it is retrieved.
    Entries of `changes` that Telnyx already holds are dropped (`effective_changes`); if none are
    left, nothing is sent and nothing recorded. Every attempt that reaches Telnyx, or is refused as
    stale, records one audit entry with before/after of the fields it tried to change.

    Raises:
        StaleObject: `updated_at` moved; `.changed_fields` are the fields of `changes` whose current
            value differs from the wanted one (what saving would overwrite), `.current` the profile
            as Telnyx holds it now.
        NotFound: the profile does not exist (any more).
        ValidationFailed: Telnyx rejected the change (`.errors` carry JSON pointers).
        TelnyxError: any other failure (RateLimited, ApiUnavailable, AuthFailed, ...).
    """
    result = _update(
        request=request,
        action=ACTION_UPDATE,
        profile_id=profile_id,
        changes=changes,
        expected_updated_at=expected_updated_at,
        current=current,
    )
    if changes and "name" in changes:
        _directory_invalidate()
    return result


def profile_spend_limit_update(
    *,
    request: HttpRequest,
    profile_id: str,
    changes: Mapping[str, Any],
    expected_updated_at: str,
    current: MessagingProfile | None = None,
) -> MessagingProfile:
    """As `profile_update`, restricted to `daily_spend_limit` and `daily_spend_limit_enabled`, so the
    account managers' permission can never be used to change anything else.

    Raises:
        ValueError: `changes` names a field other than the two spend-limit attributes.
        StaleObject, NotFound, ValidationFailed, TelnyxError: as `profile_update`.
    """
    extra = set(changes) - SPEND_LIMIT_FIELDS
    if extra:
        raise ValueError(f"a spend-limit update cannot change {', '.join(sorted(extra))}")
    return _update(
        request=request,
        action=ACTION_SPEND_LIMIT,
        profile_id=profile_id,
        changes=changes,
        expected_updated_at=expected_updated_at,
        current=current,
    )


def _snapshot(profile: MessagingProfile) -> dict[str, tuple[Any, Any]]:
    """Every attribute of a deleted profile as before (after: None), so the entry can rebuild it."""
    data = profile.to_dict()
    return {name: (value, None) for name, value in data.items() if name not in _SECRET_FIELDS}


def profile_delete(
    *, request: HttpRequest, profile_id: str, current: MessagingProfile | None = None
) -> MessagingProfile:
    """Delete a profile (its numbers and short codes become unassigned) and audit the attempt.

    Returns the profile as it was. `current` (the profile as the caller just retrieved it), if given,
    labels a failure entry and gives its before values; a success uses what Telnyx answered.

    Raises:
        NotFound: the profile does not exist (any more).
        TelnyxError: any other failure.
    """
    try:
        deleted = api.delete_profile(profile_id=profile_id)
    except errors.TelnyxError as exc:
        entry_record(
            request=request,
            action=ACTION_DELETE,
            object_type=OBJECT_TYPE_PROFILE,
            object_id=profile_id,
            object_label=current.name if current is not None else "",
            changes=_snapshot(current) if current is not None else None,
            outcome="failure",
            error=_error_text(exc),
        )
        raise
    entry_record(
        request=request,
        action=ACTION_DELETE,
        object_type=OBJECT_TYPE_PROFILE,
        object_id=profile_id,
        object_label=deleted.name,
        changes=_snapshot(deleted),
        outcome="success",
    )
    _directory_invalidate()
    return deleted


def profile_delete_impact(*, profile_id: str) -> tuple[int, int]:
    """How many phone numbers and short codes a delete would unassign (two one-item page reads).

    Raises: NotFound, TelnyxError subclasses.
    """
    numbers = api.list_profile_phone_numbers(profile_id=profile_id, page_number=1, page_size=1)
    codes = api.list_profile_short_codes(profile_id=profile_id, page_number=1, page_size=1)
    return numbers.paginator.count, codes.paginator.count


def _directory_invalidate() -> None:
    """Forget the cached profile-name directory after a write that adds, renames or removes a
    profile, so short-code pages name it correctly on their next view rather than after the TTL."""
    directory.invalidate()
