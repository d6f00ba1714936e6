"""The short-code list against the live sandbox: filters, pagination, names without per-row calls."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fixtures.short_codes import calls_to, telnyx_calls

URL = "/short-codes/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "table"}


def rows(response) -> int:
    return response.content.decode().count('data-testid="short-code-row"')


def test_url_name():
    assert reverse("shortcodes:list") == URL


def test_it_lists_every_short_code_with_profile_names(seed_short_codes, auditor_client):
    bulk = seed_short_codes.profile()
    response = auditor_client.get(URL, {"page_size": 50})
    assert response.status_code == 200
    body = response.content.decode()
    assert rows(response) == 44
    assert "44 results" in body
    # The seed binds 4 short codes to the bulk profile: its name is linked on each of their rows.
    assert body.count(f'href="/profiles/{bulk["id"]}/">{bulk["name"]}</a>') == 4
    assert body.count('data-testid="unassigned"') == 12
    first = seed_short_codes.all()[0]
    assert f'href="/short-codes/{first["id"]}/">{first["short_code"]}</a>' in body


def test_it_filters_unassigned(seed_short_codes, auditor_client):
    response = auditor_client.get(URL, {"profile": "unassigned", "page_size": 50})
    assert response.status_code == 200
    assert rows(response) == 12
    assert response.content.decode().count('data-testid="unassigned"') == 12
    for code in seed_short_codes.unassigned():
        assert code["short_code"] in response.content.decode()


def test_it_filters_by_profile(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    response = support_client.get(URL, {"profile": bulk["id"]})
    body = response.content.decode()
    assert rows(response) == 4
    assert f"Bound to {bulk['name']}" in body  # the chosen filter is shown by name
    assert body.count(f">{bulk['name']}</a>") == 4


def test_an_invalid_filter_says_so_and_shows_all(seed_short_codes, support_client):
    response = support_client.get(URL, {"profile": "not-a-profile"})
    assert response.status_code == 200
    assert "Unknown filter: showing all short codes." in response.content.decode()
    assert "44 results" in response.content.decode()


def test_it_paginates(seed_short_codes, support_client):
    first = support_client.get(URL, {"page_size": 20})
    third = support_client.get(URL, {"page_size": 20, "page": 3})
    assert rows(first) == 20 and rows(third) == 4
    assert "page 3 of 3" in third.content.decode()
    # Links keep the filter and page size in the URL.
    assert "?page_size=20&amp;page=2" in first.content.decode()
    # The filter stays in the pager's links.
    unassigned = support_client.get(URL, {"profile": "unassigned"}).content.decode()
    assert '<input type="hidden" name="profile" value="unassigned">' in unassigned
    filtered = support_client.get(URL, {"profile": "", "page": 2}).content.decode()
    assert "page 2 of 3" in filtered


def test_a_page_size_that_is_not_offered_falls_back_to_20(seed_short_codes, support_client):
    response = support_client.get(URL, {"page_size": 5, "page": 2})
    assert rows(response) == 20
    assert "page 2 of 3" in response.content.decode()


def test_htmx_returns_the_table_only(seed_short_codes, support_client):
    response = support_client.get(URL, {"profile": "unassigned"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="table"')
    assert "<html" not in body and 'id="filters"' not in body
    assert rows(response) == 12
    assert "HX-Request" in response["Vary"]


def test_a_bound_profile_missing_from_the_directory_shows_its_id(seed_short_codes, support_client):
    # Warm the directory, then create a profile and bind a short code to it behind the dashboard's back.
    support_client.get(URL)
    newcomer = seed_short_codes.create_profile("Newcomer Ltd")
    code = seed_short_codes.unassigned()[0]
    seed_short_codes.sandbox.patch(
        f"/short_codes/{code['id']}", json={"messaging_profile_id": newcomer["id"]}
    ).raise_for_status()
    body = support_client.get(URL, {"profile": newcomer["id"]}).content.decode()
    assert f'<code>{newcomer["id"]}</code> <span class="muted">(unknown profile)</span>' in body
    assert calls_to(seed_short_codes.sandbox, "GET /v2/messaging_profiles/{id}") == 0


@pytest.mark.parametrize("page_size", [20, 50, 100, 250])
def test_calls_per_page_do_not_grow_with_the_page(seed_short_codes, support_client, page_size):
    """Names come from the directory: 2 calls cold (short codes + directory), 1 warm, any page size."""
    sandbox = seed_short_codes.sandbox
    cold = support_client.get(URL, {"page_size": page_size})
    warm = support_client.get(URL, {"page_size": page_size})
    assert rows(cold) == min(44, page_size)
    assert (telnyx_calls(cold), telnyx_calls(warm)) == (2, 1)
    stats = sandbox.stats()["requests"]
    assert stats == {"GET /v2/short_codes": 2, "GET /v2/messaging_profiles": 1}


def test_calls_stay_constant_with_thousands_of_rows_worth_of_profiles(seed_short_codes, support_client):
    """Constancy as the page grows, compared directly: the count for 250 rows equals that for 20."""
    counts = {}
    for size in (20, 50, 100, 250):
        seed_short_codes.sandbox.clear_stats()
        from profiles import directory

        directory.invalidate()
        counts[size] = telnyx_calls(support_client.get(URL, {"page_size": size}))
        assert seed_short_codes.sandbox.stats()["total_requests"] == counts[size]
    assert set(counts.values()) == {2}, counts


def test_the_unassigned_filter_needs_no_directory(seed_short_codes, support_client):
    response = support_client.get(URL, {"profile": "unassigned"})
    assert telnyx_calls(response) == 1
    assert calls_to(seed_short_codes.sandbox, "GET /v2/messaging_profiles") == 0


def test_rate_limiting_shows_the_banner(seed_short_codes, support_client):
    seed_short_codes.sandbox.set_faults(error_rate=1, error_status=429, retry_after_seconds=120)
    response = support_client.get(URL)
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert 'data-testid="telnyx-banner"' in response.content.decode()
    assert "Retry in 120 s." in response.content.decode()


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_show_the_banner(seed_short_codes, support_client, status):
    seed_short_codes.sandbox.set_faults(error_rate=1, error_status=status)
    response = support_client.get(URL)
    assert response.status_code == 503
    assert "Telnyx is unavailable" in response.content.decode()


def test_htmx_failure_is_retargeted_to_the_banner(seed_short_codes, support_client):
    seed_short_codes.sandbox.set_faults(error_rate=1, error_status=503)
    response = support_client.get(URL, {"page": 2}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#messages"
    assert "Telnyx is unavailable" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_page_past_the_end_is_not_an_error(seed_short_codes, support_client):
    response = support_client.get(URL, {"page": 99, "page_size": 20})
    assert response.status_code == 200
    assert rows(response) == 0
    body = response.content.decode()
    # 44 seeded short codes: 3 pages of 20, and a way back to the last one that keeps the page size.
    assert "Page 99 is past the end: there are only 3 pages." in body
    assert 'href="/short-codes/?page_size=20&amp;page=3"' in body
