"""`manage.py seed_demo`: one demo user per role plus an administrator, for `make demo`.

Passwords are generated fresh on every run and printed once. Refuses to run unless DEMO_MODE or
DEBUG is on, or `--force` is given: demo accounts with printed passwords do not belong in production.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from telnyx_admin.roles import ACCOUNT_MANAGERS, AUDITORS, SUPPORT_STAFF, roles_ensure

DEMO_USERS: tuple[tuple[str, str | None], ...] = (
    ("support", SUPPORT_STAFF),
    ("accounts", ACCOUNT_MANAGERS),
    ("auditor", AUDITORS),
    ("admin", None),  # superuser
)


class Command(BaseCommand):
    help = "Create one demo user per role and an admin superuser; print their passwords."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even without DEMO_MODE or DEBUG.")
        parser.add_argument(
            "--password",
            help="Use this password for every demo user instead of generating one each (e.g. for scripts).",
        )

    def handle(self, *args: Any, force: bool = False, password: str | None = None, **options: Any) -> None:
        if not (settings.DEBUG or getattr(settings, "DEMO_MODE", False) or force):
            raise CommandError("Refusing to create demo users: set DEMO_MODE=1 or DEBUG=1, or pass --force.")
        User = get_user_model()
        created: list[tuple[str, str, str]] = []
        with transaction.atomic():
            roles_ensure()
            for username, group_name in DEMO_USERS:
                secret = password or secrets.token_urlsafe(12)
                user, _ = User.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@example.com"}
                )
                user.set_password(secret)
                user.is_active = True
                user.is_staff = user.is_superuser = group_name is None
                user.save()
                user.groups.set([Group.objects.get(name=group_name)] if group_name else [])
                created.append((username, group_name or "Administrator (superuser)", secret))
        self.stdout.write("Demo users (passwords are shown only now):")
        width = max(len(name) for name, _, _ in created)
        for username, role, secret in created:
            self.stdout.write(f"  {username:<{width}}  {secret}  {role}")
