"""/healthz (liveness, no database) and /readyz (database and Telnyx)."""

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_and_telnyx_answer(client, telnyx_settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "telnyx": "ok"}, "failed": []}


@pytest.mark.django_db
def test_readyz_fails_when_telnyx_is_down(client, telnyx_settings):
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["telnyx"]


@pytest.mark.django_db
def test_readyz_fails_when_telnyx_is_unreachable(client, settings):
    settings.TELNYX_API_BASE_URL = "http://127.0.0.1:9/v2"  # discard port: connection refused
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["telnyx"] == "fail"


@pytest.mark.django_db
def test_readyz_fails_when_the_key_is_rejected(client, telnyx_settings, settings):
    settings.TELNYX_API_KEY = "wrong-key-0123456789"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["telnyx"]
    assert "wrong-key" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_fails_when_the_database_does(client, telnyx_settings, monkeypatch):
    # The sandbox cannot break our database; a cursor that raises stands in for a dead server.
    from telnyx_admin import views

    class BrokenConnection:
        def cursor(self):
            raise OperationalError("server closed the connection")

    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


def test_health_checks_need_no_sign_in(client, db):
    assert client.get("/healthz").status_code == 200
