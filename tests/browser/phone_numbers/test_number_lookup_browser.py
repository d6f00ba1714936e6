"""The number lookup in Chromium: typing a number in any format, filters, the URL holding the state."""

from __future__ import annotations

import re

import pytest

from phone_numbers.models import IndexedNumber, IndexedProfile
from tests.fixtures.browser import type_until_answered, wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _column(page, index: int) -> list[str]:
    return page.locator(f"[data-testid=number-row] td:nth-child({index})").all_inner_texts()


@pytest.fixture
def numbers_page(auditor, page, signed_in, number_index, dashboard_url):
    signed_in(page, auditor.username)
    page.goto(f"{dashboard_url}/numbers/")
    return page


def test_typing_a_number_as_people_write_it_finds_it_and_its_profile(numbers_page, dashboard_url):
    page = numbers_page
    number = IndexedNumber.objects.filter(phone_number__regex=r"^\+1[0-9]{10}$").order_by("number_id").first()
    d = number.digits
    profile = IndexedProfile.objects.get(profile_id=number.profile_id)
    assert (
        "Numbers that are on no profile cannot be seen here"
        in page.get_by_test_id("unassigned-note").inner_text()
    )
    assert re.search(r"Index as of .* UTC", page.get_by_test_id("index-freshness").inner_text())

    type_until_answered(page, page.get_by_test_id("numbers-q"), f"({d[1:4]}) {d[4:7]}-{d[7:]}", delay=20)
    page.wait_for_url(re.compile(r".*/numbers/\?q=.*"))

    assert _column(page, 1) == [number.phone_number]
    link = page.locator("[data-testid=number-row] td:nth-child(2) a")
    assert link.inner_text() == profile.name
    page.reload()  # the URL holds the lookup
    assert _column(page, 1) == [number.phone_number]
    link.click()
    page.wait_for_url(f"**/profiles/{profile.profile_id}/")


def test_filters_narrow_the_table_and_survive_a_reload(numbers_page):
    page = numbers_page

    page.get_by_test_id("numbers-type").select_option("tollfree")
    page.wait_for_url("**type=tollfree**")
    wait_for_htmx_idle(page)
    assert set(_column(page, 3)) == {"Toll-free"}
    # The CSV link came with the swapped table: it exports what the filters select.
    assert page.get_by_test_id("export-numbers").get_attribute("href") == "/numbers/?type=tollfree&format=csv"

    page.get_by_test_id("numbers-tag").select_option("east")
    page.wait_for_url("**tag=east**")
    wait_for_htmx_idle(page)
    assert _column(page, 1) and all("east" in tags.split() for tags in _column(page, 8))

    page.get_by_test_id("numbers-delivered_below").fill("60")
    page.get_by_test_id("numbers-delivered_below").press("Enter")
    page.wait_for_url("**delivered_below=60**")
    wait_for_htmx_idle(page)
    delivered = [int(text.rstrip("%")) for text in _column(page, 6)]
    assert delivered and all(value < 60 for value in delivered)
    expected = IndexedNumber.objects.filter(type="tollfree", tags__contains=" east ", success_ratio__lt=0.6)
    assert f"{expected.count()} result" in page.locator(".pager-summary").inner_text()

    page.reload()
    assert page.get_by_test_id("numbers-type").input_value() == "tollfree"
    assert page.get_by_test_id("numbers-tag").input_value() == "east"
    assert set(_column(page, 3)) == {"Toll-free"}

    page.get_by_test_id("numbers-spam_above").fill("lots")
    page.get_by_test_id("numbers-spam_above").press("Enter")
    wait_for_htmx_idle(page)
    assert "Enter a percentage from 0 to 100" in page.get_by_test_id("number-results").inner_text()


def test_a_number_not_found_offers_a_refresh(numbers_page):
    page = numbers_page

    page.get_by_test_id("numbers-q").fill("+1 999 000 0000")
    page.get_by_test_id("numbers-q").press("Enter")
    wait_for_htmx_idle(page)

    text = page.get_by_test_id("not-found").inner_text()
    assert "The index was last complete at" in text
    page.get_by_test_id("not-found-refresh").click()
    page.wait_for_load_state()
    assert "The number index is up to date" in page.locator("body").inner_text()
