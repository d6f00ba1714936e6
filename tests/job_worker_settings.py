"""Settings of the job workers that tests start: the dashboard's, plus the tests' own job kinds."""

from telnyx_admin.settings import *  # noqa: F403
from telnyx_admin.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.job_kinds_app"]
