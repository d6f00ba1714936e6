"""Bulk bind and unbind of short codes: plan the change, preview it row by row, start it as a job.

A bulk change is shown before it is made: every short code it names, its profile now and after, and
whether it changes at all. The plan carries a fingerprint of what the preview showed (each changing
short code and its `updated_at`), so confirming a preview that no longer holds shows the new one
instead of starting a job nobody saw. The job (shortcodes/job_kinds.py) then makes each row's write
through the write path, refusing any short code changed since it was planned.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import services as audit_services
from audit.context import AuditContext
from jobs import services as jobs
from jobs.kinds import PlannedRow
from jobs.models import Job
from profiles import directory
from shortcodes.services import PERMISSION_CHANGE
from telnyx_admin.telnyx import profiles as profiles_api
from telnyx_admin.telnyx import short_codes as api
from telnyx_admin.telnyx.errors import NotFound
from telnyx_admin.telnyx.pages import fetch_all_ordered
from telnyx_admin.telnyx.short_codes import ShortCode

BIND, UNBIND = "bind", "unbind"
KIND_BIND = "shortcodes.bulk_bind"
KIND_UNBIND = "shortcodes.bulk_unbind"
ACTION_BULK_BIND = "short_code.bulk_bind"
ACTION_BULK_UNBIND = "short_code.bulk_unbind"
# Short codes fetched per list call when "all matching the filter" is chosen (the API's max page).
LIST_PAGE_SIZE = 250
# What a row's profile column shows for "bound to none" (stored with the row, so no language's word).
NONE = "—"


class TargetProfileMissing(Exception):
    """The profile to bind to does not exist at Telnyx."""


@dataclass(frozen=True)
class Selection:
    """Which short codes: the ids ticked on the list, or every one matching its filter."""

    short_code_ids: tuple[str, ...] = ()
    matching: bool = False
    messaging_profile_id: str | None = None  # the list's filter: one profile's short codes
    unassigned: bool = False  # the list's filter: short codes bound to none


@dataclass(frozen=True)
class PlanRow:
    code: ShortCode
    current_profile_id: str | None
    current_name: str | None
    new_profile_id: str | None

    @property
    def changes(self) -> bool:
        return (self.current_profile_id or None) != (self.new_profile_id or None)


@dataclass(frozen=True)
class Plan:
    operation: str
    target_profile_id: str | None
    target_name: str | None
    rows: tuple[PlanRow, ...]

    @property
    def changing(self) -> list[PlanRow]:
        return [row for row in self.rows if row.changes]

    @property
    def unchanged(self) -> int:
        return len(self.rows) - len(self.changing)

    @property
    def fingerprint(self) -> str:
        """What the preview showed, in a form the confirmation can compare with a fresh plan."""
        digest = hashlib.sha256(f"{self.operation}|{self.target_profile_id or ''}".encode())
        for row in sorted(self.changing, key=lambda row: row.code.id):
            digest.update(f"|{row.code.id}@{row.code.updated_at}".encode())
        return digest.hexdigest()


def bulk_plan(*, operation: str, target_profile_id: str | None, selection: Selection) -> Plan:
    """Read the selected short codes and the target profile, and say what the change would do.

    Costs one call per ticked short code (or one per 250 matching ones), one for the target profile,
    and the cached profile directory for the names.

    Raises:
        TargetProfileMissing: binding to a profile that does not exist.
        TelnyxError subclasses.
    """
    target_name: str | None = None
    if operation == BIND:
        if not target_profile_id:
            raise TargetProfileMissing
        try:
            target_name = profiles_api.retrieve_profile(profile_id=target_profile_id).name
        except NotFound:
            raise TargetProfileMissing from None
    else:
        target_profile_id = None
    names = directory.profile_directory()
    rows = tuple(
        PlanRow(
            code=code,
            current_profile_id=code.messaging_profile_id,
            current_name=names.name_of(code.messaging_profile_id),
            new_profile_id=target_profile_id,
        )
        for code in _selected_codes(selection)
    )
    return Plan(operation=operation, target_profile_id=target_profile_id, target_name=target_name, rows=rows)


def _selected_codes(selection: Selection) -> Iterable[ShortCode]:
    if selection.matching:
        return fetch_all_ordered(
            lambda number: api.list_short_codes(
                messaging_profile_id=selection.messaging_profile_id,
                unassigned=selection.unassigned,
                page_number=number,
                page_size=LIST_PAGE_SIZE,
            )
        )
    return _retrieve_each(list(dict.fromkeys(selection.short_code_ids)))


def _retrieve_each(short_code_ids: list[str]) -> list[ShortCode]:
    """The ticked short codes as Telnyx holds them now, read a few at once (one call each), in order.

    Ticked ones that vanished meanwhile are left out of the preview (a 404 each), not a failure.
    """

    def retrieve(short_code_id: str) -> ShortCode | None:
        try:
            return api.retrieve_short_code(short_code_id=short_code_id)
        except NotFound:
            return None

    workers = max(1, min(len(short_code_ids), int(settings.TELNYX_EXPORT_CONCURRENCY)))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bulk-read") as pool:
        # A fresh context copy per call, so each counts in this request's Telnyx tally.
        futures = [
            pool.submit(contextvars.copy_context().run, retrieve, short_code_id)
            for short_code_id in short_code_ids
        ]
        found = [future.result() for future in futures]
    return [code for code in found if code is not None]


def bulk_start(*, actor: Any, audit: AuditContext, plan: Plan) -> Job:
    """Start the job that makes the plan's changes, and record one audit entry for the job itself.

    Only the short codes that change become rows: each row's write is audited on its own. The job's
    entry and the job are stored together, or neither is.

    Raises:
        PermissionDenied: the actor may not change short codes.
        ValueError: nothing in the plan changes.
        DatabaseError: the job or its entry could not be stored (nothing was started).
    """
    if actor is None or not actor.has_perm(PERMISSION_CHANGE):
        raise PermissionDenied(f"{PERMISSION_CHANGE} is required")
    changing = plan.changing
    if not changing:
        raise ValueError("nothing to change")
    binding = plan.operation == BIND
    target_name = plan.target_name or ""
    rows = [
        PlannedRow(
            object_id=row.code.id,
            label=row.code.short_code,
            before={
                "messaging_profile_id": row.current_profile_id,
                "profile": row.current_name or row.current_profile_id or NONE,
                "updated_at": row.code.updated_at,
            },
            after={"messaging_profile_id": plan.target_profile_id, "profile": target_name or NONE},
        )
        for row in changing
    ]
    params = {"messaging_profile_id": plan.target_profile_id, "profile_name": target_name}
    count = len(rows)
    label = job_label(binding=binding, count=count, profile_name=target_name)
    with transaction.atomic():
        job = jobs.job_create(
            kind=KIND_BIND if binding else KIND_UNBIND, actor=actor, rows=rows, params=params
        )
        audit_services.entry_record(
            outcome="success",
            actor=actor,
            audit=audit,
            action=ACTION_BULK_BIND if binding else ACTION_BULK_UNBIND,
            object_type=audit_services.OBJECT_TYPE_JOB,
            object_id=str(job.pk),
            object_label=label,
            changes={
                "messaging_profile_id": (None, plan.target_profile_id),
                "short_codes": (None, count),
            },
        )
    return job


def job_label(*, binding: bool, count: int, profile_name: str) -> str:
    """What a bulk job's audit entry is about; the audit log rebuilds it for each reader."""
    if binding:
        return ngettext(
            "Bind %(count)d short code to %(name)s", "Bind %(count)d short codes to %(name)s", count
        ) % {"count": count, "name": profile_name}
    return ngettext("Unbind %(count)d short code", "Unbind %(count)d short codes", count) % {"count": count}


def no_change_text(plan: Plan) -> str:
    if plan.operation == BIND:
        return _("Every selected short code is already bound to %(name)s: nothing to do.") % {
            "name": plan.target_name
        }
    return _("None of the selected short codes is bound to a profile: nothing to do.")
