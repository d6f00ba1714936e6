"""The client's IP address, as used by login throttling (axes) and audit entries alike.

Behind N trusted reverse proxies (`TRUSTED_PROXY_COUNT`), the client is the N-th address from the
right of `X-Forwarded-For`; anything further left was written by the client and cannot be trusted.
With no proxy configured, or when the request did not come from a proxy address (a client reaching
gunicorn directly would otherwise pick the address it is throttled by), it is `REMOTE_ADDR`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from telnyx_admin.trusted_proxies import from_trusted_proxy


def client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR")
    if from_trusted_proxy(request):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None
