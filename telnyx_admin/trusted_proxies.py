"""Whether a request came through one of our reverse proxies, so that a header only they set is theirs.

`TRUSTED_PROXY_COUNT` says how many proxies stand in front; it cannot say whether this request passed
through them. A client that reaches gunicorn directly (a port left open, another host on the network)
writes what it likes into the headers a proxy would set. So a proxy's header is taken only when the
immediate peer (`REMOTE_ADDR`) is a proxy address: `TRUSTED_PROXY_ADDRESSES`, read from the same
`FORWARDED_ALLOW_IPS` that tells gunicorn whose X-Forwarded-* headers to believe. Entries are
addresses or networks (`10.0.0.0/8`), or `*` for any peer (compose, where only the proxy can reach
gunicorn).
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def from_trusted_proxy(request: HttpRequest) -> bool:
    if getattr(settings, "TRUSTED_PROXY_COUNT", 0) <= 0:
        return False
    networks = _networks(tuple(settings.TRUSTED_PROXY_ADDRESSES))
    if networks is None:
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:  # not an IP peer (a Unix socket) or none at all
        return False
    return any(peer in network for network in networks)


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[_Network, ...] | None:
    """The entries as networks, or None for "any peer" (`*`)."""
    cleaned = [entry.strip() for entry in entries if entry.strip()]
    if "*" in cleaned:
        return None
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in cleaned)
