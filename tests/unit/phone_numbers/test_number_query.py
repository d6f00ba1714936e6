"""What a typed number means to the lookup: its digits, and whether a leading + anchors it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from phone_numbers.digits import digits_of
from phone_numbers.forms import NumberSearchForm
from phone_numbers.selectors import NumberQuery


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("+1 (415) 555-0100", "14155550100"),
        ("415.555.0100", "4155550100"),
        ("  555 - 0100 ", "5550100"),
        ("+44 20 7946 0958", "442079460958"),
        ("no digits", ""),
        ("", ""),
    ],
)
def test_only_the_digits_count(typed, digits):
    assert digits_of(typed) == digits
    assert NumberQuery(number=typed).digits == digits


def test_a_leading_plus_anchors_the_number_at_its_start():
    assert NumberQuery(number=" +1415").anchored
    assert not NumberQuery(number="1415").anchored
    assert not NumberQuery(number="(415) +1").anchored


def test_the_form_keeps_valid_filters_and_drops_a_bad_percentage():
    form = NumberSearchForm({"q": "+1 415", "tag": " east ", "spam_above": "lots", "delivered_below": "80"})

    query = form.query()

    assert query == NumberQuery(number="+1 415", tag="east", delivered_below=Decimal("80"))
    assert "spam_above" in form.errors
    assert query.filtered and query.other_filters


def test_a_percentage_above_100_is_not_one():
    form = NumberSearchForm({"delivered_below": "120"})

    assert form.query().delivered_below is None
    assert "delivered_below" in form.errors


@pytest.mark.parametrize("typed", ["+1 (415) 555-0100", "415.555.0100", " 0100 ", "+1415"])
def test_the_lookup_takes_digits_with_the_marks_people_write(typed):
    form = NumberSearchForm({"q": typed})

    assert form.query().number == typed.strip()
    assert "q" not in form.errors


@pytest.mark.parametrize("typed", ["abc", "415abc", "+-()", "4155550100 x12", "٤١٥"])
def test_a_lookup_with_no_digits_or_with_letters_is_named_and_left_out(typed):
    form = NumberSearchForm({"q": typed, "type": "tollfree"})

    query = form.query()

    assert "q" in form.errors
    assert query == NumberQuery(type="tollfree")
