"""/healthz (the process serves) and /readyz (the database answers; Redis and Telnyx reported).

/readyz never calls Telnyx itself: it reports the background check (telnyx_admin.telnyx.health),
which these tests run with `health.check_now()`, as the monitor thread of a serving process does.
"""

import pytest
from django.db import OperationalError

from telnyx_admin.telnyx import health
from tests.fixtures.dependencies import redis_cache
from tests.fixtures.tcp_faults import dead_port
from tests.fixtures.telnyx import requests_to

pytestmark = pytest.mark.usefixtures("telnyx_health_state")


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_head_and_refuse_writes(client, path):
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
    assert client.post(path).status_code == 405


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_and_telnyx_answer(client, telnyx_settings):
    health.check_now()

    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["telnyx"] == "ok"
    assert body["checks"]["cache"] in {"local", "ok"}  # a per-process cache, or Redis (the CI legs)
    assert body["failed"] == body["degraded"] == []
    assert 0 <= body["telnyx_checked_seconds_ago"] < 60


@pytest.mark.django_db
def test_readyz_never_calls_telnyx_itself(client, telnyx_settings):
    for _ in range(25):
        assert client.get("/readyz").status_code == 200

    assert requests_to(telnyx_settings, "GET /v2/messaging_profiles") == 0
    # Before the first background check it says so, and is still ready.
    assert client.get("/readyz").json()["checks"]["telnyx"] == "unknown"


@pytest.mark.django_db
def test_telnyx_rate_limiting_is_degraded_not_unready(client, telnyx_settings):
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=30)
    health.check_now()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["telnyx"] == "rate_limited"
    assert response.json()["degraded"] == ["telnyx"]


@pytest.mark.django_db
def test_telnyx_down_is_degraded_not_unready(client, telnyx_settings):
    telnyx_settings.set_faults(error_rate=1.0, error_status=503)
    health.check_now()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["telnyx"] == "unavailable"
    assert response.json()["status"] == "degraded"
    # One check, one call: no retries.
    assert requests_to(telnyx_settings, "GET /v2/messaging_profiles") == 1


@pytest.mark.django_db
def test_telnyx_unreachable_is_degraded(client, settings):
    settings.TELNYX_API_BASE_URL = f"http://127.0.0.1:{dead_port()}/v2"
    health.check_now()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["telnyx"] == "unavailable"


@pytest.mark.django_db
def test_a_rejected_key_is_reported_without_the_key(client, telnyx_settings, settings):
    settings.TELNYX_API_KEY = "wrong-key-0123456789"
    health.check_now()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["telnyx"] == "credentials_rejected"
    assert "wrong-key" not in response.content.decode()


@pytest.mark.django_db
def test_redis_down_is_degraded_not_unready(client):
    with redis_cache(f"redis://127.0.0.1:{dead_port()}/0"):
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["cache"] == "unavailable"
    assert response.json()["degraded"] == ["cache"]


@pytest.mark.django_db
def test_readyz_fails_when_the_database_does(client, monkeypatch):
    # A database that is really down is tested under gunicorn (tests/integration/production/
    # test_dependency_outages.py); here a cursor that raises stands in for it.
    from telnyx_admin import views

    class BrokenConnection:
        def cursor(self):
            raise OperationalError("server closed the connection")

    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["failed"] == ["database"]
    assert response.json()["checks"]["database"] == "unavailable"


def test_health_checks_need_no_sign_in(client, db):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
