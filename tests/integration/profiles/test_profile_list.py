"""The profile list (/profiles/) against the live sandbox: search, paging, URL state, htmx, errors."""

from __future__ import annotations

import re
import uuid

import pytest

from telnyx_admin import formatting
from tests.fixtures.telnyx import requests_to

pytestmark = pytest.mark.django_db

URL = "/profiles/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/profiles/"}
LIST_ROUTE = "GET /v2/messaging_profiles"


@pytest.fixture(autouse=True)
def _dashboard_uses_sandbox(telnyx_settings):
    return telnyx_settings


def _names(html: str) -> list[str]:
    """Profile names in table order (the link text of each row's first cell)."""
    return re.findall(r'<td class="cell-name"><a href="/profiles/[0-9a-f-]{36}/">([^<]*)</a></td>', html)


def _api_names(sandbox, **params) -> list[str]:
    query = {f"page[{key}]": value for key, value in params.items() if key in ("number", "size")}
    if "contains" in params:
        query["filter[name][contains]"] = params["contains"]
    response = sandbox.get("/messaging_profiles", params=query)
    response.raise_for_status()
    from django.utils.html import escape

    return [escape(item["name"]) for item in response.json()["data"]]


def _meta(sandbox, **params) -> dict:
    return sandbox.get("/messaging_profiles", params=params).json()["meta"]


def test_it_works(support_client, sandbox):
    response = support_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert _names(html) == _api_names(sandbox, number=1, size=20)
    meta = _meta(sandbox)
    assert meta["total_pages"] >= 2  # the seed has 57 profiles (other tests may add some)
    assert f"{meta['total_results']} results · page 1 of {meta['total_pages']}" in html
    assert '<div id="profile-table"' in html and "<html" in html


def test_it_shows_every_column_of_a_row(support_client, sandbox):
    profile = sandbox.get("/messaging_profiles", params={"page[size]": 1}).json()["data"][0]
    html = support_client.get(URL).content.decode()
    row = html[html.index(f'href="/profiles/{profile["id"]}/"') :]
    row = row[: row.index("</tr>")]
    assert formatting.money(profile["daily_spend_limit"]) in row
    assert ("enforced" if profile["daily_spend_limit_enabled"] else "not enforced") in row
    if profile["webhook_url"]:
        # Printed with a <wbr> after each / . - so that it wraps between its parts, never mid-word.
        assert profile["webhook_url"] in row.replace("<wbr>", "")
        assert "<wbr>" in row
    for code in profile["whitelisted_destinations"]:
        assert code in row
    assert f'datetime="{profile["updated_at"]}"' in row
    assert ("Yes" if profile["enabled"] else "No") in row


def test_it_searches_by_name_contains(support_client, sandbox):
    html = support_client.get(URL, {"q": "acme"}).content.decode()
    names = _names(html)
    assert names, "the seed has Acme profiles"
    assert all("acme" in name.lower() for name in names)
    assert names == _api_names(sandbox, contains="acme", number=1, size=20)
    assert 'value="acme"' in html  # the search box keeps what was typed


def test_search_is_case_insensitive_and_trimmed(support_client, sandbox):
    assert _names(support_client.get(URL, {"q": "  ACME  "}).content.decode()) == _names(
        support_client.get(URL, {"q": "acme"}).content.decode()
    )


def test_htmx_returns_table_only(support_client, sandbox):
    # The search-as-you-type response is the table alone: no page frame (head, header, navigation,
    # messages region, search form) rides along with every keystroke.
    response = support_client.get(URL, {"q": "acme"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="profile-table"') and html.rstrip().endswith("</div>")
    for frame in ("<html", "<head", "<body", 'class="site-header"', 'id="messages"', 'id="profile-search"'):
        assert frame not in html, frame
    assert _names(html)
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(support_client, sandbox):
    # After Back, htmx re-fetches a page missing from its cache and swaps in the whole body.
    response = support_client.get(URL, {"page": "2"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    html = response.content.decode()
    assert "<html" in html and 'id="profile-search"' in html


def test_search_form_updates_as_you_type_and_pushes_the_url(support_client, sandbox):
    html = support_client.get(URL).content.decode()
    form = html[html.index('<form id="profile-search"') :]
    form = form[: form.index(">")]
    assert 'hx-trigger="input changed delay:300ms, submit"' in form
    assert 'hx-target="#profile-table"' in form
    assert 'hx-push-url="true"' in form
    # The page size is kept across searches: it joins the search form from inside the table.
    assert '<input type="hidden" name="page_size" value="20" form="profile-search">' in html


def test_page_and_page_size_come_from_the_url(support_client, sandbox):
    html = support_client.get(URL, {"page": "2", "page_size": "50"}).content.decode()
    assert _names(html) == _api_names(sandbox, number=2, size=50)
    assert 0 < len(_names(html)) <= 50
    meta = _meta(sandbox, **{"page[size]": 50})
    assert f"{meta['total_results']} results · page 2 of {meta['total_pages']}" in html
    assert '<option value="50" selected>' in html


def test_pager_links_keep_the_search_and_page_size(support_client, sandbox):
    html = support_client.get(URL, {"q": "a", "page_size": "20"}).content.decode()
    assert 'hx-push-url="true"' in html
    assert 'href="/profiles/?q=a&amp;page=2"' in html  # default page size left out of URLs
    html = support_client.get(URL, {"q": "a", "page_size": "50"}).content.decode()
    nav = html[html.index('<nav class="pager"') :]
    assert 'type="hidden" name="q" value="a"' in nav  # the page-size form keeps the search


@pytest.mark.parametrize(
    ("params", "page", "size"),
    [
        ({"page": "abc"}, 1, 20),
        ({"page": "-4"}, 1, 20),
        ({"page": "0"}, 1, 20),
        ({"page": "1e9"}, 1, 20),
        ({"page": "9" * 40}, None, 20),  # a huge page number is still a page number: past the end
        ({"page_size": "abc"}, 1, 20),
        ({"page_size": "0"}, 1, 20),
        ({"page_size": "30"}, 1, 50),
        ({"page_size": "100"}, 1, 100),
        ({"page_size": "99999"}, 1, 250),
        ({"page_size": "-1"}, 1, 20),
    ],
)
def test_invalid_paging_is_clamped_not_an_error(support_client, sandbox, params, page, size):
    response = support_client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<input type="hidden" name="page_size" value="{size}"' in html
    if page is None:
        assert 'data-testid="past-end"' in html
    else:
        assert _names(html) == _api_names(sandbox, number=page, size=size)


def test_a_page_past_the_end_says_so_and_links_to_the_last_page(support_client, sandbox):
    response = support_client.get(URL, {"q": "a", "page": "40"})
    assert response.status_code == 200
    html = response.content.decode()
    total = sandbox.get("/messaging_profiles", params={"filter[name][contains]": "a"}).json()["meta"][
        "total_pages"
    ]
    assert f"Page 40 is past the end: there are only {total} pages" in html
    assert f'href="/profiles/?q=a&amp;page={total}"' in html
    assert 'data-testid="empty-state"' not in html


def test_an_empty_search_says_nothing_matched(support_client, sandbox):
    html = support_client.get(URL, {"q": "no-such-profile-xyz"}).content.decode()
    assert 'data-testid="empty-state"' in html
    assert "No messaging profile has a name containing “no-such-profile-xyz”" in html
    assert "<table" not in html


def test_a_search_telnyx_rejects_is_explained_where_the_table_was(support_client, html_server, settings):
    # The sandbox accepts every query this page can send; a server answering 422 stands in for a
    # Telnyx that refuses a filter.
    settings.TELNYX_API_BASE_URL = html_server.base_url
    html_server.status = 422
    response = support_client.get(URL, {"q": "acme"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Telnyx did not accept this search: Telnyx answered 422" in html
    assert 'value="acme"' in html  # what was typed stays in the box
    assert html_server.requests == [
        "GET /v2/messaging_profiles?page%5Bnumber%5D=1&page%5Bsize%5D=20&filter%5Bname%5D%5Bcontains%5D=acme"
    ]


def test_an_account_without_profiles_says_so(support_client, sandbox):
    try:
        while profiles := sandbox.get("/messaging_profiles", params={"page[size]": 250}).json()["data"]:
            for profile in profiles:
                sandbox.delete(f"/messaging_profiles/{profile['id']}").raise_for_status()
        html = support_client.get(URL).content.decode()
        assert "There are no messaging profiles yet." in html
        assert "<table" not in html and '<nav class="pager"' not in html
    finally:
        sandbox.reset()


def test_search_text_is_escaped(support_client, sandbox):
    html = support_client.get(URL, {"q": '<script>alert("x")</script>'}).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("form", ["{id}", "  {id}  ", "{upper}", "{{{id}}}", "{hex}"])
def test_a_pasted_profile_id_opens_that_profile(support_client, sandbox, form):
    profile_id = sandbox.profile_named("Acme Bulk Notifications")["id"]
    pasted = form.format(id=profile_id, upper=profile_id.upper(), hex=uuid.UUID(profile_id).hex)
    sandbox.clear_stats()
    response = support_client.get(URL, {"q": pasted})
    assert response.status_code == 302
    assert response["Location"] == f"/profiles/{profile_id}/"
    assert requests_to(sandbox, LIST_ROUTE) == 0  # no search is run for an id


def test_a_pasted_profile_id_redirects_htmx_with_hx_redirect(support_client, sandbox):
    profile_id = sandbox.profile_named("Acme Bulk Notifications")["id"]
    response = support_client.get(URL, {"q": profile_id}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/profiles/{profile_id}/"


def test_one_telnyx_call_per_page_and_per_partial(support_client, sandbox):
    for extra in ({}, HTMX):
        sandbox.clear_stats()
        response = support_client.get(URL, {"q": "a", "page": "2"}, **extra)
        assert 'desc="1 call"' in response["Server-Timing"]
        assert sandbox.stats()["total_requests"] == 1


def test_rate_limiting_shows_the_banner_with_retry_in(support_client, telnyx_settings, settings):
    settings.TELNYX_MAX_RETRY_AFTER = 1  # a longer Retry-After is not waited for
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=30)
    response = support_client.get(URL, {"q": "acme"})
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert 'data-testid="telnyx-banner"' in html and "Retry in 30 s." in html
    assert 'href="/profiles/?q=acme"' in html  # "Try again" returns to the same search


def test_rate_limiting_during_a_swap_puts_the_banner_in_messages(support_client, telnyx_settings, settings):
    settings.TELNYX_MAX_RETRY_AFTER = 1
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=30)
    response = support_client.get(URL, {"q": "acme"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#messages"
    assert "Telnyx is rate-limiting us" in response.content.decode()


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_shows_the_unavailable_banner(support_client, telnyx_settings, status):
    telnyx_settings.set_faults(error_rate=1.0, error_status=status)
    response = support_client.get(URL)
    assert response.status_code == 503
    assert "Telnyx is unavailable" in response.content.decode()


def test_a_timeout_shows_the_unavailable_banner(support_client, telnyx_settings, settings):
    settings.TELNYX_READ_TIMEOUT = 0.2
    settings.TELNYX_MAX_RETRIES = 0
    telnyx_settings.set_faults(latency_ms=600)
    response = support_client.get(URL)
    assert response.status_code == 503
    assert "Telnyx did not answer in time." in response.content.decode()


def test_a_dropped_connection_shows_the_unavailable_banner(support_client, telnyx_settings, settings):
    settings.TELNYX_MAX_RETRIES = 0
    telnyx_settings.set_faults(drop_rate=1.0)
    response = support_client.get(URL)
    assert response.status_code == 503
    assert "The connection to Telnyx broke before it answered." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "shown"), [("support_client", True), ("account_manager_client", False), ("auditor_client", False)]
)
def test_the_new_profile_button_follows_the_permission(request, sandbox, who, shown):
    html = request.getfixturevalue(who).get(URL).content.decode()
    assert ('href="/profiles/new/">New profile</a>' in html) is shown


@pytest.mark.parametrize("who", ["support_client", "account_manager_client", "auditor_client"])
def test_every_role_may_browse(request, sandbox, who):
    assert request.getfixturevalue(who).get(URL).status_code == 200


def test_it_requires_a_role(groupless_client, sandbox):
    assert groupless_client.get(URL).status_code == 403
    assert sandbox.stats()["total_requests"] == 0


def test_it_requires_sign_in(client, sandbox):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_rejects_post(support_client, sandbox):
    assert support_client.post(URL).status_code == 405
