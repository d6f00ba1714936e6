"""`/numbers/`: lookup by any part of a number, filters, paging, freshness, refresh and the CSVs, on an
index built from the live sandbox."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from jobs.models import Job
from phone_numbers import index
from phone_numbers.models import IndexedNumber, IndexedProfile
from tests.fixtures.telnyx import BULK_PROFILE_NAME

URL = "/numbers/"
ROW = re.compile(
    r'<tr data-testid="number-row"><td class="number">([^<]+)</td><td[^>]*><a href="([^"]+)">([^<]*)</a>'
)


def _rows(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


def _numbers(response) -> list[str]:
    return [number for number, _, _ in _rows(response)]


def _a_number() -> IndexedNumber:
    return IndexedNumber.objects.filter(phone_number__regex=r"^\+1[0-9]{10}$").order_by("number_id").first()


def test_url_path():
    assert reverse("numbers:list") == URL


@pytest.mark.parametrize(
    "typed",
    [
        lambda d: f"+{d}",  # E.164
        lambda d: f"+{d[0]} {d[1:4]} {d[4:7]} {d[7:]}",  # spaced
        lambda d: d[1:],  # national, digits only
        lambda d: f"({d[1:4]}) {d[4:7]}-{d[7:]}",  # the way people write it
        lambda d: f"{d[4:7]}-{d[7:]}",  # the local part
    ],
    ids=["e164", "spaced", "national", "brackets-dash", "local-part"],
)
def test_a_number_is_found_by_any_part_in_any_format(number_index, auditor_client, typed):
    number = _a_number()
    query = typed(number.digits)

    response = auditor_client.get(URL, {"q": query, "page_size": 250})

    rows = _rows(response)
    assert number.phone_number in [row[0] for row in rows]
    profile = IndexedProfile.objects.get(profile_id=number.profile_id)
    found = next(row for row in rows if row[0] == number.phone_number)
    assert found[1] == f"/profiles/{profile.profile_id}/" and found[2] == profile.name
    assert all(re.sub(r"\D", "", query) in re.sub(r"\D", "", row[0]) for row in rows)
    assert number_index.stats()["total_requests"] == 0  # from the index only


def test_a_leading_plus_finds_numbers_starting_so(number_index, support_client):
    everywhere = support_client.get(URL, {"q": "415", "page_size": 250})
    anchored = support_client.get(URL, {"q": "+1415", "page_size": 250})

    assert _numbers(anchored) and all(number.startswith("+1415") for number in _numbers(anchored))
    starting = IndexedNumber.objects.filter(digits__startswith="1415").count()
    assert f"{starting:,} result" in anchored.content.decode()
    containing = IndexedNumber.objects.filter(digits__contains="415").count()
    assert containing > starting
    assert f"{containing:,} results" in everywhere.content.decode()


def test_the_profile_filter_shows_exactly_that_profiles_numbers(number_index, account_manager_client):
    bulk = number_index.profile_named(BULK_PROFILE_NAME)
    total = number_index.get(f"/messaging_profiles/{bulk['id']}/phone_numbers", params={"page[size]": 1})

    by_name = account_manager_client.get(URL, {"profile": "acme bulk", "page_size": 250})
    by_id = account_manager_client.get(URL, {"profile": bulk["id"].upper()})

    assert {name for _, _, name in _rows(by_name)} == {BULK_PROFILE_NAME}
    expected = f"{total.json()['meta']['total_results']:,} results"
    assert expected in by_name.content.decode()
    assert {name for _, _, name in _rows(by_id)} == {BULK_PROFILE_NAME}


@pytest.mark.parametrize(
    ("params", "holds"),
    [
        ({"type": "tollfree"}, lambda n: n.type == "tollfree"),
        ({"country": "us"}, lambda n: n.country_code == "US"),
        ({"tag": "east"}, lambda n: "east" in n.tag_list),
        ({"delivered_below": "50"}, lambda n: n.success_ratio is not None and n.success_ratio < 0.5),
        ({"spam_above": "2.5"}, lambda n: n.spam_ratio is not None and n.spam_ratio > 0.025),
        (
            {"type": "longcode", "tag": "east", "delivered_below": "80"},
            lambda n: n.type == "longcode" and "east" in n.tag_list and n.success_ratio < 0.8,
        ),
    ],
    ids=["type", "country", "tag", "delivered-below", "spam-above", "combined"],
)
def test_filters_keep_exactly_the_numbers_that_match(number_index, auditor_client, params, holds):
    response = auditor_client.get(URL, {**params, "page_size": 250})

    shown = _numbers(response)
    matching = [n.phone_number for n in IndexedNumber.objects.order_by("digits", "number_id") if holds(n)]
    assert shown and shown == matching[:250]
    assert f"{len(matching):,} result" in response.content.decode()


def test_a_percentage_that_is_not_one_is_named_and_left_out(number_index, auditor_client):
    response = auditor_client.get(
        URL, {"spam_above": "lots", "type": "tollfree"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a percentage from 0 to 100" in html and "This filter was left out." in html
    assert f"{IndexedNumber.objects.filter(type='tollfree').count():,} results" in html


def test_a_number_not_in_the_index_says_when_it_was_complete_and_offers_a_refresh(
    number_index, auditor_client
):
    complete = index.state().complete_as_of

    response = auditor_client.get(URL, {"q": "+1 999 000 0000"})

    html = response.content.decode()
    assert 'data-testid="not-found"' in html
    assert "No number in the index matches “+1 999 000 0000”." in html
    assert f"The index was last complete at {complete:%Y-%m-%d %H:%M} UTC." in html
    assert 'data-testid="not-found-refresh"' in html
    assert "Numbers that are on no profile cannot be seen here" in html


def test_the_page_says_how_fresh_the_index_is(number_index, auditor_client):
    complete = index.state().complete_as_of

    html = auditor_client.get(URL).content.decode()

    count = IndexedNumber.objects.count()
    assert f"Index as of {complete:%Y-%m-%d %H:%M} UTC: {count} numbers" in html
    assert 'data-testid="index-refresh"' in html


def test_htmx_gets_the_results_only_and_the_tidy_url(number_index, auditor_client):
    response = auditor_client.get(
        URL,
        {"q": "415", "type": "", "tag": "", "page": "2"},
        headers={"HX-Request": "true", "HX-Target": "number-results"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="number-results"')
    assert '<form id="number-filters"' not in html
    assert response["HX-Push-Url"] == "/numbers/?q=415&page=2"


def test_a_page_past_the_end_says_so(number_index, auditor_client):
    html = auditor_client.get(URL, {"q": "+1415", "page": "999"}).content.decode()

    assert 'data-testid="past-end"' in html and "Page 999 is past the end" in html


def test_a_refresh_runs_as_a_job_and_a_second_one_joins_it(number_index, auditor_client, auditor):
    bulk = number_index.profile_named(BULK_PROFILE_NAME)
    number_index.patch(f"/messaging_profiles/{bulk['id']}", json={"name": "Acme Bulk (refreshed)"})

    first = auditor_client.post(reverse("numbers:refresh"), {"return_query": "q=415"}, follow=True)
    second = auditor_client.post(reverse("numbers:refresh"), follow=True)

    job = Job.objects.get(kind=index.KIND, actor=auditor)
    assert job.total == 1
    assert first.redirect_chain[-1][0] == "/numbers/?q=415"
    assert "Refreshing the number index: 1 profile to read." in first.content.decode()
    assert "The number index is already being refreshed." in second.content.decode()
    assert 'data-testid="index-refreshing"' in second.content.decode()
    assert Job.objects.filter(kind=index.KIND, status="queued").get() == job


def test_a_refresh_with_nothing_changed_says_so(number_index, auditor_client):
    response = auditor_client.post(reverse("numbers:refresh"), follow=True)

    assert "The number index is up to date" in response.content.decode()
    assert not Job.objects.filter(kind=index.KIND, status="queued").exists()


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_account_wide_csv_has_every_number_with_its_profile_name(number_index, auditor_client):
    rows = _csv(auditor_client.get(URL, {"format": "csv"}))

    header, body = rows[0], rows[1:]
    assert header[:3] == ["phone_number", "profile_id", "profile_name"]
    assert len(body) == IndexedNumber.objects.count()
    names = dict(IndexedProfile.objects.values_list("profile_id", "name"))
    assert all(row[2] == names[row[1]] for row in body)
    assert {row[0] for row in body} == set(IndexedNumber.objects.values_list("phone_number", flat=True))
    assert number_index.stats()["total_requests"] == 0


def test_the_profile_summary_csv_counts_numbers_and_short_codes(number_index, auditor_client):
    rows = _csv(auditor_client.get(reverse("numbers:profile_summary")))

    header, body = rows[0], rows[1:]
    assert header[:6] == [
        "profile_id",
        "profile_name",
        "phone_numbers",
        "short_codes",
        "daily_spend_limit",
        "daily_spend_limit_enabled",
    ]
    assert len(body) == IndexedProfile.objects.count()
    bulk = number_index.profile_named(BULK_PROFILE_NAME)
    line = next(row for row in body if row[0] == bulk["id"])
    numbers = number_index.get(f"/messaging_profiles/{bulk['id']}/phone_numbers", params={"page[size]": 1})
    codes = number_index.get(f"/messaging_profiles/{bulk['id']}/short_codes", params={"page[size]": 1})
    assert int(line[2]) == numbers.json()["meta"]["total_results"]
    assert int(line[3]) == codes.json()["meta"]["total_results"]
    assert line[4] == bulk["daily_spend_limit"]


def test_the_csv_holds_only_the_numbers_the_filters_select(number_index, auditor_client):
    rows = _csv(auditor_client.get(URL, {"type": "tollfree", "tag": "east", "format": "csv"}))

    header, body = rows[0], rows[1:]
    matching = IndexedNumber.objects.filter(type="tollfree", tags__contains=" east ")
    assert body and len(body) == matching.count() < IndexedNumber.objects.count()
    assert {row[0] for row in body} == set(matching.values_list("phone_number", flat=True))
    assert all(row[header.index("type")] == "tollfree" for row in body)


def test_the_export_link_carries_the_filters_and_follows_them(number_index, auditor_client):
    plain = auditor_client.get(URL).content.decode()
    swapped = auditor_client.get(
        URL,
        {"q": "415", "type": "tollfree", "page": "2", "page_size": "50"},
        headers={"HX-Request": "true", "HX-Target": "number-results"},
    ).content.decode()

    assert (
        '<a href="/numbers/?format=csv" data-testid="export-numbers">Export every number as CSV</a>' in plain
    )
    # In the fragment htmx swaps, so a change of filters brings a link with them (no paging: the CSV
    # holds every page).
    expected = "/numbers/?q=415&amp;type=tollfree&amp;format=csv"
    assert f'<a href="{expected}" data-testid="export-numbers">Export these numbers as CSV</a>' in swapped


@pytest.mark.parametrize("typed", ["abc", "415abc", "4155550100 ext 7"])
def test_a_lookup_that_is_not_a_number_is_named_and_left_out(number_index, auditor_client, typed):
    page = auditor_client.get(URL, {"q": typed, "type": "tollfree"}).content.decode()
    swapped = auditor_client.get(URL, {"q": typed, "type": "tollfree"}, headers={"HX-Request": "true"})

    error = "Enter digits of a number, such as +1415 or 555-0100"
    assert 'aria-describedby="numbers-q-error"' in page and error in page
    html = swapped.content.decode()
    assert f"Number contains: {error}" in html and "This filter was left out." in html
    assert f"{IndexedNumber.objects.filter(type='tollfree').count():,} results" in html
