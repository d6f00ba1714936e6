"""`manage.py runsandbox --port N`: migrate and seed the sandbox database, then serve it with gunicorn.

One gunicorn worker with many threads (settings in sandbox/gunicorn_config.py): faults, rate-limit
windows and statistics live in that one process's memory, while the threads keep an injected latency
from blocking other requests. The command replaces itself with gunicorn (exec), so it stays in the
foreground and SIGTERM (graceful) or SIGINT (quick) reach gunicorn directly.
"""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections


class Command(BaseCommand):
    help = "Serve the embedded Telnyx API sandbox on 127.0.0.1:PORT (API under /v2/)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_PORT", "8100")))
        parser.add_argument("--threads", type=int, default=16, help="gunicorn worker threads")
        parser.add_argument(
            "--seed",
            choices=("default", "large"),
            default=os.environ.get("SANDBOX_SEED", "default"),
            help="what a new database is seeded with and a reset restores (large: 2,000 profiles, "
            "200,000 phone numbers, 500 short codes)",
        )
        parser.add_argument(
            "--seed-profiles", type=int, default=0, help="profiles in the large seed (default 2,000)"
        )

    def handle(
        self, *args: Any, port: int, threads: int, seed: str, seed_profiles: int, **options: Any
    ) -> None:
        if settings.SETTINGS_MODULE != "sandbox.settings":
            raise CommandError(
                f"runsandbox needs DJANGO_SETTINGS_MODULE=sandbox.settings, not {settings.SETTINGS_MODULE}."
            )
        from sandbox.seed import seed_if_empty

        settings.SANDBOX_SEED = seed
        settings.SANDBOX_SEED_PROFILES = seed_profiles or settings.SANDBOX_SEED_PROFILES
        database = settings.SANDBOX_DATABASE_PATH.absolute()
        database.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if seed_if_empty():
            self.stdout.write(f"Seeded {database} ({seed} seed)")
        connections.close_all()
        self.stdout.write(
            f"Telnyx API sandbox on http://127.0.0.1:{port}/v2/ (database {database}); "
            "Authorization: Bearer $SANDBOX_API_KEY",
        )
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:sandbox.gunicorn_config",
            "--bind",
            f"127.0.0.1:{port}",
            "--threads",
            str(threads),
        ]
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sandbox.settings",
            # gunicorn must find this project and this database from any working directory.
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
            ),
            "SANDBOX_DATABASE_PATH": str(database),
            "SANDBOX_SEED": seed,
            "SANDBOX_SEED_PROFILES": str(settings.SANDBOX_SEED_PROFILES),
        }
        os.execve(sys.executable, argv, environment)  # noqa: S606 - fixed argv, no shell
