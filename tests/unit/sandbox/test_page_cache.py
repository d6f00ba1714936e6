"""The sandbox's page cache: bounded, least recently used first, never keeps a body read before a write."""

from sandbox.page_cache import CachedBody, PageCache


def body(size: int) -> CachedBody:
    return CachedBody(content=b"x" * size, content_type="application/json")


def test_a_stored_page_is_served_until_the_data_changes():
    cache = PageCache()
    cache.store(("/v2/short_codes", ()), body(3), generation=cache.generation)
    assert cache.get(("/v2/short_codes", ())) == body(3)
    cache.invalidate()
    assert cache.get(("/v2/short_codes", ())) is None
    assert len(cache) == 0 and cache.size_bytes == 0


def test_a_body_read_before_a_write_is_not_kept():
    cache = PageCache()
    generation = cache.generation  # a reader starts...
    cache.invalidate()  # ...a write finishes while it reads...
    assert cache.store(("k",), body(1), generation=generation) is False  # ...so what it read may be old
    assert cache.get(("k",)) is None
    assert cache.store(("k",), body(1), generation=cache.generation) is True


def test_entries_are_bounded_and_the_least_recently_used_goes_first():
    cache = PageCache(max_entries=2, max_bytes=1000)
    for key in ("a", "b"):
        cache.store((key,), body(1), generation=0)
    cache.get(("a",))  # "b" is now the least recently used
    cache.store(("c",), body(1), generation=0)
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) is not None and cache.get(("c",)) is not None


def test_bytes_are_bounded_and_an_oversized_body_is_not_kept():
    cache = PageCache(max_entries=100, max_bytes=10)
    cache.store(("a",), body(6), generation=0)
    cache.store(("b",), body(6), generation=0)
    assert cache.get(("a",)) is None and cache.size_bytes == 6
    assert cache.store(("huge",), body(11), generation=0) is False
    assert cache.size_bytes == 6


def test_replacing_a_key_counts_its_bytes_once():
    cache = PageCache(max_entries=10, max_bytes=100)
    cache.store(("a",), body(40), generation=0)
    cache.store(("a",), body(50), generation=0)
    assert cache.size_bytes == 50 and len(cache) == 1
