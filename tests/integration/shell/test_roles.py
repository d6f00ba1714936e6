"""The role groups come from the data migration with exactly the role matrix's permissions."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from telnyx_admin.roles import ROLE_PERMISSIONS

roles_migration = importlib.import_module("telnyx_admin.migrations.0001_roles")

pytestmark = pytest.mark.django_db


def _perms(group):
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_the_migration_creates_the_three_groups_with_their_permissions():
    # The migration's own step, run on the models as they stood then, into an empty table: a
    # transactional test earlier on this worker may have flushed what `migrate` left behind.
    Group.objects.all().delete()
    state = MigrationExecutor(connection).loader.project_state(("telnyx_admin", "0001_roles"))
    roles_migration.create_roles(state.apps, SimpleNamespace(connection=connection))
    groups = {group.name: group for group in Group.objects.all()}
    assert set(groups) == {"Support staff", "Account managers", "Auditors"}
    for name, expected in ROLE_PERMISSIONS.items():
        assert _perms(groups[name]) == set(expected), name


def test_the_role_matrix_as_permissions(support_user, account_manager, auditor, superuser):
    matrix = {
        "profiles.view_messagingprofile": {support_user, account_manager, auditor},
        "profiles.add_messagingprofile": {support_user},
        "profiles.change_messagingprofile": {support_user},
        "profiles.delete_messagingprofile": {support_user},
        "profiles.change_spend_limit": {account_manager},
        "shortcodes.view_shortcode": {support_user, account_manager, auditor},
        "shortcodes.change_shortcode": {support_user},
        "audit.view_history": {support_user, account_manager, auditor},
        "audit.view_auditentry": {auditor},
    }
    for permission, holders in matrix.items():
        for user in (support_user, account_manager, auditor):
            assert user.has_perm(permission) is (user in holders), (user.username, permission)
        assert superuser.has_perm(permission)


def test_a_user_without_a_group_gets_the_polite_403_everywhere_but_sign_out(groupless_client):
    for url in [
        "/",
        "/audit/",
        "/audit/history/messaging_profile/00000000-0000-4000-8000-000000000001/",
        "/admin/",
    ]:
        response = groupless_client.get(url)
        assert response.status_code == 403, url
        assert b"Your account has no role yet" in response.content
    assert groupless_client.post("/accounts/logout/").status_code == 302
