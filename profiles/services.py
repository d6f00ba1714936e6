"""Use cases that change messaging profiles: create, update settings, update the spend limit, delete.

Each goes through the one write path (writes.path): permission and field gate here, then the
object's lock, a fresh read and the `updated_at` check, the audit intent, the call, the outcome.
Views call these with the acting user and an `AuditContext`; they never call the service layer for
writes themselves.

Spend limits belong to account managers (`profiles.change_spend_limit`): whichever form carries
`daily_spend_limit`/`daily_spend_limit_enabled`, they are sent as a write of their own, audited as
`profile.spend_limit`, so an auditor filtering on spend-limit changes sees every one of them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from audit.context import AuditContext
from profiles import directory
from profiles.readback import PROFILE
from telnyx_admin.telnyx import errors
from telnyx_admin.telnyx import profiles as api
from telnyx_admin.telnyx.profiles import MessagingProfile
from writes import path
from writes.errors import WriteError
from writes.kinds import jsonable

logger = logging.getLogger(__name__)

ACTION_CREATE = "profile.create"
ACTION_UPDATE = "profile.update"
ACTION_SPEND_LIMIT = "profile.spend_limit"
ACTION_DELETE = "profile.delete"

PERMISSION_ADD = "profiles.add_messagingprofile"
PERMISSION_CHANGE = "profiles.change_messagingprofile"
PERMISSION_SPEND_LIMIT = "profiles.change_spend_limit"
PERMISSION_DELETE = "profiles.delete_messagingprofile"

SPEND_LIMIT_FIELDS = frozenset({"daily_spend_limit", "daily_spend_limit_enabled"})
# Never written into an audit entry, whatever a caller passes.
_SECRET_FIELDS = frozenset({"v1_secret"})
# The intent key of a create that duplicated another profile (audit pages show it).
SOURCE_PROFILE_ID = "source_profile_id"


@dataclass(frozen=True)
class ProfileWrite:
    """What a profile use case did: the profile as Telnyx now holds it, the writes it sent, and, when
    a second write of the same save failed after the first was applied, why."""

    profile: MessagingProfile
    writes: tuple[path.Written[Any], ...] = ()
    problem: str = ""

    @property
    def sent(self) -> bool:
        return any(written.sent for written in self.writes)

    @property
    def read_back(self) -> bool:
        return any(written.read_back for written in self.writes)


def _require(actor: Any, permission: str) -> None:
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(f"{permission} is required")


def _gate(actor: Any, fields: Mapping[str, Any], *, settings_permission: str) -> None:
    """The field gate: settings need `settings_permission`, spend-limit fields the spend permission."""
    if set(fields) - SPEND_LIMIT_FIELDS:
        _require(actor, settings_permission)
    if set(fields) & SPEND_LIMIT_FIELDS:
        _require(actor, PERMISSION_SPEND_LIMIT)


def _attempt(actor: Any, audit: AuditContext, action: str, profile_id: str = "") -> path.Attempt:
    return path.Attempt(actor=actor, audit=audit, action=action, kind=PROFILE, object_id=profile_id)


def _split(fields: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    settings = {name: value for name, value in fields.items() if name not in SPEND_LIMIT_FIELDS}
    spend = {name: value for name, value in fields.items() if name in SPEND_LIMIT_FIELDS}
    return settings, spend


def _problem(exc: Exception) -> str:
    if isinstance(exc, errors.ValidationFailed):
        return "; ".join(item.message for item in exc.errors) or exc.message
    return exc.message if isinstance(exc, errors.TelnyxError | WriteError) else str(exc)


def profile_create(
    *,
    actor: Any,
    audit: AuditContext,
    fields: Mapping[str, Any],
    allow_duplicate: bool = False,
    source_profile_id: str | None = None,
) -> ProfileWrite:
    """Create a messaging profile from API-named fields; a spend limit given with it is then set by a
    `profile.spend_limit` write of its own. `source_profile_id`: the profile it duplicates, recorded
    in the audit entry's intent.

    Raises:
        PermissionDenied: the actor may not create profiles, or not set spend limits.
        DuplicateCreate: the actor created (or may have created) one of this name moments ago.
        ValidationFailed: Telnyx rejected a field (`.errors` carry JSON pointers).
        TelnyxError, WriteError: any other failure (see writes.path).
    """
    _require(actor, PERMISSION_ADD)
    _gate(actor, fields, settings_permission=PERMISSION_ADD)
    settings, spend = _split(fields)
    if spend.get("daily_spend_limit") in ("", None):
        spend.pop("daily_spend_limit", None)
    name = str(settings.get("name") or "")
    created = path.create(
        _attempt(actor, audit, ACTION_CREATE),
        name=name,
        fields={key: jsonable(value) for key, value in settings.items() if key not in _SECRET_FIELDS},
        send=lambda: api.create_profile(fields=settings),
        allow_duplicate=allow_duplicate,
        origin={SOURCE_PROFILE_ID: source_profile_id} if source_profile_id else None,
    )
    directory.invalidate()
    profile = created.object
    if not spend:
        return ProfileWrite(profile, (created,))
    try:
        limited = _update(actor, audit, ACTION_SPEND_LIMIT, profile.id, spend, profile.updated_at)
    except (errors.TelnyxError, WriteError) as exc:
        return ProfileWrite(profile, (created,), problem=_problem(exc))
    return ProfileWrite(limited.object, (created, limited))


def profile_update(
    *,
    actor: Any,
    audit: AuditContext,
    profile_id: str,
    changes: Mapping[str, Any],
    expected_updated_at: str,
) -> ProfileWrite:
    """Save `changes` (API-named fields, e.g. a whole form's values) if the profile is still at
    `expected_updated_at`.

    Settings and spend-limit fields go as two writes (`profile.update`, then `profile.spend_limit`),
    the second expecting the stamp the first left. The write path sends only values Telnyx does not
    hold already; when none is left, nothing is sent or recorded and the result's `sent` is False.

    Raises:
        PermissionDenied: a field the actor may not change.
        StaleObject: `updated_at` moved; `.changed_fields` are the fields whose current value differs
            from the wanted one (what saving would overwrite), `.current` the profile now.
        NotFound, ValidationFailed, TelnyxError, WriteError: see writes.path.
    """
    _gate(actor, changes, settings_permission=PERMISSION_CHANGE)
    if not changes:
        return ProfileWrite(api.retrieve_profile(profile_id=profile_id))
    settings, spend = _split(changes)
    done: list[path.Written[Any]] = []
    stamp = expected_updated_at
    if settings:
        written = _update(actor, audit, ACTION_UPDATE, profile_id, settings, stamp)
        done.append(written)
        if "name" in settings and written.sent:
            directory.invalidate()
        if written.sent:
            stamp = written.object.updated_at
    if spend:
        try:
            done.append(_update(actor, audit, ACTION_SPEND_LIMIT, profile_id, spend, stamp))
        except (errors.TelnyxError, WriteError) as exc:
            if not any(written.sent for written in done):
                raise
            return ProfileWrite(done[-1].object, tuple(done), problem=_problem(exc))
    return ProfileWrite(done[-1].object, tuple(done))


def profile_spend_limit_update(
    *,
    actor: Any,
    audit: AuditContext,
    profile_id: str,
    changes: Mapping[str, Any],
    expected_updated_at: str | None,
    current: MessagingProfile | None = None,
) -> ProfileWrite:
    """As `profile_update`, restricted to `daily_spend_limit` and `daily_spend_limit_enabled`, so the
    account managers' permission can never be used to change anything else.

    `current`: the profile as re-read by a caller that holds its write lock (a bulk job's batch,
    see writes.path.update); the write then makes no read of its own.

    Raises:
        ValueError: `changes` names a field other than the two spend-limit attributes.
        PermissionDenied, StaleObject, NotFound, ValidationFailed, TelnyxError, WriteError.
    """
    extra = set(changes) - SPEND_LIMIT_FIELDS
    if extra:
        raise ValueError(f"a spend-limit update cannot change {', '.join(sorted(extra))}")
    _require(actor, PERMISSION_SPEND_LIMIT)
    written = _update(
        actor, audit, ACTION_SPEND_LIMIT, profile_id, changes, expected_updated_at, current=current
    )
    return ProfileWrite(written.object, (written,))


def _update(
    actor: Any,
    audit: AuditContext,
    action: str,
    profile_id: str,
    changes: Mapping[str, Any],
    expected_updated_at: str | None,
    *,
    current: MessagingProfile | None = None,
) -> path.Written[Any]:
    written = path.update(
        _attempt(actor, audit, action, profile_id),
        expected_updated_at=expected_updated_at,
        values=changes,
        send=lambda now, values: api.update_profile(profile_id=profile_id, changes=values),
        current=current,
    )
    if action == ACTION_SPEND_LIMIT and written.sent:
        # The spend-limit overview and its bulk previews read the catalog: they show the new limit.
        directory.invalidate()
    return written


def _snapshot(profile: MessagingProfile) -> dict[str, Any]:
    """Every attribute of a profile about to be deleted, so its entry can rebuild it."""
    return {name: value for name, value in profile.to_dict().items() if name not in _SECRET_FIELDS}


def profile_delete(
    *, actor: Any, audit: AuditContext, profile_id: str, expected_name: str | None = None
) -> ProfileWrite:
    """Delete a profile (its numbers and short codes become unassigned). `expected_name` is the name
    the user confirmed: if the profile was renamed meanwhile, nothing is sent (StaleObject).

    Returns the profile as it was.

    Raises:
        PermissionDenied, StaleObject, NotFound (gone already), TelnyxError, WriteError.
    """
    _require(actor, PERMISSION_DELETE)

    def check(current: MessagingProfile) -> None:
        if expected_name is not None and current.name != expected_name:
            raise errors.StaleObject(
                gettext_lazy("The profile was renamed since you confirmed its name."),
                changed_fields=("name",),
                current=current,
            )

    written = path.delete(
        _attempt(actor, audit, ACTION_DELETE, profile_id),
        send=lambda current: api.delete_profile(profile_id=profile_id),
        snapshot=_snapshot,
        check=check,
    )
    directory.invalidate()
    return ProfileWrite(written.object, (written,))


def profile_delete_impact(*, profile_id: str) -> tuple[int, int]:
    """How many phone numbers and short codes a delete would unassign (two one-item page reads).

    Raises: NotFound, TelnyxError subclasses.
    """
    numbers = api.list_profile_phone_numbers(profile_id=profile_id, page_number=1, page_size=1)
    codes = api.list_profile_short_codes(profile_id=profile_id, page_number=1, page_size=1)
    return numbers.paginator.count, codes.paginator.count
