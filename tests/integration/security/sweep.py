"""Helpers of the security sweep: every URL pattern made concrete, and a crawler over the pages.

concrete_urls(samples)   one URL per pattern of the URLconf (admin included), by view name
crawl(client, ...)       every page reachable from the start pages by links and htmx attributes,
                         fetched as a full page and, where htmx would load it, as a partial
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_LINK = re.compile(r'(href|hx-get|action)="([^"]*)"')
# Never followed: signing out ends the crawl's session; static files carry no data.
_SKIP_PREFIXES = ("/accounts/logout/", "/static/", "/admin/logout/")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern as text
    callback: Any


def routes() -> Iterator[Route]:
    """Every URL pattern of the project, with its full name and pattern text."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                    pattern.namespace or namespace
                )  # fmt: skip
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
                yield Route(name=name, route=prefix + str(pattern.pattern), callback=pattern.callback)

    yield from walk(get_resolver().url_patterns, "", "")


def concrete_urls(samples: dict[str, str]) -> tuple[dict[str, str], list[Route]]:
    """A URL for every pattern, filling each parameter from `samples` (by parameter name).

    Named patterns are reversed; unnamed ones (the admin's redirects and catch-all) are built from
    their text. Returns (URLs by view name or pattern text, patterns that could not be built), so
    nothing is silently left out.
    """
    built: dict[str, str] = {}
    unbuilt: list[Route] = []
    for route in routes():
        params = [a or b for a, b in _PARAMS.findall(route.route)]
        try:
            if route.name:
                built[route.name] = reverse(route.name, kwargs={p: samples[p] for p in params})
            else:
                text = _PARAM_TEXT.sub(lambda m: samples[m[1] or m[2]], route.route)
                built[route.route] = "/" + text.removeprefix("^").removesuffix("$")
        except (KeyError, NoReverseMatch):
            unbuilt.append(route)
    return built, unbuilt


_PARAMS = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
_PARAM_TEXT = _PARAMS


@dataclass(frozen=True)
class Fetched:
    url: str
    htmx: bool
    status: int
    headers: str
    body: str


def _shape(url: str) -> str:
    """Pages that differ only in ids or query values count as one shape for the crawl budget."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return UUID.sub("{id}", parts.path) + "?" + "&".join(keys)


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def crawl(client: Client, *, start: list[str], per_shape: int = 2, max_pages: int = 250) -> list[Fetched]:
    """Breadth-first over same-site links (`href`, `hx-get`, GET form `action`s) from `start`.

    Each URL is fetched as a full page, and URLs found in `hx-get` also as an htmx request. At most
    `per_shape` URLs of one shape (see `_shape`) and `max_pages` fetches in all.
    """
    queue: list[tuple[str, bool]] = [(url, False) for url in start]
    seen: set[tuple[str, bool]] = set(queue)
    shapes: Counter[tuple[str, bool]] = Counter()
    fetched: list[Fetched] = []
    while queue and len(fetched) < max_pages:
        url, htmx = queue.pop(0)
        extra = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver" + url} if htmx else {}
        response = client.get(url, **extra)
        body = _body(response)
        headers = "\n".join(f"{key}: {value}" for key, value in response.items())
        fetched.append(Fetched(url=url, htmx=htmx, status=response.status_code, headers=headers, body=body))
        if "html" not in response.get("Content-Type", ""):
            continue
        for kind, raw in _LINK.findall(body):
            link = html.unescape(raw)
            if not link.startswith("/") or link.startswith("//") or link.startswith(_SKIP_PREFIXES):
                continue
            if kind == "action" and 'method="post"' in body and link == url:
                continue
            for as_htmx in (False, True) if kind == "hx-get" else (False,):
                key = (link, as_htmx)
                shape = (_shape(link), as_htmx)
                if key in seen or shapes[shape] >= per_shape:
                    continue
                seen.add(key)
                shapes[shape] += 1
                queue.append(key)
    return fetched
