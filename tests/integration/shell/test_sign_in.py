"""Sign-in, sign-out and throttling through the real views (the browser tests cover the page itself)."""

import uuid

import pytest
from django.test import Client

from tests.fixtures.users import USER_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_is_public(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/audit/?user=x")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/audit/%3Fuser%3Dx"


def test_signing_in_lands_on_the_start_page_for_the_role(client, auditor):
    response = client.post("/accounts/login/", {"username": auditor.username, "password": USER_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    # The start page sends each role to its first section; the audit log exists for auditors.
    assert client.get("/").status_code in (200, 302)


def test_signing_in_honours_a_safe_next_only(client, auditor):
    response = client.post(
        "/accounts/login/",
        {"username": auditor.username, "password": USER_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_sign_out_needs_a_post(auditor_client):
    assert auditor_client.get("/accounts/logout/").status_code == 405
    response = auditor_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert auditor_client.get("/audit/").status_code == 302


def test_sign_out_checks_the_csrf_token(auditor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(auditor)
    assert client.post("/accounts/logout/").status_code == 403
    assert client.get("/audit/").status_code == 200


def test_repeated_failures_lock_out_with_a_clear_message(client, support_user, settings, no_lockouts):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": support_user.username, "password": "nope"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": support_user.username, "password": "nope"})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert b"Try again in 15 minutes" in response.content
    response = client.post("/accounts/login/", {"username": support_user.username, "password": USER_PASSWORD})
    assert response.status_code == 429
    # Another user from the same address is not locked out by someone else's failures.
    # (A fresh name each run: with Redis, counts of earlier runs are still there.)
    someone_else = f"someone-else-{uuid.uuid4().hex[:8]}"
    other = client.post("/accounts/login/", {"username": someone_else, "password": "nope"})
    assert other.status_code == 200


def test_the_lockout_is_shared_between_processes_through_the_database(
    client, support_user, settings, no_lockouts
):
    from axes.models import AccessAttempt

    # Whatever CACHE_URL says: the database is shared by every instance and survives Redis outages.
    for _ in range(2):
        client.post("/accounts/login/", {"username": support_user.username, "password": "nope"})
    attempt = AccessAttempt.objects.get(username=support_user.username)
    assert attempt.failures_since_start == 2


def _sign_in(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_password_spraying_from_one_address_locks_that_address_out(client, support_user, settings):
    # The issue as reported: 40 usernames, one wrong password each, from one address (default limits).
    address = "198.51.100.7"
    answers = [_sign_in(client, f"sprayed-{n}", "Winter2026!", address).status_code for n in range(40)]

    limit = settings.AXES_IP_FAILURE_LIMIT
    assert answers[: limit - 1] == [200] * (limit - 1)
    assert set(answers[limit - 1 :]) == {429}
    locked = _sign_in(client, support_user.username, USER_PASSWORD, address)
    assert locked.status_code == 429
    assert b"from your network address" in locked.content
    assert b"Try again in 15 minutes" in locked.content
    # The same person from another address is not held up by the sprayer.
    assert _sign_in(Client(), support_user.username, USER_PASSWORD, "198.51.100.8").status_code == 302


def test_both_limits_come_from_settings(client, support_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_IP_FAILURE_LIMIT = 4
    address = "203.0.113.50"

    assert _sign_in(client, support_user.username, "nope", address).status_code == 200
    assert _sign_in(client, support_user.username, "nope", address).status_code == 429
    assert _sign_in(client, "someone-else", "nope", address).status_code == 200
    assert _sign_in(client, "a-third-name", "nope", address).status_code == 429  # 4 from this address

    assert _sign_in(client, "a-fourth-name", "nope", "203.0.113.51").status_code == 200


def test_an_address_limit_of_zero_turns_that_lockout_off(client, settings):
    settings.AXES_IP_FAILURE_LIMIT = 0
    address = "203.0.113.60"

    answers = {_sign_in(client, f"user-{n}", "nope", address).status_code for n in range(25)}

    assert answers == {200}
