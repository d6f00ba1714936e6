import re

import pytest

pytestmark = pytest.mark.django_db


def test_it_echoes_a_well_formed_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a.9")
    assert response["X-Request-ID"] == "lb-4f2a.9"


@pytest.mark.parametrize("incoming", ["", "has spaces", "x" * 65, "<script>"])
def test_it_replaces_a_missing_or_odd_request_id(client, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
