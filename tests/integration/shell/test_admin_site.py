import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_the_admin_manages_users_and_groups_only():
    assert set(admin.site._registry) == {get_user_model(), Group}


def test_the_admin_index_shows_only_users_and_groups(superuser_client):
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    models = {model["object_name"] for app in response.context["app_list"] for model in app["models"]}
    assert models == {"User", "Group"}
    assert superuser_client.get("/admin/audit/auditentry/").status_code == 404


def test_role_users_are_not_let_into_the_admin(support_client):
    response = support_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_is_branded_and_links_back_to_the_dashboard(superuser_client):
    response = superuser_client.get("/admin/")

    body = response.content.decode()
    assert "<title>Users and groups | Telnyx Admin</title>" in body
    assert "Django administration" not in body
    assert "Django site admin" not in body
    assert 'href="/" data-testid="admin-brand">Telnyx Admin</a>' in body
    assert 'href="/" data-testid="admin-back"' in body
    # Styled like the dashboard: its palette on top of the admin's stylesheet.
    assert 'href="/static/css/admin.css"' in body


def test_the_admin_sign_in_page_is_branded_too(client):
    body = client.get("/admin/login/").content.decode()

    assert "Telnyx Admin" in body
    assert "Django administration" not in body
