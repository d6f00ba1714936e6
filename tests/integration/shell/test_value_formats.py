"""One format per kind of value on every page: money as `USD 1,000.00`, times as `2024-08-26 04:50 UTC`,
URLs free to wrap between their parts only."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html

from telnyx_admin import formatting

pytestmark = pytest.mark.django_db

TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")
RAW_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _visible(html: str) -> str:
    """The page's text without tags and attribute values (a <time datetime="…"> keeps ISO for machines)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_money_has_the_currency_first_two_decimals_and_grouping():
    # A no-break space (U+00A0): a line never ends between the currency and its amount.
    assert formatting.money("1000") == "USD\u00a01,000.00"
    assert formatting.money("99") == "USD\u00a099.00"
    assert formatting.money("1234567.5") == "USD\u00a01,234,567.50"
    with translation.override("zh-hans"):
        assert formatting.money("1500") == "USD\u00a01,500.00"
    assert formatting.money("") == ""
    assert formatting.money("not an amount") == "not an amount"


def test_a_url_may_wrap_after_its_separators_and_stays_escaped():
    url = "https://hooks.acme.example/telnyx?a=1&b=<script>"
    assert formatting.url_breaks(url) == (
        "https://<wbr>hooks.<wbr>acme.<wbr>example/<wbr>telnyx?<wbr>a=<wbr>1&amp;<wbr>b=&lt;script&gt;"
    )
    # Safe HTML (an audit value) keeps its tags; only the URLs in its text gain breaks.
    value = format_html('<span title="{}">{}</span> and {}', "https://x.y/", "a-b", "https://x.y/z")
    assert formatting.url_breaks(value) == (
        '<span title="https://x.y/">a-b</span> and https://<wbr>x.<wbr>y/<wbr>z'
    )
    # Amounts and dates are no URLs: their dots and dashes are no place to wrap.
    assert formatting.url_breaks("USD 1,000.00 on 2024-08-26") == "USD 1,000.00 on 2024-08-26"
    assert formatting.url_breaks(None) == ""


def test_times_carry_their_zone_in_every_language():
    moment = "2024-08-26T23:50:00.000Z"
    assert formatting.when(moment) == "2024-08-26 23:50 UTC"
    assert formatting.when(datetime(2024, 8, 26, 23, 50, tzinfo=UTC)) == "2024-08-26 23:50 UTC"
    with translation.override("zh-hans"):
        assert formatting.when(moment) == "2024-08-26 23:50 UTC"


def test_a_formatted_value_is_kept_per_language_and_time_zone():
    # Texts are cached per value: the same moment in another zone, or asked for again, stays right.
    moment = "2024-08-26T23:50:00.000Z"
    assert formatting.when(moment) == "2024-08-26 23:50 UTC"
    with timezone.override("Asia/Shanghai"):
        assert formatting.when(moment) == "2024-08-27 07:50 CST"
    assert formatting.when(moment) == "2024-08-26 23:50 UTC"
    with translation.override("de"):  # a language whose grouping differs from English
        assert formatting.money("1234.5") == "USD\u00a01.234,50"
    assert formatting.money("1234.5") == "USD\u00a01,234.50"
    assert formatting.money(None) == formatting.when(None) == ""


def test_profile_pages_show_the_limit_as_money(support_client, account_manager_client, make_profile):
    profile = make_profile(daily_spend_limit="1000.00", daily_spend_limit_enabled=True)
    detail_url = reverse("profiles:detail", kwargs={"profile_id": profile["id"]})

    detail = _visible(support_client.get(detail_url).content.decode())
    assert "USD\u00a01,000.00" in detail
    assert "1000.00" not in detail

    listing = support_client.get(reverse("profiles:list"), {"q": profile["name"]}).content.decode()
    assert "USD\u00a01,000.00" in listing

    spend_page = account_manager_client.get(detail_url + "spend-limit/").content.decode()
    assert "USD\u00a01,000.00" in spend_page
    assert "USD per day" not in spend_page


def test_profile_detail_shows_times_with_their_zone(support_client, make_profile):
    profile = make_profile()
    url = reverse("profiles:detail", kwargs={"profile_id": profile["id"]})
    html = support_client.get(url).content.decode()

    text = _visible(html)
    assert TIME.search(text), text
    assert not RAW_ISO.search(text)


def test_short_code_detail_shows_times_not_raw_iso(support_client, seed_short_codes):
    code = seed_short_codes.all()[0]
    url = reverse("shortcodes:detail", kwargs={"short_code_id": code["id"]})
    html = support_client.get(url).content.decode()

    text = _visible(html)
    assert not RAW_ISO.search(text), "raw ISO time shown to people"
    assert formatting.when(code["updated_at"]) in text
    assert f'datetime="{code["updated_at"]}"' in html


def test_the_audit_log_shows_times_with_their_zone(auditor_client, account_manager_client, make_profile):
    profile = make_profile()
    account_manager_client.post(
        reverse("profiles:spend_limit", kwargs={"profile_id": profile["id"]}),
        {"daily_spend_limit": "1500", "daily_spend_limit_enabled": "on", "updated_at": profile["updated_at"]},
    )

    text = _visible(auditor_client.get(reverse("audit:log")).content.decode())
    assert TIME.search(text)
