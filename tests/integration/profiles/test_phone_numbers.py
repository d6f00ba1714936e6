"""The phone-numbers tab (/profiles/<id>/phone-numbers/) against the live sandbox."""

from __future__ import annotations

import re
import uuid

import pytest

from phone_numbers.number_types import number_type_label

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BULK = "Acme Bulk Notifications"
NUMBERS_ROUTE = "GET /v2/messaging_profiles/{id}/phone_numbers"


@pytest.fixture(autouse=True)
def _dashboard_uses_sandbox(telnyx_settings):
    return telnyx_settings


@pytest.fixture
def bulk(sandbox) -> dict:
    return sandbox.profile_named(BULK)


def _url(profile_id: str) -> str:
    return f"/profiles/{profile_id}/phone-numbers/"


def _numbers(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>(\+[0-9]+)</td>", html)


def _api_page(sandbox, profile_id: str, number: int, size: int) -> dict:
    response = sandbox.get(
        f"/messaging_profiles/{profile_id}/phone_numbers", params={"page[number]": number, "page[size]": size}
    )
    response.raise_for_status()
    return response.json()


def test_htmx_returns_the_tab_only(support_client, sandbox, bulk):
    response = support_client.get(_url(bulk["id"]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="phone-numbers"')
    assert "<html" not in html
    expected = _api_page(sandbox, bulk["id"], 1, 20)
    assert _numbers(html) == [item["phone_number"] for item in expected["data"]]
    assert (
        f"{expected['meta']['total_results']:,} results · page 1 of {expected['meta']['total_pages']:,}"
        in html
    )
    assert "HX-Request" in response["Vary"]


def test_each_row_shows_type_product_traffic_health_features_and_tags(support_client, sandbox, bulk):
    html = support_client.get(_url(bulk["id"]), **HTMX).content.decode()
    first = _api_page(sandbox, bulk["id"], 1, 1)["data"][0]
    row = html[html.index(f"<td>{first['phone_number']}</td>") :]
    row = re.sub(r"\s+", " ", row[: row.index("</tr>")])
    assert f'<td data-label="Type">{number_type_label(first["type"])}</td>' in row
    assert f'<td data-label="Product">{first["messaging_product"]}</td>' in row
    assert f'<td data-label="Traffic">{first["traffic_type"]}</td>' in row
    health = first["health"]
    assert f"{health['message_count']} sent, {round(health['success_ratio'] * 100)}% delivered" in row
    assert "domestic" in row  # every seed number has domestic SMS
    for tag in first["tags"]:
        assert f'<span class="chip">{tag}</span>' in row


def test_it_pages_with_its_own_parameters(support_client, sandbox, bulk):
    html = support_client.get(_url(bulk["id"]), {"page": "3", "page_size": "50"}, **HTMX).content.decode()
    expected = _api_page(sandbox, bulk["id"], 3, 50)
    assert _numbers(html) == [item["phone_number"] for item in expected["data"]]
    assert len(_numbers(html)) == 50
    # Pager links stay on the tab's URL, target the tab and keep the page size.
    assert f'hx-get="{_url(bulk["id"])}?page_size=50&amp;page=4"' in html
    assert 'hx-target="#phone-numbers"' in html
    assert '<option value="50" selected>' in html


@pytest.mark.parametrize(
    ("params", "size"), [({"page_size": "7"}, 20), ({"page_size": "x", "page": "-1"}, 20)]
)
def test_invalid_paging_is_clamped(support_client, sandbox, bulk, params, size):
    response = support_client.get(_url(bulk["id"]), params, **HTMX)
    assert response.status_code == 200
    assert len(_numbers(response.content.decode())) == size


def test_a_page_past_the_end_links_to_the_last_page(support_client, sandbox, bulk):
    html = support_client.get(_url(bulk["id"]), {"page": "999", "page_size": "250"}, **HTMX).content.decode()
    last = _api_page(sandbox, bulk["id"], 1, 250)["meta"]["total_pages"]
    assert f"Page 999 is past the end: there are only {last} pages." in html
    assert f'href="{_url(bulk["id"])}?page_size=250&amp;page={last}"' in html


def test_a_profile_without_numbers_says_so(support_client, sandbox):
    profile = sandbox.profile_named("Legacy Import (destinations pending)")
    html = support_client.get(_url(profile["id"]), **HTMX).content.decode()
    assert 'data-testid="empty-state"' in html
    assert "<table" not in html


def test_one_telnyx_call_per_partial(support_client, sandbox, bulk):
    sandbox.clear_stats()
    response = support_client.get(_url(bulk["id"]), {"page": "2"}, **HTMX)
    assert 'desc="1 call"' in response["Server-Timing"]
    assert sandbox.stats()["requests"] == {NUMBERS_ROUTE: 1}


def test_without_htmx_it_is_the_detail_page_with_the_tab_open(support_client, sandbox, bulk):
    # A reload of a pushed pager URL, or the tab opened in a new browser tab.
    sandbox.clear_stats()
    response = support_client.get(_url(bulk["id"]), {"page": "2"})
    stats = sandbox.stats()["requests"]
    assert stats == {NUMBERS_ROUTE: 1, "GET /v2/messaging_profiles/{id}": 1}
    html = response.content.decode()
    assert "<html" in html and f"<h1>{bulk['name']}</h1>" in html
    assert _numbers(html) == [item["phone_number"] for item in _api_page(sandbox, bulk["id"], 2, 20)["data"]]
    assert 'hx-trigger="load"' not in html  # already there: nothing to load


def test_an_unknown_profile_is_404_as_a_page(support_client, sandbox):
    response = support_client.get(_url(str(uuid.uuid4())))
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()


def test_an_unknown_profile_says_so_inside_the_tab(support_client, sandbox):
    # htmx 2 does not swap the body of a 404, so the tab would keep saying "Loading…".
    response = support_client.get(_url(str(uuid.uuid4())), **HTMX)
    assert response.status_code == 200
    assert 'data-testid="profile-gone"' in response.content.decode()


def test_a_rate_limit_puts_the_banner_in_messages(support_client, telnyx_settings, settings, bulk):
    settings.TELNYX_MAX_RETRY_AFTER = 1
    telnyx_settings.set_faults(error_rate=1.0, error_status=429, retry_after_seconds=20)
    response = support_client.get(_url(bulk["id"]), **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#messages"
    assert "Retry in 20 s." in response.content.decode()


def test_a_timeout_puts_the_banner_in_messages(support_client, telnyx_settings, settings, bulk):
    settings.TELNYX_READ_TIMEOUT = 0.2
    settings.TELNYX_MAX_RETRIES = 0
    telnyx_settings.set_faults(latency_ms=600)
    response = support_client.get(_url(bulk["id"]), **HTMX)
    assert response["HX-Retarget"] == "#messages"
    assert "Telnyx did not answer in time." in response.content.decode()


@pytest.mark.parametrize("who", ["support_client", "account_manager_client", "auditor_client"])
def test_every_role_may_view(request, sandbox, bulk, who):
    assert request.getfixturevalue(who).get(_url(bulk["id"]), **HTMX).status_code == 200


def test_it_requires_a_role(groupless_client, sandbox, bulk):
    sandbox.clear_stats()
    assert groupless_client.get(_url(bulk["id"]), **HTMX).status_code == 403
    assert sandbox.stats()["total_requests"] == 0
