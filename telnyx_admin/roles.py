"""The role matrix of ARCHITECTURE.md as data: which Django permissions each group holds.

The roles data migration creates these groups from this mapping; the role-matrix test and the
`seed_demo` command read it too. Changing a role means a new migration, not editing history:
an organisation may also regroup permissions in the admin.
"""

from typing import Any

from django.utils.translation import gettext_noop

SUPPORT_STAFF = gettext_noop("Support staff")
ACCOUNT_MANAGERS = gettext_noop("Account managers")
AUDITORS = gettext_noop("Auditors")
# Not a group: what the header's role chip calls a superuser (templatetags/dashboard.py user_roles),
# marked here with the role names so that `{% translate role %}` finds it in the catalogue too.
ADMINISTRATOR = gettext_noop("Administrator")

_GROUP_NAMES_ATTR = "_telnyx_admin_group_names"

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
    `seed_demo` call it so the groups exist whatever happened to the database since.
    """
    from django.contrib.auth.models import Group, Permission

    for name, dotted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for item in dotted:
            app_label, codename = item.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)


def group_names(user: Any) -> tuple[str, ...]:
    """The names of `user`'s groups, sorted; read once per user object, i.e. once per request.

    Both the role check (RoleRequiredMiddleware) and the header's role chips need them on every
    page; `request.user` is loaded afresh for each request, so a change of groups shows on the
    next one, as with Django's own permission cache on the user object.
    """
    cached = getattr(user, _GROUP_NAMES_ATTR, None)
    if cached is None:
        cached = tuple(sorted(user.groups.values_list("name", flat=True)))
        setattr(user, _GROUP_NAMES_ATTR, cached)
    return cached
