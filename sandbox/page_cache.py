"""Serialized list pages kept in memory, so a repeated page costs no database work at all.

The sandbox must never be what a benchmark of the dashboard measures. The heaviest answers are list
pages (250 phone numbers are ~177 kB of JSON); an export asks for the same 21 pages again and
again, and with injected latency eight of them finish sleeping at once and then queue for the one
process's GIL. Serving a page from here takes a dictionary lookup instead of two queries and the
JSON assembly.

Coherence: the sandbox is one process (gunicorn, one worker, threads), and every change to its
data arrives as an HTTP request in that process. `sandbox_middleware` calls `invalidate()` after
every request that is not a GET/HEAD/OPTIONS (API writes, `/_sandbox/reset`), failed ones
included, so the next read goes to the database. A reader that started before the write cannot
store what it read afterwards: `store()` refuses a body fetched under an older generation. Writes
made to the SQLite file by another process (nothing does this while the server runs) would not be
seen until the next write or reset through HTTP.

Bounded by entries and by bytes; the least recently used page goes first.
"""

from __future__ import annotations

import collections
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class CachedBody:
    content: bytes
    content_type: str


class PageCache:
    """A thread-safe LRU of response bodies tagged with the data generation they were read in."""

    def __init__(self, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: collections.OrderedDict[tuple[Any, ...], CachedBody] = collections.OrderedDict()
        self._bytes = 0
        self._generation = 0
        self.hits = 0
        self.misses = 0

    @property
    def generation(self) -> int:
        return self._generation

    def get(self, key: tuple[Any, ...]) -> CachedBody | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def store(self, key: tuple[Any, ...], body: CachedBody, *, generation: int) -> bool:
        """Keep `body` unless the data changed since `generation` was read (then it may be stale)."""
        size = len(body.content)
        if size > self.max_bytes:
            return False
        with self._lock:
            if generation != self._generation:
                return False
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous.content)
            self._entries[key] = body
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.content)
            return True

    def invalidate(self) -> None:
        """The data changed (or may have): forget every page and refuse bodies read before now."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes


pages = PageCache()

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cached_get(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a GET from the cache when this exact path and query were answered 200 since the last write.

    Only successful answers are kept: errors (404, 422) are cheap and must reflect the request.
    Method checks, authentication, statistics and faults all run before this, in the middleware
    and `api_view`, so a cached page is counted and faulted like any other.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method != "GET":
            return view(request, *args, **kwargs)
        query = tuple((name, tuple(values)) for name, values in sorted(request.GET.lists()))
        key = (request.path_info, query)
        found = pages.get(key)
        if found is not None:
            return HttpResponse(found.content, content_type=found.content_type)
        generation = pages.generation
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            pages.store(
                key,
                CachedBody(content=response.content, content_type=response["Content-Type"]),
                generation=generation,
            )
        return response

    return wrapper
