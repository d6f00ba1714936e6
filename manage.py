#!/usr/bin/env python
"""Django's command-line utility for the Telnyx Admin dashboard.

`runsandbox` is the one command that belongs to the embedded Telnyx API sandbox, a separate
service with its own settings, URLconf and database; it never loads the dashboard's settings.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["runsandbox"]:
        # Forced: an exported DJANGO_SETTINGS_MODULE (pytest-django sets the dashboard's) would
        # otherwise hide the command, which exists only in the sandbox's settings.
        os.environ["DJANGO_SETTINGS_MODULE"] = "sandbox.settings"
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telnyx_admin.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
