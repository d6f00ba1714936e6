"""`manage.py runsandbox --port N`: migrate and seed the sandbox database, then serve it with gunicorn.

One gunicorn worker with many threads: faults, rate-limit windows and statistics live in that one
process's memory, while the threads keep an injected latency from blocking other requests. The
command replaces itself with gunicorn (exec), so it stays in the foreground and SIGTERM/SIGINT
reach gunicorn directly.
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

    def handle(self, *args: Any, port: int, threads: int, **options: Any) -> None:
        if settings.SETTINGS_MODULE != "sandbox.settings":
            raise CommandError(
                f"runsandbox needs DJANGO_SETTINGS_MODULE=sandbox.settings, not {settings.SETTINGS_MODULE}."
            )
        from sandbox.seed import seed_if_empty

        database = settings.SANDBOX_DATABASE_PATH
        database.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if seed_if_empty():
            self.stdout.write(f"Seeded {database}")
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
            "sandbox.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--keep-alive",
            "30",
            "--graceful-timeout",
            "5",
            "--timeout",
            "300",
            "--log-level",
            os.environ.get("SANDBOX_LOG_LEVEL", "warning").lower(),
            # gunicorn's control socket defaults to one path per user: two sandboxes would collide.
            "--no-control-socket",
        ]
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sandbox.settings"}
        os.execve(sys.executable, argv, environment)  # noqa: S606 - fixed argv, no shell
