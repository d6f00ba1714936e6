"""Spend-limit changes for many profiles at once: the plan a bulk change or a CSV import makes.

A plan lists, per profile, the limit and enforcement before (with the profile's `updated_at`, so
the job refuses a profile that changed after the preview) and after. It is shown as a preview,
kept in the user's session until confirmed (sessions live in the database or Redis, so any
instance can take the confirmation), and then started as one background job (`start_plan`):
one row per profile that changes, one audit entry for the job, and one per profile as each row's
write goes through the write path (profiles/job_kinds.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import ngettext

from audit import services as audit_log
from audit.context import AuditContext
from jobs.kinds import PlannedRow
from jobs.models import Job
from jobs.services import job_create
from profiles.catalog import ProfileSummary, parse_limit

JOB_KIND = "profiles.set_spend_limits"
ACTION_JOB = "profile.spend_limit_job"
FIELDS = ("daily_spend_limit", "daily_spend_limit_enabled")
# Plans a user has previewed but not confirmed, kept per session (the newest few).
_SESSION_KEY = "spend_limit_plans"
_KEPT_PLANS = 3

CHANGE, NO_CHANGE, INVALID = "change", "no_change", "invalid"


@dataclass(frozen=True)
class PlanRow:
    """One profile of a plan. `status` is change / no_change / invalid (with `reason`)."""

    profile_id: str
    name: str
    before_limit: str
    before_enabled: bool
    updated_at: str
    after_limit: str
    after_enabled: bool
    status: str = CHANGE
    reason: str = ""
    line: int = 0  # the CSV line, for an import

    @property
    def changes(self) -> bool:
        return self.status == CHANGE


def row_for(profile: ProfileSummary, *, limit: str | None, enabled: bool | None) -> PlanRow:
    """What setting `limit` and/or `enabled` (None: leave as is) would make of `profile`."""
    after_limit = profile.daily_spend_limit if limit is None else limit
    after_enabled = profile.daily_spend_limit_enabled if enabled is None else enabled
    same = _same_limit(profile.daily_spend_limit, after_limit) and (
        after_enabled == profile.daily_spend_limit_enabled
    )
    return PlanRow(
        profile_id=profile.id,
        name=profile.name,
        before_limit=profile.daily_spend_limit,
        before_enabled=profile.daily_spend_limit_enabled,
        updated_at=profile.updated_at,
        after_limit=after_limit,
        after_enabled=after_enabled,
        status=NO_CHANGE if same else CHANGE,
    )


def _same_limit(before: str, after: str) -> bool:
    # Telnyx gives "100.00" for a limit set as "100": the same amount is no change.
    if before == after:
        return True
    first, second = parse_limit(before), parse_limit(after)
    return first is not None and first == second


def plan_change(
    profiles: Iterable[ProfileSummary], *, limit: str | None, enabled: bool | None
) -> list[PlanRow]:
    return [row_for(profile, limit=limit, enabled=enabled) for profile in profiles]


@dataclass(frozen=True)
class Counts:
    change: int
    no_change: int
    invalid: int

    @classmethod
    def of(cls, rows: Iterable[PlanRow]) -> Counts:
        statuses = [row.status for row in rows]
        return cls(statuses.count(CHANGE), statuses.count(NO_CHANGE), statuses.count(INVALID))


# --- keeping a plan between preview and confirmation -------------------------------------------------


def plan_store(session: Any, *, rows: list[PlanRow], fields: Iterable[str], source: str) -> str:
    """Keep the changing rows of a previewed plan in the session; returns its token."""
    token = secrets.token_urlsafe(12)
    plans: dict[str, Any] = dict(session.get(_SESSION_KEY) or {})
    while len(plans) >= _KEPT_PLANS:
        plans.pop(next(iter(plans)))
    plans[token] = {
        "fields": [name for name in FIELDS if name in set(fields)],
        "source": source,
        "rows": [asdict(row) for row in rows if row.changes],
    }
    session[_SESSION_KEY] = plans
    return token


def plan_take(session: Any, token: str) -> dict[str, Any] | None:
    """The plan previewed under `token`, removed from the session (it is started once)."""
    plans: dict[str, Any] = dict(session.get(_SESSION_KEY) or {})
    plan = plans.pop(token, None)
    session[_SESSION_KEY] = plans
    return plan


def job_of_plan(token: str) -> Job | None:
    """The job already started from this plan (a second click on Confirm shows it, never a second job)."""
    return Job.objects.filter(kind=JOB_KIND, params__plan=token).first()


# --- starting the job ----------------------------------------------------------------------------------


def start_plan(*, actor: Any, audit: AuditContext, token: str, plan: Mapping[str, Any]) -> Job:
    """Start the job that applies `plan`, and record it in the audit log, together.

    Raises: DatabaseError (nothing is started).
    """
    rows = [PlanRow(**row) for row in plan["rows"]]
    fields = list(plan["fields"])
    with transaction.atomic():
        job = job_create(
            kind=JOB_KIND,
            actor=actor,
            rows=(_planned(row) for row in rows),
            params={"fields": fields, "source": plan["source"], "plan": token},
        )
        audit_log.entry_record(
            outcome="success",
            actor=actor,
            audit=audit,
            action=ACTION_JOB,
            object_type=audit_log.OBJECT_TYPE_JOB,
            object_id=str(job.pk),
            object_label=job_label(len(rows)),
            changes=_job_changes(rows, fields, plan["source"]),
        )
    return job


def job_label(count: int) -> str:
    """What a spend-limit job's audit entry is about; the audit log rebuilds it for each reader."""
    return ngettext("Spend limits of %(count)d profile", "Spend limits of %(count)d profiles", count) % {
        "count": count
    }


def _planned(row: PlanRow) -> PlannedRow:
    return PlannedRow(
        object_id=row.profile_id,
        label=row.name,
        before={
            "daily_spend_limit": row.before_limit,
            "daily_spend_limit_enabled": row.before_enabled,
            "updated_at": row.updated_at,
        },
        after={"daily_spend_limit": row.after_limit, "daily_spend_limit_enabled": row.after_enabled},
    )


def _job_changes(rows: list[PlanRow], fields: list[str], source: str) -> dict[str, tuple[Any, Any]]:
    changes: dict[str, tuple[Any, Any]] = {"profiles": (None, len(rows)), "source": (None, source)}
    if source == "bulk" and rows:
        # A bulk change sets the same values everywhere: the entry says which.
        for name in fields:
            changes[name] = (None, getattr(rows[0], "after_limit" if name == FIELDS[0] else "after_enabled"))
    return changes
