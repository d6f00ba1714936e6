"""Create the three role groups with the permissions of the role matrix (ARCHITECTURE.md).

The permissions belong to table-less models in `profiles`, `shortcodes` and `audit`. Django only
creates permissions after all migrations have run (post_migrate), so this migration creates them
itself first; otherwise a fresh database would get empty groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Frozen copy of telnyx_admin.roles.ROLE_PERMISSIONS at the time of writing: a migration must not
# change meaning when the module does later.
ROLES = {
    "Support staff": (
        "profiles.view_messagingprofile",
        "shortcodes.view_shortcode",
        "audit.view_history",
        "profiles.add_messagingprofile",
        "profiles.change_messagingprofile",
        "profiles.delete_messagingprofile",
        "shortcodes.change_shortcode",
    ),
    "Account managers": (
        "profiles.view_messagingprofile",
        "shortcodes.view_shortcode",
        "audit.view_history",
        "profiles.change_spend_limit",
    ),
    "Auditors": (
        "profiles.view_messagingprofile",
        "shortcodes.view_shortcode",
        "audit.view_history",
        "audit.view_auditentry",
    ),
}


def create_roles(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for label in ("profiles", "shortcodes", "audit"):
        app_config = apps.get_app_config(label)
        # Historical app configs have no models module; create_permissions skips them without one.
        app_config.models_module = True  # type: ignore[assignment]  # any true value will do
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0001_initial"),
        ("profiles", "0001_initial"),
        ("shortcodes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
