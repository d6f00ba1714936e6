"""Is Telnyx reachable with our key? One cheap call for the readiness probe (/readyz)."""

from __future__ import annotations

from django.conf import settings

from telnyx_admin.telnyx import http


def check_reachable(*, timeout: float = 2.0) -> None:
    """List one messaging profile, once, within `timeout` seconds; return None if that worked.

    No retries: a readiness probe must answer quickly and report what it saw, and the load
    balancer asks again anyway.

    Raises:
        TelnyxError subclasses: ApiUnavailable (down, timed out, 5xx), AuthFailed (bad key), ...
    """
    # Reference: https://developers.telnyx.com/api/messaging/list-messaging-profiles
    connect = min(float(settings.TELNYX_CONNECT_TIMEOUT), timeout)
    http.request(
        "GET",
        "/messaging_profiles",
        params={"page[number]": 1, "page[size]": 1},
        max_retries=0,
        timeout=(connect, timeout),
    )
