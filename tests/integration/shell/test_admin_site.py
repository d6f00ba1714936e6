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
