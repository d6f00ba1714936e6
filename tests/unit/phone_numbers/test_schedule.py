"""phone_numbers.schedule: when a scheduled refresh of the number index reads every profile again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from phone_numbers import index, schedule
from phone_numbers.models import IndexState

pytestmark = pytest.mark.django_db

DAY = 86400


def _last_full(ago: timedelta | None) -> None:
    IndexState.objects.update_or_create(
        account=index.account(), defaults={"full_as_of": None if ago is None else timezone.now() - ago}
    )


@pytest.mark.parametrize(
    ("ago", "due"),
    [
        (None, True),  # never: the first refresh reads everything
        (timedelta(hours=23), False),
        (timedelta(seconds=DAY + 1), True),
    ],
    ids=["never", "recent", "older-than-the-setting"],
)
def test_a_full_refresh_is_due_when_the_last_is_older_than_the_setting(settings, ago, due):
    settings.NUMBER_INDEX_FULL_SECONDS = DAY
    _last_full(ago)

    assert schedule.full_refresh_due() is due


def test_zero_turns_full_refreshes_off(settings):
    settings.NUMBER_INDEX_FULL_SECONDS = 0
    _last_full(None)

    assert not schedule.full_refresh_due()


@pytest.mark.parametrize(
    ("asked", "due", "full"), [(False, False, False), (False, True, True), (True, False, True)]
)
def test_a_planned_refresh_is_full_when_asked_or_due(monkeypatch, asked, due, full):
    calls = []
    monkeypatch.setattr(schedule, "full_refresh_due", lambda: due)
    monkeypatch.setattr(index, "number_index_refresh", lambda **kwargs: calls.append(kwargs))

    schedule.planned_refresh(full=asked)

    assert calls == [{"actor": None, "full": full}]


def test_every_job_worker_refreshes_on_the_setting_interval(settings):
    from jobs import periodic

    settings.NUMBER_INDEX_REFRESH_SECONDS = 900
    task = periodic._TASKS["refresh_number_index"]

    assert task.interval() == 900 and task.run is schedule.planned_refresh
