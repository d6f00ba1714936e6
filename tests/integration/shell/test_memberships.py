"""telnyx_admin.roles.memberships and MembershipBackend: groups and their permissions in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telnyx_admin.roles import (
    AUDITORS,
    ROLE_PERMISSIONS,
    SUPPORT_STAFF,
    group_names,
    memberships,
    roles_ensure,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_member():
    roles_ensure()
    user = User.objects.create_user("member", password="not-used-here-42")
    user.groups.add(Group.objects.get(name=SUPPORT_STAFF), Group.objects.create(name="Empty group"))
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    return User.objects.get(pk=user.pk)  # a fresh object, as each request loads


def test_names_and_permissions_come_from_one_query(staff_member):
    with CaptureQueriesContext(connection) as queries:
        found = memberships(staff_member)
        assert group_names(staff_member) == ("Empty group", SUPPORT_STAFF)
    assert len(queries) == 1
    assert "profiles.add_messagingprofile" in found.permissions
    assert "profiles.change_spend_limit" not in found.permissions


def test_permission_checks_use_it_and_keep_the_users_own_permissions(staff_member):
    group_names(staff_member)  # the role check reads the names first, as on every page
    with CaptureQueriesContext(connection) as queries:
        assert staff_member.has_perm("profiles.delete_messagingprofile")
        assert staff_member.has_perm("auth.view_user")  # given to the user, not a group
        assert not staff_member.has_perm("profiles.change_spend_limit")
    assert len(queries) == 1  # the user's own permissions only

    assert staff_member.get_group_permissions() == set(memberships(staff_member).permissions)


def test_a_change_of_groups_shows_on_the_next_request(staff_member):
    assert staff_member.has_perm("profiles.add_messagingprofile")
    staff_member.groups.remove(Group.objects.get(name=SUPPORT_STAFF))
    again = User.objects.get(pk=staff_member.pk)
    assert group_names(again) == ("Empty group",)
    assert not again.has_perm("profiles.add_messagingprofile")


def test_inactive_users_have_no_permissions_and_superusers_all(staff_member):
    staff_member.is_active = False
    assert not staff_member.has_perm("profiles.add_messagingprofile")
    boss = User.objects.create_superuser("boss", password="not-used-here-42")
    assert boss.has_perm("profiles.change_spend_limit") and boss.get_group_permissions() >= {
        "profiles.change_spend_limit"
    }


def test_roles_ensure_restores_what_is_missing_and_reads_once_when_nothing_is():
    roles_ensure()  # the migration made the groups, but a transactional test before may have flushed them
    Group.objects.filter(name=SUPPORT_STAFF).delete()
    Group.objects.get(name=AUDITORS).permissions.remove(Permission.objects.get(codename="view_auditentry"))

    roles_ensure()
    for name, dotted in ROLE_PERMISSIONS.items():
        held = Group.objects.get(name=name).permissions.select_related("content_type")
        assert {f"{p.content_type.app_label}.{p.codename}" for p in held} == set(dotted)

    with CaptureQueriesContext(connection) as queries:
        roles_ensure()
    assert len(queries) == 1
