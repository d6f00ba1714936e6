"""403, 404 and 500 pages in the site's style; the 500 page needs neither database nor request."""

import pytest
from django.test import RequestFactory
from django.views import defaults


@pytest.mark.django_db
def test_404_is_in_the_sites_layout_for_signed_in_users(auditor_client):
    response = auditor_client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="error-404"' in body
    assert "ada.auditor" in body  # the usual header with the signed-in user
    assert 'href="/static/css/site.css"' in body


@pytest.mark.django_db
def test_404_works_for_anonymous_visitors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sign out" not in response.content.decode()


@pytest.mark.django_db
def test_403_explains_and_offers_the_way_back(support_client):
    response = support_client.get("/audit/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You may not do that" in body
    assert "sam.support" in body


def test_500_renders_without_database_or_context_processors():
    # No django_db mark: any database access here raises.
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert 'data-testid="error-500"' in body
    assert 'href="/static/css/site.css"' in body
    assert "<script" not in body
