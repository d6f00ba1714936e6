"""The client's IP address, as used by login throttling (axes) and audit entries alike.

Behind N trusted reverse proxies (`TRUSTED_PROXY_COUNT`), the client is the N-th address from the
right of `X-Forwarded-For`; anything further left was written by the client and cannot be trusted.
With no proxy configured, it is `REMOTE_ADDR`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR")
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None
