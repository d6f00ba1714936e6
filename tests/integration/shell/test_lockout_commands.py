"""The lockout commands the README documents, run against the configured throttling handler.

Each command listed under "Throttling" in README.md is run as written (NAME and ADDRESS filled in)
and must lift the lockout it claims to lift: a sign-in that answered 429 answers 302 afterwards.
"""

from __future__ import annotations

import io
import re
import shlex

import pytest
from django.core.management import call_command
from django.test import Client

from devservers.dashboard import REPO
from tests.fixtures.users import USER_PASSWORD

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.44"


def _readme_commands() -> dict[str, list[str]]:
    """`axes_*` command name -> its arguments as written in the README's Throttling paragraph."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("**Throttling.**") :]
    section = section[: section.index("\n## ")]
    commands = {}
    for line in section.splitlines():
        match = re.match(r"python manage\.py (axes_\w+)(.*)", line)
        if match:
            commands[match.group(1)] = shlex.split(match.group(2).split("#")[0])
    return commands


def _run(name: str, *, username: str) -> str:
    values = {"NAME": username, "ADDRESS": ADDRESS}
    args = [values.get(arg, arg) for arg in _readme_commands()[name]]
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def _sign_in(username: str, password: str) -> int:
    response = Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )
    return response.status_code


def _lock_out(username: str, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(username, "wrong")
    assert _sign_in(username, USER_PASSWORD) == 429


def _lock_out_the_address(settings) -> None:
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        _sign_in(f"sprayed-{n}", "wrong")


def test_the_readme_lists_the_commands_this_test_runs():
    assert set(_readme_commands()) == {
        "axes_list_attempts",
        "axes_reset_username",
        "axes_reset_ip",
        "axes_reset_ip_username",
        "axes_reset",
    }


def test_axes_list_attempts_shows_who_is_counting(support_user, settings):
    _lock_out(support_user.username, settings)

    listed = _run("axes_list_attempts", username=support_user.username)

    (row,) = [line.split("\t") for line in listed.splitlines() if support_user.username in line]
    assert row[:2] == [ADDRESS, support_user.username]
    assert int(row[2]) >= settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("command", ["axes_reset_username", "axes_reset_ip_username", "axes_reset"])
def test_a_users_lockout_is_lifted(command, support_user, settings):
    _lock_out(support_user.username, settings)

    output = _run(command, username=support_user.username)

    assert "attempts removed" in output
    assert _sign_in(support_user.username, USER_PASSWORD) == 302


@pytest.mark.parametrize("command", ["axes_reset_ip", "axes_reset"])
def test_an_addresss_lockout_is_lifted(command, support_user, settings):
    settings.AXES_IP_FAILURE_LIMIT = 6
    _lock_out_the_address(settings)
    assert _sign_in(support_user.username, USER_PASSWORD) == 429

    output = _run(command, username=support_user.username)

    assert "attempts removed" in output
    assert _sign_in(support_user.username, USER_PASSWORD) == 302
