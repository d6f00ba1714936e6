"""List pages decoded by msgspec straight into the records a caller reads, with a lenient way back.

Reading every profile (the catalog) or every number of a profile (the CSV export, the number index)
decodes megabytes of JSON on the dashboard's one GIL. msgspec decodes a page into typed records
and skips the fields they do not name without building them: a fifth of the CPU of `json.loads`
and a record made from each dict. A page that breaks the records' types (a number where a name
should be) is not an error: it is decoded as JSON and each item made by the record's `lenient`
constructor, so one odd item never hides a whole list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from telnyx_admin.telnyx import http
from telnyx_admin.telnyx.pages import Page


def page_parser[T](record: type[T], lenient: Callable[[Mapping[str, Any]], T]) -> Callable[[bytes], Page[T]]:
    """A `parse` for http.request: a list answer's bytes as a Page of `record` (a msgspec Struct).

    The parser raises ValueError when the body is not JSON (http.request reports that as it does
    for any call).
    """
    page_type = msgspec.defstruct(
        f"{record.__name__}Page",
        [("data", list[record]), ("meta", dict[str, Any], msgspec.field(default_factory=dict))],  # type: ignore[valid-type]
        frozen=True,
    )
    decoder = msgspec.json.Decoder(page_type)

    def parse(content: bytes) -> Page[T]:
        try:
            listed: Any = decoder.decode(content)
        except msgspec.DecodeError:  # not the records' types (or JSON msgspec refuses): the lenient way
            return Page.from_api(http.parse_json(content), lenient)
        return Page.of(tuple(listed.data), listed.meta)

    return parse
