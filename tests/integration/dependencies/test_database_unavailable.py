"""A database that cannot be reached gives the 503 page (never a 500), rendered without the database.

Under gunicorn with a real dead, hanging or killed PostgreSQL: tests/integration/production/
test_dependency_outages.py. Here the same error handler, with the failure raised in a view and in
the session middleware.
"""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client

pytestmark = [pytest.mark.urls("tests.integration.dependencies.urls_database_failures")]


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


def test_an_unreachable_database_is_the_503_page(browser):
    response = browser.get("/_test/db/unreachable/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert 'data-testid="database-unavailable"' in body
    assert "temporarily unavailable" in body
    assert "Traceback" not in body and "timeout expired" not in body


def test_an_htmx_request_gets_the_alert_in_its_message_area(browser):
    response = browser.get("/_test/db/unreachable/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200  # htmx ignores the body of an error status
    assert response["HX-Retarget"] == "#messages"
    assert response["HX-Reswap"] == "innerHTML"
    body = response.content.decode()
    assert 'data-testid="database-unavailable"' in body
    assert "<html" not in body


def test_a_failure_while_loading_the_session_is_the_503_page_too(browser, auditor, monkeypatch):
    browser.force_login(auditor)

    def unreachable(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    response = browser.get("/audit/")

    assert response.status_code == 503
    assert 'data-testid="database-unavailable"' in response.content.decode()


def test_other_database_errors_are_bugs_and_stay_500(browser):
    response = browser.get("/_test/db/bug/")

    assert response.status_code == 500
    assert 'data-testid="error-500"' in response.content.decode()
