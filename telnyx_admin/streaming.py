"""Streamed responses: a middleware's per-request scope, kept around each chunk of a streamed body.

A streamed body (the CSV exports) is produced after every middleware has returned, so whatever a
middleware set up for the request (the request id of log lines, the database guard) has ended by then.
`each_chunk_within` re-enters that scope while each chunk is made, and leaves it between chunks, when
the thread is sending and belongs to nobody's request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any


def each_chunk_within(
    scope: Callable[[], AbstractContextManager[Any]], chunks: Iterable[Any]
) -> Iterator[Any]:
    iterator = iter(chunks)
    while True:
        with scope():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk
