"""Writes whose answer never arrives: Telnyx applied them, the dashboard heard nothing.

For every kind of write, through its real page, with a proxy that forwards the write to the sandbox
and then drops (or stalls past the timeout) the answer: the page must not call it failed, the audit
entry must end `success`, and the user's second Save must not make a second copy at Telnyx.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from tests.integration.writes.cases import WRITES, WriteCase

pytestmark = pytest.mark.django_db

CASES = pytest.mark.parametrize("case", WRITES, ids=[case.name for case in WRITES])


def _entries(case: WriteCase) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=case.action).order_by("id"))


@CASES
@pytest.mark.parametrize("stall", [0.0, 1.2], ids=["dropped", "stalled-past-timeout"])
def test_a_lost_answer_is_read_back_at_once_and_a_second_save_changes_nothing(
    request: Any, lossy: Any, fresh_sandbox: Any, settings: Any, case: WriteCase, stall: float
):
    client = request.getfixturevalue(case.client)
    state = case.prepare(fresh_sandbox)
    if stall:
        settings.TELNYX_READ_TIMEOUT = 0.5
    lossy.lose_answers(count=1, stall=stall)

    response = case.post(client, state)

    assert sum(lossy.lost.values()) == 1  # the write reached Telnyx; its answer did not come back
    assert response.status_code == 302, response.content.decode()[:2000]  # reported as saved
    assert case.applied(fresh_sandbox, state) == 1
    (entry,) = _entries(case)
    assert (entry.outcome, entry.resolution) == ("success", "read_back")

    settings.TELNYX_READ_TIMEOUT = 10
    case.post(client, state)  # the user presses Save again, just in case

    assert case.applied(fresh_sandbox, state) == 1
    assert [entry.outcome for entry in _entries(case)] == ["success"]


@CASES
def test_when_the_read_back_fails_too_the_entry_stays_unknown_until_reconcile_writes(
    request: Any, lossy: Any, fresh_sandbox: Any, settings: Any, case: WriteCase
):
    client = request.getfixturevalue(case.client)
    state = case.prepare(fresh_sandbox)
    settings.TELNYX_MAX_RETRIES = 0
    # The write is applied and its answer lost; then the read-back's answer is lost as well (and the
    # page's own fresh read, where it makes one).
    lossy.lose_answers(
        count=1, on_forwarded=lambda: lossy.lose_answers(methods={"GET"}, count=1 + case.rereads)
    )

    response = case.post(client, state)

    body = response.content.decode()
    assert response.status_code in (200, 503)
    assert "We do not know yet whether the change was applied" in body or "no answer came back" in body
    # Never an invitation to retry blindly; a create has no object to open yet, so it names the list.
    assert ("Do not create it again" if case.name == "create" else "Do not save it again") in body
    (entry,) = _entries(case)
    assert entry.outcome == "unknown" and entry.is_open
    assert case.applied(fresh_sandbox, state) == 1

    settings.WRITE_SETTLE_SECONDS = 0
    call_command("reconcile_writes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    entry.refresh_from_db()
    assert (entry.outcome, entry.resolution) == ("success", "reconciled")
    # Idempotent: a second run (another instance, the next cron tick) changes nothing.
    call_command("reconcile_writes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [e.outcome for e in _entries(case)] == ["success"]
    assert case.applied(fresh_sandbox, state) == 1


def test_the_next_view_of_the_profile_resolves_an_open_entry(
    lossy: Any, fresh_sandbox: Any, support_client, settings
):
    (case,) = [case for case in WRITES if case.name == "settings"]
    state = case.prepare(fresh_sandbox)
    settings.TELNYX_MAX_RETRIES = 0
    lossy.lose_answers(count=1, on_forwarded=lambda: lossy.lose_answers(methods={"GET"}, count=1))
    case.post(support_client, state)
    (entry,) = _entries(case)
    assert entry.is_open

    page = support_client.get(f"/profiles/{state['profile']['id']}/")

    entry.refresh_from_db()
    assert (entry.outcome, entry.resolution) == ("success", "on_view")
    assert 'data-testid="open-writes"' not in page.content.decode()


def test_a_write_read_back_as_not_applied_is_a_failure_that_may_be_retried(
    lossy: Any, fresh_sandbox: Any, support_client, settings
):
    """The sandbox's own injected 500 answers before anything is applied: the read-back shows that,
    the entry is a failure, and the page says a second Save is safe."""
    (case,) = [case for case in WRITES if case.name == "settings"]
    state = case.prepare(fresh_sandbox)
    # The view's read and the re-read pass, the PATCH gets a 500, the read-back passes.
    fresh_sandbox.set_faults(error_rate=1 / 3, error_status=500)
    response = case.post(support_client, state)

    body = response.content.decode()
    assert "The change was not applied" in body and "you can save again" in body
    (entry,) = _entries(case)
    assert (entry.outcome, entry.resolution) == ("failure", "read_back")
    fresh_sandbox.clear_faults()
    assert case.applied(fresh_sandbox, state) == 0


def test_an_open_entry_is_shown_on_the_object_until_it_is_resolved(
    lossy: Any, fresh_sandbox: Any, support_client, settings
):
    (case,) = [case for case in WRITES if case.name == "tags"]
    state = case.prepare(fresh_sandbox)
    settings.TELNYX_MAX_RETRIES = 0
    # The answer is lost, and so are the read-back and the page's fresh read.
    lossy.lose_answers(count=1, on_forwarded=lambda: lossy.lose_answers(methods={"GET"}, count=2))
    case.post(support_client, state)
    (entry,) = _entries(case)
    # Someone else changes the tags again before anyone looks: the write can no longer be judged
    # from the object alone, but it is not settled yet either.
    settings.WRITE_SETTLE_SECONDS = 3600
    fresh_sandbox.patch(
        f"/short_codes/{state['code']['id']}",
        json={"messaging_profile_id": state["code"]["messaging_profile_id"], "tags": ["other"]},
    )

    page = support_client.get(f"/short-codes/{state['code']['id']}/").content.decode()

    assert 'data-testid="open-writes"' in page
    assert "short_code.tags_update" in page
    entry.refresh_from_db()
    assert entry.is_open
    # Once settled, it is recorded as undecidable rather than guessed.
    settings.WRITE_SETTLE_SECONDS = 0
    call_command("reconcile_writes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    entry.refresh_from_db()
    assert (entry.outcome, entry.resolution, entry.is_open) == ("unknown", "undecidable", False)


@pytest.mark.parametrize("name", ["bind", "tags"])
def test_a_short_code_page_that_reads_the_change_back_reports_it_saved(
    lossy: Any, fresh_sandbox: Any, support_client, settings, name: str
):
    """The read-back fails, but the page's own fresh read of the short code then shows the change:
    the entry is resolved on that read and the person is told it was saved."""
    (case,) = [case for case in WRITES if case.name == name]
    state = case.prepare(fresh_sandbox)
    settings.TELNYX_MAX_RETRIES = 0
    lossy.lose_answers(count=1, on_forwarded=lambda: lossy.lose_answers(methods={"GET"}, count=1))

    response = case.post(support_client, state)

    assert response.status_code == 302
    page = support_client.get(response["Location"]).content.decode()
    assert "reading the short code back shows the change" in page
    (entry,) = _entries(case)
    assert (entry.outcome, entry.resolution) == ("success", "on_view")


def _lose_the_answer_the_read_back_and_then(lossy: Any, path_contains: str) -> None:
    """The write is applied and its answer lost, the read-back's answer too; the page's re-read of the
    short code passes, and the next read whose path holds `path_contains` fails as well."""

    def after_the_write() -> None:
        lossy.lose_answers(methods={"GET"}, count=1, path_contains="/short_codes/")
        lossy.lose_answers(methods={"GET"}, count=1, path_contains=path_contains)

    lossy.lose_answers(count=1, on_forwarded=after_the_write)


def _told_undecided(response: Any, case: WriteCase, state: dict[str, Any], sandbox: Any) -> None:
    """The page says the outcome is open (never "Nothing was changed"), and so is the entry, while
    Telnyx holds the change once."""
    body = response.content.decode()
    assert "We do not know yet whether the change was applied" in body or "no answer came back" in body
    assert "Nothing was changed" not in body
    (entry,) = _entries(case)
    assert entry.outcome == "unknown" and entry.is_open
    assert case.applied(sandbox, state) == 1


def test_a_failed_name_lookup_while_redrawing_a_section_does_not_say_nothing_was_changed(
    lossy: Any, fresh_sandbox: Any, support_client, settings
):
    """Found by the soak: a bind whose outcome was open, then the profile names could not be read for
    the redrawn section. The read's banner said "Nothing was changed" while Telnyx had applied it."""
    (case,) = [case for case in WRITES if case.name == "bind"]
    state = case.prepare(fresh_sandbox)
    settings.TELNYX_MAX_RETRIES = 0
    _lose_the_answer_the_read_back_and_then(lossy, "/messaging_profiles?")

    response = case.post(support_client, state)

    assert lossy.pending == 0  # every loss happened: the names were read, and that read failed
    _told_undecided(response, case, state, fresh_sandbox)


def test_a_failed_refresh_of_the_profile_tab_after_an_undecided_bind_says_so(
    lossy: Any, fresh_sandbox: Any, support_client, settings
):
    (case,) = [case for case in WRITES if case.name == "bind"]
    state = case.prepare(fresh_sandbox)
    settings.TELNYX_MAX_RETRIES = 0
    profile_id = state["profile"]["id"]
    _lose_the_answer_the_read_back_and_then(lossy, f"/messaging_profiles/{profile_id}/short_codes")

    response = support_client.post(
        f"/profiles/{profile_id}/short-codes/",
        {"action": "bind", "short_code_id": state["code"]["id"]},
        HTTP_HX_REQUEST="true",
    )

    assert lossy.pending == 0
    _told_undecided(response, case, state, fresh_sandbox)
