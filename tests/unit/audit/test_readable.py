"""Audit entries written for people: labels from the forms, formatted values, names for profile ids."""

from __future__ import annotations

from django.utils import translation

from audit import readable
from audit.models import AuditEntry
from audit.services import OBJECT_TYPE_PROFILE, OBJECT_TYPE_SHORT_CODE
from telnyx_admin import formatting

PROFILE_ID = "40017a2b-0000-4000-8000-00000000beef"


def _entry(action: str, object_type: str, changes: dict) -> AuditEntry:
    return AuditEntry(action=action, object_type=object_type, object_id="x", changes=changes)


def _describe(entry: AuditEntry) -> readable.Described:
    return readable.describe_entries([entry])[0]


def _rows(changes: list[readable.Change]) -> dict[str, tuple[str, str]]:
    return {str(change.label): (str(change.before), str(change.after)) for change in changes}


def test_profile_changes_use_form_labels_and_formatted_values():
    entry = _entry(
        "profile.update",
        OBJECT_TYPE_PROFILE,
        {
            "whitelisted_destinations": {"before": ["GB", "US"], "after": ["US"]},
            "mobile_only": {"before": False, "after": True},
            "daily_spend_limit": {"before": "1000.00", "after": "99"},
            "webhook_url": {"before": None, "after": "https://hooks.example.com/a"},
        },
    )

    rows = _rows(_describe(entry).changes)

    assert rows["Destinations"] == ("GB, US", "US")
    assert rows["Send to mobile numbers only"] == ("No", "Yes")
    assert rows["Daily spend limit"] == ("USD\u00a01,000.00", "USD\u00a099.00")
    before, after = rows["Webhook URL"]
    assert "—" in before
    assert after == "https://hooks.example.com/a"
    text = repr(rows)
    assert "['GB', 'US']" not in text
    assert "False" not in text


def test_nested_objects_read_as_labelled_pairs():
    entry = _entry(
        "profile.update",
        OBJECT_TYPE_PROFILE,
        {"number_pool_settings": {"before": None, "after": {"long_code_weight": 2, "geomatch": True}}},
    )

    rows = _rows(_describe(entry).changes)

    assert rows["Number pool"][1] == "Long code weight: 2; Geomatch: Yes"


def test_a_bound_profile_is_shown_by_name_with_its_id_on_hover(monkeypatch):
    monkeypatch.setitem(readable._NAMES, readable.PROFILE_REF, lambda: {PROFILE_ID: "Acme <Support>"})
    entry = _entry(
        "short_code.bind",
        OBJECT_TYPE_SHORT_CODE,
        {"messaging_profile_id": {"before": None, "after": PROFILE_ID}},
    )

    change = _describe(entry).changes[0]

    assert change.label == "Messaging profile"
    assert f'title="{PROFILE_ID}"' in change.after
    assert "Acme &lt;Support&gt;" in change.after  # escaped


def test_an_unknown_profile_id_is_shown_as_the_id(monkeypatch):
    monkeypatch.setitem(readable._NAMES, readable.PROFILE_REF, lambda: None)
    entry = _entry(
        "short_code.bind",
        OBJECT_TYPE_SHORT_CODE,
        {"messaging_profile_id": {"before": None, "after": PROFILE_ID}},
    )

    assert f"<code>{PROFILE_ID}</code>" in _describe(entry).changes[0].after


def test_a_deletion_is_a_summary_with_the_snapshot_behind_it():
    count = 25
    snapshot = {f"field_{n}": {"before": n, "after": None} for n in range(count - 3)}
    snapshot |= {
        "name": {"before": "Acme", "after": None},
        "enabled": {"before": True, "after": None},
        "whitelisted_destinations": {"before": ["GB", "US"], "after": None},
    }

    described = _describe(_entry("profile.delete", OBJECT_TYPE_PROFILE, snapshot))

    assert described.is_deletion
    assert described.changes == []
    assert [(str(c.label), str(c.before)) for c in described.summary] == [
        ("Name", "Acme"),
        ("Enabled", "Yes"),
        ("Destinations", "GB, US"),
    ]
    assert len(described.snapshot) == count


def test_a_field_nobody_labelled_is_named_by_its_api_name_in_words():
    # A field Telnyx adds later: readable, if English. tests/integration/profiles/test_audit_labels.py
    # makes sure every field the API has today is labelled.
    entry = _entry("profile.delete", OBJECT_TYPE_PROFILE, {"added_later_id": {"before": "x", "after": None}})

    assert _describe(entry).snapshot[0].label == "Added later id"


def test_object_types_have_names_for_people_and_unknown_ones_keep_their_code():
    assert readable.object_type_label(OBJECT_TYPE_PROFILE) == "Messaging profile"
    assert readable.object_type_label(OBJECT_TYPE_SHORT_CODE) == "Short code"
    assert readable.object_type_label("something_else") == "something_else"


def test_a_record_type_reads_as_the_object_type_and_a_choice_by_its_name():
    deletion = _entry(
        "profile.delete", OBJECT_TYPE_PROFILE, {"record_type": {"before": "messaging_profile", "after": None}}
    )
    job = _entry("profile.spend_limit_job", "job", {"source": {"before": None, "after": "import"}})

    assert _rows(_describe(deletion).snapshot)["Record type"][0] == "Messaging profile"
    assert _rows(_describe(job).changes)["Source"][1] == "CSV import"


def test_field_text_formats_a_value_as_the_log_does():
    assert readable.field_text(OBJECT_TYPE_PROFILE, "daily_spend_limit", "1000") == formatting.money("1000")
    assert readable.field_text(OBJECT_TYPE_PROFILE, "mobile_only", False) == "No"
    assert readable.field_text(OBJECT_TYPE_PROFILE, "whitelisted_destinations", ("GB", "US")) == "GB, US"
    assert readable.field_text(OBJECT_TYPE_PROFILE, "whitelisted_destinations", ()) == "—"
    assert readable.field_text(OBJECT_TYPE_PROFILE, "webhook_url", None) == "—"
    pool = {"long_code_weight": 2, "geomatch": True}
    assert (
        readable.field_text(OBJECT_TYPE_PROFILE, "number_pool_settings", pool)
        == "Long code weight: 2; Geomatch: Yes"
    )
    assert readable.field_label(OBJECT_TYPE_PROFILE, "number_pool_settings") == "Number pool"


def test_actions_have_names_for_people_and_unknown_ones_keep_their_code():
    assert readable.action_label("profile.spend_limit") == "Spend limit changed"
    assert readable.action_label("short_code.bind") == "Bound to a profile"
    assert readable.action_label("something.else") == "something.else"


def test_a_job_entry_names_its_object_in_the_reader_s_language():
    entry = AuditEntry(
        action="profile.spend_limit_job",
        object_type="job",
        object_id="7",
        object_label="Spend limits of 3 profiles",  # as its starter's language wrote it
        changes={"profiles": {"before": None, "after": 3}, "source": {"before": None, "after": "bulk"}},
    )

    with translation.override("zh-hans"):
        assert _describe(entry).object_label == "3 个配置文件的消费限额"
        assert _describe(entry).object_type_label == "后台任务"
    # An entry nothing rebuilds keeps what it stored.
    stored = AuditEntry(action="x.y", object_type="job", object_id="8", object_label="Old label", changes={})
    assert _describe(stored).object_label == "Old label"
