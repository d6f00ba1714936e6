"""The role matrix of ARCHITECTURE.md as data: which Django permissions each group holds.

The roles data migration creates these groups from this mapping; the role-matrix test and the
`seed_demo` command read it too. Changing a role means a new migration, not editing history:
an organisation may also regroup permissions in the admin.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_noop

SUPPORT_STAFF = gettext_noop("Support staff")
ACCOUNT_MANAGERS = gettext_noop("Account managers")
AUDITORS = gettext_noop("Auditors")
# Not a group: what the header's role chip calls a superuser (templatetags/dashboard.py user_roles),
# marked here with the role names so that `{% translate role %}` finds it in the catalogue too.
ADMINISTRATOR = gettext_noop("Administrator")

_MEMBERSHIPS_ATTR = "_telnyx_admin_memberships"

_EVERY_ROLE = (
    "profiles.view_messagingprofile",
    "shortcodes.view_shortcode",
    "audit.view_history",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    SUPPORT_STAFF: (
        *_EVERY_ROLE,
        "profiles.add_messagingprofile",
        "profiles.change_messagingprofile",
        "profiles.delete_messagingprofile",
        "shortcodes.change_shortcode",
    ),
    ACCOUNT_MANAGERS: (
        *_EVERY_ROLE,
        "profiles.change_spend_limit",
    ),
    AUDITORS: (
        *_EVERY_ROLE,
        "audit.view_auditentry",
    ),
}


def roles_ensure() -> None:
    """Create the role groups with their permissions if missing (idempotent).

    The data migration does this for real databases; tests that flush tables (live server) and
    `seed_demo` call it so the groups exist whatever happened to the database since. The tests call
    it for every user they make, so when every group holds its permissions already it costs one query.
    """
    from django.contrib.auth.models import Group, Permission

    wanted = {(name, item) for name, dotted in ROLE_PERMISSIONS.items() for item in dotted}
    held = Group.permissions.through.objects.filter(group__name__in=ROLE_PERMISSIONS).values_list(
        "group__name", "permission__content_type__app_label", "permission__codename"
    )
    if wanted <= {(name, f"{app_label}.{codename}") for name, app_label, codename in held}:
        return
    codenames = {item.split(".")[1] for _, item in wanted}
    permissions = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.filter(codename__in=codenames).select_related("content_type")
    }
    for name, dotted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*(permissions[item] for item in dotted))


@dataclass(frozen=True)
class Memberships:
    """A user's groups and the permissions those groups grant ("app_label.codename")."""

    names: tuple[str, ...]
    permissions: frozenset[str]


def memberships(user: Any) -> Memberships:
    """`user`'s groups and their permissions, in one query, once per user object (once per request).

    Every signed-in page needs both: the role check (RoleRequiredMiddleware) and the header's role
    chips read the names, every permission check the permissions (`MembershipBackend`). Django reads
    them with two queries. `request.user` is loaded afresh for each request, so a change of groups
    shows on the next one, as with Django's own permission cache on the user object.
    """
    cached = getattr(user, _MEMBERSHIPS_ATTR, None)
    if cached is None:
        from django.contrib.auth.models import Group

        rows = Group.objects.filter(user=user).values_list(
            "name", "permissions__content_type__app_label", "permissions__codename"
        )
        cached = Memberships(
            names=tuple(sorted({name for name, _, _ in rows})),
            permissions=frozenset(f"{app}.{codename}" for _, app, codename in rows if codename is not None),
        )
        setattr(user, _MEMBERSHIPS_ATTR, cached)
    return cached


def group_names(user: Any) -> tuple[str, ...]:
    """The names of `user`'s groups, sorted (see memberships)."""
    return memberships(user).names


class MembershipBackend(ModelBackend):
    """Django's ModelBackend, taking a user's group permissions from `memberships`, the query that
    also reads the group names, instead of a query of its own. Superusers, inactive users and
    per-object checks are left to ModelBackend as they are."""

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None or user_obj.is_anonymous or not user_obj.is_active or user_obj.is_superuser:
            return super().get_group_permissions(user_obj, obj)
        return set(memberships(user_obj).permissions)
