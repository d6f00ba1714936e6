"""Every messaging profile of the account, loaded the one way the directory and the overview share.

The list API is read at its largest page size (250), pages fetched concurrently under the shared
request budget, with no cap: 20,000 profiles are 80 calls. The result is kept in Django's cache
(Redis in production, so every instance and worker shares one copy) and:

- served as is while younger than PROFILE_CATALOG_FRESH_SECONDS;
- served, and rebuilt in the background by a worker, while younger than
  PROFILE_CATALOG_MAX_STALE_SECONDS (a page never waits on a rebuild it does not need);
- built in the request when there is none, or it is older than that, or after `invalidate()`
  (profile writes through the dashboard call it: the next page shows the change).

How many pages the account had last time is remembered apart from the catalog, so a rebuild asks
for all of them at once instead of first waiting for page 1 to say how many there are: the cost of
a rebuild is one round trip per `PROFILE_CATALOG_CONCURRENCY` pages, and exactly one call per page
while the account keeps its size.

Keys carry the account and the API address (two sandboxes, or a later second account, never share
a catalog) and a generation number that `invalidate()` moves on, so a build that was running while
a profile was renamed stores its now-stale result where nobody looks any more.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import functools
import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache

from telnyx_admin.telnyx import budget
from telnyx_admin.telnyx.pages import Page
from telnyx_admin.telnyx.profile_listing import ProfileListing, list_profile_listings
from telnyx_admin.telnyx.profiles import MessagingProfile, list_profiles_raw

logger = logging.getLogger(__name__)

PAGE_SIZE = 250  # the API's largest page


class ProfileSummary(NamedTuple):
    """What the account-wide views need of a profile. A tuple: thousands of them are pickled into
    and out of the cache on every view, and tuples are what pickle handles fastest."""

    id: str
    name: str
    enabled: bool
    daily_spend_limit: str
    daily_spend_limit_enabled: bool
    created_at: str
    updated_at: str
    # daily_spend_limit as a number (None: no limit set, or not a number), parsed once per build.
    limit: Decimal | None = None

    @classmethod
    def of(cls, listed: ProfileListing) -> ProfileSummary:
        """From a listed profile (thousands per catalog build: kept lean)."""
        spend = listed.daily_spend_limit or ""
        return cls(
            listed.id,
            listed.name or "",
            listed.enabled,
            spend,
            listed.daily_spend_limit_enabled,
            listed.created_at or "",
            listed.updated_at or "",
            parse_limit(spend),
        )


def parse_limit(value: Any) -> Decimal | None:
    if not value:
        return None
    return _parse_limit_text(str(value))


# An account has a few distinct limits over thousands of profiles: each is parsed once, and the
# catalog holds one Decimal per distinct amount (pickle then writes each only once, too).
@functools.lru_cache(maxsize=4096)
def _parse_limit_text(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class ProfileCatalog:
    """Every profile of the account, in the API's order, as Telnyx listed them at `built_at`."""

    profiles: tuple[ProfileSummary, ...]
    built_at: float  # time.time()
    calls: int = 0
    account: str = ""

    @cached_property
    def names(self) -> Mapping[str, str]:
        return {profile.id: profile.name for profile in self.profiles}

    @cached_property
    def by_name(self) -> tuple[ProfileSummary, ...]:
        """The profiles sorted by name (case-insensitive), the order most views start from."""
        return tuple(sorted(self.profiles, key=lambda p: (p.name.casefold(), p.id)))

    def __len__(self) -> int:
        return len(self.profiles)

    def __iter__(self) -> Iterator[ProfileSummary]:
        return iter(self.profiles)

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.built_at

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by column: a tuple per field instead of a named tuple per profile, which pickle
        # writes through a Python-level __getnewargs__ each. 2,000 profiles: 2.7 -> 0.5 ms to
        # store (every build in a request pays it), 0.8 -> 0.7 ms to read back. The sorted orders
        # and name map are left out: each process builds them again when first asked.
        columns = tuple(zip(*self.profiles, strict=True))
        return (_unpickle_catalog, (columns, self.built_at, self.calls, self.account))


def _unpickle_catalog(
    columns: tuple[tuple[Any, ...], ...], built_at: float, calls: int, account: str
) -> ProfileCatalog:
    return ProfileCatalog(
        tuple(map(ProfileSummary._make, zip(*columns, strict=True))), built_at, calls, account
    )


# --- the cache ---------------------------------------------------------------------------------------


def _scope() -> str:
    # The address is hashed: a key must not carry a URL (or anything else) verbatim.
    address = hashlib.sha256(settings.TELNYX_API_BASE_URL.encode()).hexdigest()[:12]
    return f"profiles:catalog:{settings.TELNYX_ACCOUNT}:{address}"


def _generation_key() -> str:
    return f"{_scope()}:generation"


def _pages_key() -> str:
    return f"{_scope()}:pages"


def _fresh_generation() -> int:
    # Never reuse a small number after an eviction: an old catalog may still sit under it.
    return time.time_ns()


def current_key() -> str:
    generation = cache.get(_generation_key())
    if generation is None:
        generation = _fresh_generation()
        # add(): if two workers race here, both end up reading the same generation.
        if not cache.add(_generation_key(), generation, None):
            generation = cache.get(_generation_key(), generation)
    return f"{_scope()}:{generation}"


def invalidate() -> None:
    """Forget the catalog; the next reader builds it afresh. Call after writes that change profiles."""
    try:
        cache.incr(_generation_key())
    except ValueError:  # no generation yet (or it was evicted): any new number will do
        cache.set(_generation_key(), _fresh_generation(), None)


def forget_size() -> None:
    """Forget how many pages the account had (tests that shrink the sandbox's account use this)."""
    cache.delete(_pages_key())


# This process's copy of the catalog last read from the cache, by key. A small "built at" stamp
# next to the catalog says whether it is still the one in the cache, so a view reads the stamp
# instead of unpickling thousands of profiles (and keeps the copy's sorted orders and name map).
_memo: dict[str, ProfileCatalog] = {}


def _stamp_key(key: str) -> str:
    return f"{key}:built"


def cached_catalog() -> ProfileCatalog | None:
    """The catalog if one is cached (fresh or stale), without calling Telnyx."""
    return _read(current_key())


def _read(key: str) -> ProfileCatalog | None:
    stamp = cache.get(_stamp_key(key))
    if stamp is None:
        return None
    memo = _memo.get(key)
    if memo is not None and memo.built_at == stamp:
        return memo
    found = cache.get(key)
    if not isinstance(found, ProfileCatalog):
        return None
    _memo.clear()
    _memo[key] = found
    return found


def profile_catalog() -> ProfileCatalog:
    """Every profile: from the cache while fresh enough, else loaded now (see the module docstring).

    Raises: TelnyxError subclasses while loading (the page shows the banner).
    """
    key = current_key()
    found = _read(key)
    if found is not None:
        age = found.age()
        if age < settings.PROFILE_CATALOG_FRESH_SECONDS:
            return found
        if age < settings.PROFILE_CATALOG_MAX_STALE_SECONDS:
            _rebuild_in_background(key)
            return found
    return _build_once(key)


# After an invalidation many requests may need the catalog at the same moment; one of them (on any
# instance) builds it while the others wait for its result, up to BUILD_WAIT seconds.
BUILD_WAIT = 10.0


def _build_once(key: str) -> ProfileCatalog:
    lock = f"{key}:building"
    if cache.add(lock, 1, int(BUILD_WAIT * 3)):
        try:
            return build_and_store(key)
        finally:
            cache.delete(lock)
    deadline = time.monotonic() + BUILD_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.05)
        found = _read(key)
        if found is not None:
            return found
        if cache.get(lock) is None:
            break  # the builder gave up (Telnyx failed it): try ourselves
    return build_and_store(key)


def build_and_store(key: str | None = None) -> ProfileCatalog:
    """Load every profile now and cache it under `key` (the current generation by default)."""
    key = key or current_key()
    built = load_every_profile(page_hint=cache.get(_pages_key()))
    timeout = settings.PROFILE_CATALOG_MAX_STALE_SECONDS
    cache.set(key, built, timeout)
    cache.set(_stamp_key(key), built.built_at, timeout)
    cache.set(_pages_key(), max(1, math.ceil(len(built) / PAGE_SIZE)), None)
    _memo.clear()
    _memo[key] = built
    return built


def _rebuild_in_background(key: str) -> None:
    # One rebuild per catalog generation at a time, whichever instance noticed first.
    if not cache.add(f"{key}:rebuilding", 1, settings.PROFILE_CATALOG_FRESH_SECONDS):
        return
    from profiles.tasks import rebuild_profile_catalog

    try:
        rebuild_profile_catalog.enqueue(key=key)
    except Exception:  # the queue is a database table: never fail a page for want of a rebuild
        logger.warning("could not queue a rebuild of the profile catalog", exc_info=True)
        cache.delete(f"{key}:rebuilding")


def rebuild(key: str) -> int:
    """The background rebuild (a task in a worker): under the job share of the request budget."""
    with budget.job_scope():
        built = build_and_store(key)
    cache.delete(f"{key}:rebuilding")
    return len(built)


# --- loading --------------------------------------------------------------------------------------------


def load_every_profile(*, page_hint: int | None = None, concurrency: int | None = None) -> ProfileCatalog:
    """Every profile of the account from the list API, pages of 250 fetched concurrently.

    With `page_hint` (pages the account had last time) those pages are all asked for at once; page
    1 then says how many there really are, and any others are fetched too (a grown account), or
    speculative pages past the end are dropped (a shrunk one). Without it, page 1 comes first.

    Raises: the first TelnyxError of any page.
    """
    profiles, calls = _every_page(
        list_profile_listings, ProfileSummary.of, page_hint=page_hint, concurrency=concurrency
    )
    return ProfileCatalog(
        profiles=tuple(profiles), built_at=time.time(), calls=calls, account=settings.TELNYX_ACCOUNT
    )


def known_pages() -> int | None:
    """How many list pages the account had when the catalog was last built (None: not known)."""
    pages = cache.get(_pages_key())
    return int(pages) if pages else None


def read_profiles_now(
    ids: Iterable[str], *, most_pages: int | None = None
) -> dict[str, MessagingProfile] | None:
    """The profiles `ids` as Telnyx holds them now, whole, by id: every list page read afresh (never
    the cache), concurrently, in one round trip when the account kept its size. The API filters
    profiles by name only, so many profiles are re-read in `known_pages()` calls instead of one GET
    each. A profile missing from the answer no longer exists (or was created after the listing).

    With `most_pages`, None when the account turns out to have more list pages than that (known from
    page 1, the only call made then): the caller re-reads another way.

    Raises: the first TelnyxError of any page.
    """
    wanted = set(ids)

    def keep(data: Mapping[str, Any]) -> MessagingProfile | None:
        return MessagingProfile.from_api(data) if str(data.get("id", "")) in wanted else None

    try:
        found, _calls = _every_page(list_profiles_raw, keep, page_hint=known_pages(), most_pages=most_pages)
    except _TooManyPages:
        return None
    return {profile.id: profile for profile in found if profile is not None}


class _TooManyPages(Exception):
    """The account has more list pages than the caller would read."""


def _every_page[S, T](
    list_page: Callable[..., Page[S]],
    convert: Callable[[S], T],
    *,
    page_hint: int | None,
    concurrency: int | None = None,
    most_pages: int | None = None,
) -> tuple[list[T], int]:
    """Every item of every page `list_page` reads, `convert`ed, in the API's order, and how many
    calls it took."""
    workers = max(1, int(concurrency or settings.PROFILE_CATALOG_CONCURRENCY))
    first_wave = max(1, int(page_hint or 1))
    calls = 0
    lock = threading.Lock()

    def fetch(number: int) -> tuple[int, list[T]]:
        nonlocal calls
        with lock:
            calls += 1
        page = list_page(page_number=number, page_size=PAGE_SIZE)
        # Converted here, in the page's thread: while it works, later pages are still arriving.
        return page.total_pages, list(map(convert, page.items))

    pages: dict[int, concurrent.futures.Future[tuple[int, list[T]]]] = {}
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=workers, thread_name_prefix="profile-catalog"
    ) as pool:

        def submit(number: int) -> None:
            # A copy of the caller's context per page: calls count in its Server-Timing tally and
            # take tokens at its priority (a page's, or a job's share).
            pages[number] = pool.submit(contextvars.copy_context().run, fetch, number)

        try:
            for number in range(1, first_wave + 1):
                submit(number)
            total_pages = max(1, pages[1].result()[0])
            if most_pages is not None and total_pages > most_pages:
                raise _TooManyPages
            for number in range(first_wave + 1, total_pages + 1):
                submit(number)
            items: list[T] = []
            for number in range(1, total_pages + 1):
                items.extend(pages[number].result()[1])
        finally:
            for future in pages.values():
                future.cancel()  # pages past the end, or after a failure: not needed
    return items, calls
