"""Request ids through the whole middleware stack: a proxy's id only when it comes from a trusted proxy."""

import re

import pytest

pytestmark = pytest.mark.django_db

OUR_OWN_ID = re.compile(r"[0-9a-f]{32}")


def test_it_makes_its_own_id_when_no_proxy_is_trusted(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a.9")

    assert OUR_OWN_ID.fullmatch(response["X-Request-ID"])


def test_it_takes_a_trusted_proxys_well_formed_id(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a.9")

    assert response["X-Request-ID"] == "lb-4f2a.9"


@pytest.mark.parametrize("incoming", ["", "has spaces", "x" * 65, "<script>"])
def test_it_replaces_a_missing_or_odd_request_id(client, settings, incoming):
    settings.TRUSTED_PROXY_COUNT = 1

    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)

    assert OUR_OWN_ID.fullmatch(response["X-Request-ID"])


def test_each_request_gets_a_different_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second


def test_it_ignores_the_header_from_a_peer_that_is_not_a_trusted_proxy(client, settings):
    """A client reaching gunicorn directly cannot choose its id, even with a proxy configured."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "::1"]

    response = client.get("/healthz", HTTP_X_REQUEST_ID="forged-by-client", REMOTE_ADDR="198.51.100.9")

    assert OUR_OWN_ID.fullmatch(response["X-Request-ID"])


@pytest.mark.parametrize(
    ("addresses", "peer"),
    [(["10.0.0.0/8"], "10.1.2.3"), (["192.0.2.7", "::1"], "::1"), (["*"], "198.51.100.9")],
)
def test_it_takes_the_id_from_a_peer_in_the_proxy_addresses(client, settings, addresses, peer):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = addresses

    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a.9", REMOTE_ADDR=peer)

    assert response["X-Request-ID"] == "lb-4f2a.9"
