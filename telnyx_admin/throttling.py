"""Login throttling: django-axes' database handler, plus a limit per address across usernames.

axes counts failed sign-ins per username and address (`AXES_LOCKOUT_PARAMETERS`) and locks that pair
out at `AXES_FAILURE_LIMIT`. Password spraying, one or two wrong passwords for each of many
usernames from one address, never reaches that limit; so this handler also locks the address out,
whatever username is tried, once its failures across all usernames within the cool-off reach
`AXES_IP_FAILURE_LIMIT`. That limit is higher: a whole office may sign in from one address.

Counts live in the database (shared by every instance, and independent of Redis), so every
`manage.py axes_reset*` command applies to them.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AxesHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures for this username and address; at least the limit once the address is locked out."""
        failures = super().get_failures(request, credentials)
        address_limit = settings.AXES_IP_FAILURE_LIMIT
        if address_limit and address_failures(request) >= address_limit:
            # The lockout page says why (registration/locked_out.html).
            request.axes_address_failure_limit = address_limit  # type: ignore[attr-defined]
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off, for every username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
