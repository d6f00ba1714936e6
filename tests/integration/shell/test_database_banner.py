"""A database connection lost in the middle of a request answers the 503 banner, not the 500 page;
any other error (a database error on a working connection included) stays a 500."""

import pytest
from django.db import connection

from telnyx_admin import urls

pytestmark = [
    # Ending the connection ends the test's transaction too: these tests commit and flush instead.
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.integration.shell.urls_raising"),
]
POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite has no connection to lose"
)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/profiles/"}


@pytest.fixture
def client_seeing_errors(support_client):
    support_client.raise_request_exception = False
    yield support_client
    # The test client keeps Django from closing a broken connection after a request; a server does.
    connection.close()


def test_the_site_declares_the_handler():
    assert urls.handler500 == "telnyx_admin.views.server_error"


@POSTGRES_ONLY
def test_a_page_whose_connection_is_ended_gets_the_503_banner(client_seeing_errors):
    response = client_seeing_errors.get("/_test/database-lost/")

    assert response.status_code == 503
    body = response.content.decode()
    assert 'data-testid="database-unavailable"' in body
    assert "this page could not be made" in body


@POSTGRES_ONLY
def test_a_save_whose_connection_is_ended_says_to_check_before_saving_again(client_seeing_errors):
    body = client_seeing_errors.post("/_test/database-lost/", {"name": "x"}).content.decode()

    assert "look at its history before you" in body and "save again" in body
    assert "nothing was read or saved" not in body


@POSTGRES_ONLY
def test_an_htmx_request_gets_the_banner_in_the_message_area(client_seeing_errors):
    response = client_seeing_errors.get("/_test/database-lost/", **HTMX)

    assert response.status_code == 200  # htmx 2 swaps no 5xx body
    assert response["HX-Retarget"] == "#messages"
    assert 'data-testid="database-unavailable"' in response.content.decode()


def test_a_database_error_on_a_working_connection_is_still_the_500_page(client_seeing_errors):
    response = client_seeing_errors.get("/_test/database-bug/")

    assert response.status_code == 500
    assert 'data-testid="error-500"' in response.content.decode()
