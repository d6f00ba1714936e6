"""The short-code forms on their own: the API's rules, and the list's state from the URL."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from shortcodes.forms import BindForm, ShortCodeFilterForm, TagsForm, UnbindForm

PROFILE = "8176ad5f-ab50-46dd-9d41-d47983daa976"
STAMP = "2026-11-19T08:30:00.123456Z"  # the short code's `updated_at` when the form was shown


def tags_form(tags: list[str], **fields: str) -> TagsForm:
    data = QueryDict(mutable=True)
    data.setlist("tags", tags)
    data.update({"updated_at": STAMP, **fields})
    return TagsForm(data)


@pytest.mark.parametrize(
    ("value", "query"),
    [
        ("", {"messaging_profile_id": None, "unassigned": False}),
        ("unassigned", {"messaging_profile_id": None, "unassigned": True}),
        (PROFILE.upper(), {"messaging_profile_id": PROFILE, "unassigned": False}),
        ("acme", {"messaging_profile_id": None, "unassigned": False}),
        (PROFILE + "\n", {"messaging_profile_id": PROFILE, "unassigned": False}),
    ],
)
def test_filter_form_turns_the_url_into_a_query(value, query):
    form = ShortCodeFilterForm({"profile": value, "page": "2", "page_size": "50"})
    assert form.query() == {**query, "number_contains": "", "page_number": 2, "page_size": 50}


@pytest.mark.parametrize(("value", "number"), [("", ""), ("  123 ", "123"), ("12-34", "1234"), ("12a", "")])
def test_filter_form_reads_a_short_code_number(value, number):
    assert ShortCodeFilterForm({"number": value}).query()["number_contains"] == number


def test_bad_paging_falls_back_per_field():
    assert ShortCodeFilterForm({"page": "0", "page_size": "50"}).query()["page_number"] == 1
    assert ShortCodeFilterForm({"page": "3", "page_size": "7"}).query()["page_size"] == 20
    assert ShortCodeFilterForm({"page": "3", "page_size": "7"}).query()["page_number"] == 3


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (PROFILE, True),
        (PROFILE.upper(), True),
        ("", False),
        ("acme", False),
        (PROFILE[:-1], False),
        (PROFILE.replace("-", ""), False),
    ],
)
def test_bind_form_wants_a_profile_id(value, valid):
    assert BindForm({"messaging_profile_id": value, "updated_at": STAMP}).is_valid() is valid


@pytest.mark.parametrize(
    ("tags", "valid"),
    [
        ([], True),
        (["a"], True),
        (["x" * 64], True),
        ([f"t{i}" for i in range(20)], True),
        (["x" * 65], False),
        ([f"t{i}" for i in range(21)], False),
        ([""], False),
        (["   "], False),
        (["\t\n"], False),
        (["\u2003"], False),  # an em space is whitespace too
        ([" padded "], True),  # the API accepts surrounding spaces when there is something else
    ],
)
def test_tags_follow_the_api_rules(tags, valid):
    assert tags_form(tags, op="save").is_valid() is valid


def test_add_appends_a_trimmed_tag_and_remove_drops_one():
    added = tags_form(["a"], new_tag="  b  ", op="add")
    assert added.is_valid() and added.cleaned_data["tags"] == ["a", "b"] and not added.is_save
    assert added["new_tag"].value() == ""
    removed = tags_form(["a", "b"], remove="a")
    assert removed.is_valid() and removed.cleaned_data["tags"] == ["b"] and not removed.is_save


def test_a_refused_tag_stays_in_the_box():
    form = tags_form(["a"], new_tag="x" * 65, op="add")
    assert not form.is_valid()
    assert form["new_tag"].value() == "x" * 65
    assert form.current_tags() == ["a"]


@pytest.mark.parametrize("form_class", [BindForm, UnbindForm, TagsForm])
@pytest.mark.parametrize("stamp", [None, "", "\x00", "yesterday", "2026-13-45T99:00:00Z", STAMP + "\x00"])
def test_every_write_form_needs_a_readable_stamp(form_class, stamp):
    data = {"messaging_profile_id": PROFILE, "op": "save"}
    if stamp is not None:
        data["updated_at"] = stamp
    form = form_class(data)
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "This form is missing its version stamp; reload the page and try again."
    ]


def test_the_stamp_is_kept_as_written():
    # Compared as text with the short code's own: never normalised.
    form = UnbindForm({"updated_at": STAMP})
    assert form.is_valid()
    assert form.cleaned_data["updated_at"] == STAMP
