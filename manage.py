#!/usr/bin/env python
"""Django's command-line utility for the Telnyx Admin dashboard.

`runsandbox` is the one command that belongs to the embedded Telnyx API sandbox, a separate
service with its own settings, URLconf and database; it never loads the dashboard's settings.
"""

import os
import sys


def main() -> None:
    settings = "sandbox.settings" if sys.argv[1:2] == ["runsandbox"] else "telnyx_admin.settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
