"""`/spend-limits/` on the large account: every profile, fewest calls, sort, filters, totals, chart."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest

from profiles import catalog
from tests.fixtures.short_codes import telnyx_calls

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = pytest.mark.xdist_group(__name__)

URL = "/spend-limits/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "overview"}
# A row's opening tag (an account manager's rows start with the selection box).
ROW = r'<tr [^>]*data-testid="spend-row"[^>]*>(?:<td class="select">.*?</td>)?'


@pytest.fixture(scope="module")
def every_profile(large_sandbox_server) -> list[dict]:
    items, number = [], 1
    while True:
        body = large_sandbox_server.get(
            "/messaging_profiles", params={"page[size]": 250, "page[number]": number}
        ).json()
        items += body["data"]
        if number >= body["meta"]["total_pages"]:
            return items
        number += 1


@pytest.fixture
def overview(large_telnyx_settings, settings):
    settings.TELNYX_ACCOUNT = "overview-tests"
    catalog.forget_size()
    catalog.invalidate()
    yield large_telnyx_settings
    catalog.invalidate()


def _limits(body: str) -> list[str]:
    cells = re.findall(ROW + r'<td><a [^>]*>[^<]*</a></td><td class="numeric"[^>]*>(.*?)</td>', body)
    return [
        cell.removeprefix("USD\u00a0").replace(",", "") if "no limit" not in cell else "" for cell in cells
    ]


def _enforced(body: str) -> list[str]:
    return re.findall(ROW + r'.*?</td><td class="numeric"[^>]*>.*?</td><td[^>]*>(Yes|No)</td>', body)


def _total(body: str, name: str) -> str:
    return re.search(rf'data-testid="total-{name}">([^<]*)<', body).group(1)


def test_every_profile_with_one_call_per_250(overview, auditor_client, every_profile):
    response = auditor_client.get(URL, {"page_size": 250})
    assert response.status_code == 200
    assert telnyx_calls(response) == math.ceil(2_000 / 250)
    body = response.content.decode()
    assert body.count('data-testid="spend-row"') == 250
    enforced = [p for p in every_profile if p["daily_spend_limit_enabled"]]
    assert _total(body, "profiles") == "2,000"
    assert _total(body, "enforced") == f"{len(enforced):,}"
    expected_sum = sum(Decimal(p["daily_spend_limit"] or 0) for p in enforced)
    assert _total(body, "enforced-sum") == f"USD\u00a0{expected_sum:,.2f}"
    # Cached now: the next view costs nothing at Telnyx.
    assert telnyx_calls(auditor_client.get(URL, {"page": 3})) == 0


def test_sorting_by_limit_puts_no_limit_last_both_ways(overview, support_client, every_profile):
    highest = max(Decimal(p["daily_spend_limit"]) for p in every_profile if p["daily_spend_limit"])
    ascending = _limits(support_client.get(URL, {"sort": "limit", "page_size": 250}).content.decode())
    assert [Decimal(v) for v in ascending] == sorted(Decimal(v) for v in ascending)
    descending = _limits(support_client.get(URL, {"sort": "-limit", "page_size": 250}).content.decode())
    assert Decimal(descending[0]) == highest
    assert [Decimal(v) for v in descending] == sorted((Decimal(v) for v in descending), reverse=True)
    for direction in ("limit", "-limit"):
        last_page = support_client.get(URL, {"sort": direction, "page_size": 250, "page": 8}).content.decode()
        assert _limits(last_page)[-1] == ""  # no limit: at the end, whichever the direction


def test_sorting_by_name_enforced_and_updated(overview, support_client):
    body = support_client.get(URL, {"sort": "-name"}).content.decode()
    names = re.findall(ROW + r"<td><a [^>]*>([^<]*)</a>", body)
    assert names == sorted(names, key=str.casefold, reverse=True)
    assert 'aria-sort="descending"' in body
    enforced_first = _enforced(support_client.get(URL, {"sort": "enforced"}).content.decode())
    assert set(enforced_first) == {"Yes"}
    times = re.findall(
        r'<time datetime="([^"]+)"', support_client.get(URL, {"sort": "-updated"}).content.decode()
    )
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"enforcement": "not_enforced"}, lambda p: not p["daily_spend_limit_enabled"]),
        ({"enforcement": "enforced"}, lambda p: p["daily_spend_limit_enabled"]),
        ({"limit": "none"}, lambda p: not p["daily_spend_limit"]),
        ({"above": "1000"}, lambda p: p["daily_spend_limit"] and Decimal(p["daily_spend_limit"]) >= 1000),
        (
            {"below": "75.50"},
            lambda p: p["daily_spend_limit"] and Decimal(p["daily_spend_limit"]) <= Decimal("75.5"),
        ),
        ({"q": "acme sup"}, lambda p: "acme sup" in p["name"].casefold()),
        (
            {"enforcement": "enforced", "above": "100", "below": "500", "q": "care"},
            lambda p: (
                p["daily_spend_limit_enabled"]
                and p["daily_spend_limit"]
                and 100 <= Decimal(p["daily_spend_limit"]) <= 500
                and "care" in p["name"].casefold()
            ),
        ),
    ],
)
def test_filters(overview, account_manager_client, every_profile, params, check):
    expected = [p for p in every_profile if check(p)]
    response = account_manager_client.get(URL, {**params, "page_size": 250}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'id="overview"' in body  # the fragment only
    assert body.count('data-testid="spend-row"') == min(250, len(expected))
    assert f"{len(expected):,} result" in body
    # The chart counts exactly the profiles the filters let through.
    bars = [
        int(total)
        for total in re.findall(r'data-testid="spend-bar" data-label="[^"]*" data-total="(\d+)"', body)
    ]
    assert sum(bars) == len(expected)


def test_a_bad_amount_is_reported_and_left_out(overview, support_client):
    response = support_client.get(URL, {"above": "12,5", "enforcement": "not_enforced"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter an amount in USD, such as 100 or 25.50." in body
    assert 'value="12,5"' in body  # what was typed stays in the box
    assert set(_enforced(body)) == {"No"}  # the other filter still applies


def test_a_page_past_the_end_says_so(overview, support_client):
    body = support_client.get(URL, {"page": 99, "limit": "none"}).content.decode()
    assert 'data-testid="past-end"' in body and "Go to the last page" in body


def test_nothing_matches(overview, support_client):
    body = support_client.get(URL, {"q": "no such profile anywhere"}).content.decode()
    assert 'data-testid="empty-state"' in body


def test_the_chart_is_readable_without_colour(overview, support_client):
    body = support_client.get(URL).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'fill="url(#spend-hatch)"' in svg  # not enforced: hatched, not just another colour
    assert "solid: enforced" in body and "hatched: not enforced" in body
    assert "no limit" in svg


def test_edit_and_bulk_controls_only_for_who_may_change_limits(
    overview, account_manager_client, auditor_client, support_client
):
    page = account_manager_client.get(URL).content.decode()
    assert page.count('data-testid="spend-edit"') == 20 and page.count('data-testid="spend-select"') == 20
    assert 'data-testid="bulk-form"' in page and 'data-testid="spend-import-link"' in page
    for client in (auditor_client, support_client):
        page = client.get(URL).content.decode()
        for control in ("spend-edit", "spend-select", "bulk-form", "spend-import-link"):
            assert f'data-testid="{control}"' not in page


def test_telnyx_failing_shows_the_banner(overview, support_client):
    overview.set_faults(error_rate=1.0, error_status=503)
    response = support_client.get(URL)
    assert response.status_code == 503
    assert "Telnyx is unavailable" in response.content.decode()
