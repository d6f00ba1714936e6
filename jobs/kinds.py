"""Job kinds: what a kind of job does with each of its rows, and who may see it.

A kind is registered once, at start-up, from a `job_kinds` module of any installed app (imported
by JobsConfig.ready, in the web process and in every worker alike):

    # myapp/job_kinds.py
    from jobs.kinds import JobKind, RowOutcome, register

    def run_row(job, row) -> RowOutcome:           # send the row's change (at most once per row)
        ...
        return RowOutcome.applied(after={...})

    def reconcile_row(job, row) -> RowOutcome:     # a worker died while the row ran: find out
        ...                                        # what happened (read back); never send again

    register(JobKind(name="myapp.thing", label="Change things", permission="myapp.change_thing",
                     run_row=run_row, reconcile_row=reconcile_row))

`run_row` is called once per row, `reconcile_row` instead of it for a row a dead worker left
running (and when `run_row` raised: it may have sent something before failing). Both run inside
the job's budget scope: their Telnyx calls take the job share of the request budget.

A kind whose rows are cheaper together (one call re-reading many objects) gives a `batch`: each of
the job's threads then claims up to `batch_size` rows at once and runs them inside
`batch(job, rows)` (`batch_min` to `batch_size` rows: an even share of the job's rows for each
thread within those bounds), a context manager yielding a Batch: the rows in the order to run them, and
the RowFunction to run each with:

    @contextlib.contextmanager
    def batch(job, rows):
        prepared = ...                      # e.g. lock the rows' objects and read them in one call
        yield Batch(rows, lambda job, row: ...)   # run one row, using what was prepared
        # (released here)

Rows are still run, recorded, cancelled and reconciled one at a time; rows of a batch that a
cancel or a stopping worker leaves unsent go back to pending.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from django.utils.translation import gettext, gettext_noop
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from jobs.models import Job, JobRow

OutcomeStatus = Literal["applied", "refused", "unknown", "not_done"]


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: applied, refused (with the API's reason), unknown, or not done.

    `message` is stored untranslated, with `params` to put into it, and translated for each reader
    (jobs/messages.py): mark it with gettext_noop, never gettext.
    """

    status: OutcomeStatus
    message: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    params: Mapping[str, Any] | None = None

    @classmethod
    def applied(cls, message: str = "", **kwargs: Any) -> RowOutcome:
        return cls("applied", message, **kwargs)

    @classmethod
    def refused(cls, message: str, **kwargs: Any) -> RowOutcome:
        return cls("refused", message, **kwargs)

    @classmethod
    def unknown(cls, message: str, **kwargs: Any) -> RowOutcome:
        return cls("unknown", message, **kwargs)

    @classmethod
    def not_done(cls, message: str, **kwargs: Any) -> RowOutcome:
        return cls("not_done", message, **kwargs)


@dataclass(frozen=True)
class PlannedRow:
    """A row to create with a job: the object it is about and what is known of it beforehand."""

    object_id: str
    label: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None


RowFunction = Callable[["Job", "JobRow"], RowOutcome]


class Batch(NamedTuple):
    """Rows claimed together, in the order to run them, and how to run each (see the docstring)."""

    rows: list[JobRow]
    run_row: RowFunction


@dataclass(frozen=True)
class JobKind:
    name: str  # stored on each Job; keep it stable
    label: StrOrPromise  # shown as the job's title
    # Besides the job's actor and superusers, users with this permission may view and cancel it.
    permission: str
    run_row: RowFunction
    reconcile_row: RowFunction
    # Rows run at once within one job (each in its own thread and database connection).
    concurrency: int = 1
    # Called once when the job has finished (done, cancelled or failed), in the worker.
    on_finish: Callable[[Job], None] | None = None
    # Words for the row outcomes on the job page, e.g. {"applied": "counted"} for a read-only kind.
    outcome_labels: Mapping[str, StrOrPromise] = field(default_factory=dict)
    # What the before/after columns of the page and CSV show: (title, key) pairs of the JSON.
    columns: tuple[tuple[StrOrPromise, str], ...] = ()
    # False for kinds whose rows have only an "after" (a count): the page shows one column each.
    show_before: bool = True
    # May be started with no parameters from the jobs page by users with this permission.
    start_permission: str | None = None
    # The rows of a job started from the jobs page (only for kinds with a start_permission).
    plan: Callable[[], list[PlannedRow]] | None = None
    description: StrOrPromise = ""
    # Rows run together (see the module docstring): the batch, and how many rows one batch takes:
    # an even share of the job's rows for each thread, at least `batch_min`, at most `batch_size`.
    batch: Callable[[Job, list[JobRow]], AbstractContextManager[Batch]] | None = None
    batch_size: int = 1
    batch_min: int = 1

    def outcome_label(self, status: str) -> str:
        if status in self.outcome_labels:
            return str(self.outcome_labels[status])
        return gettext(_STATUS_WORDS.get(status, status.replace("_", " ")))


# How the pages name a row's status when its kind does not name it itself (`outcome_labels`).
_STATUS_WORDS = {
    "pending": gettext_noop("pending"),
    "running": gettext_noop("running"),
    "applied": gettext_noop("applied"),
    "refused": gettext_noop("refused"),
    "unknown": gettext_noop("unknown"),
    "not_done": gettext_noop("not done"),
}


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add a kind (idempotent for the same object; a different kind under a taken name is a bug)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> JobKind | None:
    return _KINDS.get(name)


def all_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def startable() -> list[JobKind]:
    return [kind for kind in _KINDS.values() if kind.start_permission and kind.plan is not None]
