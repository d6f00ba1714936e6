"""Every list reads `page` and `page_size` by one rule (telnyx_admin.paging), whatever app it is in.

A page size that is not offered snaps up to the next offered one, so `?page_size=30` shows 50 rows
per page on every list; a page size that is not a positive number shows the list's default, and
anything above 250 shows 250. A page number that is not a number, or below 1, shows page 1.
"""

from __future__ import annotations

import pytest

from audit.views import HISTORY_PAGE_SIZE
from telnyx_admin.paging import DEFAULT_PAGE_SIZE

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def list_urls(bulk_profile_id, clear_profile_directory):
    return {
        "profiles": ("/profiles/", DEFAULT_PAGE_SIZE),
        "short codes": ("/short-codes/", DEFAULT_PAGE_SIZE),
        "audit log": ("/audit/", DEFAULT_PAGE_SIZE),
        "phone numbers tab": (f"/profiles/{bulk_profile_id}/phone-numbers/", DEFAULT_PAGE_SIZE),
        "short codes tab": (f"/profiles/{bulk_profile_id}/short-codes/", DEFAULT_PAGE_SIZE),
        "history tab": (f"/audit/history/messaging_profile/{bulk_profile_id}/", HISTORY_PAGE_SIZE),
    }


def _shown(client, url: str, params: dict[str, str]) -> tuple[int, int]:
    response = client.get(url, params, **HTMX)
    assert response.status_code == 200, (url, params, response.status_code)
    page = response.context["page"] if "page" in response.context else response.context["numbers"]
    return page.number, page.paginator.per_page


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("30", 50), ("20", 20), ("51", 100), ("250", 250), ("9999", 250)],
)
def test_an_unoffered_page_size_snaps_up_on_every_list(superuser_client, list_urls, raw, expected):
    for name, (url, _) in list_urls.items():
        assert _shown(superuser_client, url, {"page_size": raw})[1] == expected, name


@pytest.mark.parametrize("raw", ["", "abc", "0", "-5", "2.5"])
def test_a_page_size_that_is_no_size_is_the_default_on_every_list(superuser_client, list_urls, raw):
    for name, (url, default) in list_urls.items():
        assert _shown(superuser_client, url, {"page_size": raw})[1] == default, name


@pytest.mark.parametrize("raw", ["abc", "0", "-1", ""])
def test_a_page_number_that_is_no_page_is_page_one_on_every_list(superuser_client, list_urls, raw):
    for name, (url, _) in list_urls.items():
        assert _shown(superuser_client, url, {"page": raw})[0] == 1, name
