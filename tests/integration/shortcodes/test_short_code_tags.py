"""Editing tags as chips: add and remove change the form only; save sends the list to Telnyx."""

from __future__ import annotations

import re

from audit.models import AuditEntry
from tests.fixtures.short_codes import calls_to

HTMX = {"HTTP_HX_REQUEST": "true"}


def tags_url(code: dict) -> str:
    return f"/short-codes/{code['id']}/tags/"


def chips(body: str) -> list[str]:
    import re

    return re.findall(r'<input type="hidden" name="tags" value="([^"]*)">', body)


def test_add_and_remove_change_only_the_form(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    seed_short_codes.sandbox.clear_stats()
    added = support_client.post(
        tags_url(code), {"tags": ["a", "b"], "new_tag": "  vip ", "op": "add"}, **HTMX
    ).content.decode()
    assert added.lstrip().startswith('<section id="tags"')
    assert chips(added) == ["a", "b", "vip"]
    box = re.search(r'<input type="text" name="new_tag"[^>]*>', added)
    assert box and 'maxlength="64"' in box.group() and "value=" not in box.group()  # empty for the next tag
    removed = support_client.post(tags_url(code), {"tags": ["a", "b", "vip"], "remove": "a"}, **HTMX)
    assert chips(removed.content.decode()) == ["b", "vip"]
    assert calls_to(seed_short_codes.sandbox, "PATCH /v2/short_codes/{id}") == 0
    assert not AuditEntry.objects.exists()


def test_save_replaces_the_tags_and_keeps_the_binding(seed_short_codes, support_client):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    response = support_client.post(
        tags_url(code), {"tags": ["alerts", "vip"], "op": "save", "updated_at": code["updated_at"]}, **HTMX
    )
    assert response["HX-Redirect"] == f"/short-codes/{code['id']}/"
    now = seed_short_codes.short_code(code["id"])
    assert now["tags"] == ["alerts", "vip"]
    assert now["messaging_profile_id"] == bulk["id"]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome) == ("short_code.tags_update", "success")
    assert entry.changes == {"tags": {"before": code["tags"], "after": ["alerts", "vip"]}}


def test_save_with_text_in_the_box_adds_it(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    data = {"tags": ["x"], "new_tag": "y", "op": "save", "updated_at": code["updated_at"]}
    support_client.post(tags_url(code), data)
    assert seed_short_codes.short_code(code["id"])["tags"] == ["x", "y"]


def test_saving_no_tags_clears_them(seed_short_codes, support_client):
    code = next(c for c in seed_short_codes.all() if c["tags"])
    support_client.post(tags_url(code), {"op": "save", "updated_at": code["updated_at"]})
    assert seed_short_codes.short_code(code["id"])["tags"] == []


def test_invalid_tags_are_refused_beside_the_field_as_the_api_would(seed_short_codes, support_client):
    code = seed_short_codes.unassigned()[0]
    seed_short_codes.sandbox.clear_stats()
    cases = [
        (
            {"tags": ["ok"], "new_tag": "   ", "op": "add"},
            "error-new_tag",
            "A tag cannot be empty or only spaces.",
        ),
        (
            {"tags": ["ok"], "new_tag": "t" * 65, "op": "add"},
            "error-new_tag",
            "at most 64 characters (this one has 65)",
        ),
        (
            {"tags": ["ok"], "new_tag": "ok", "op": "add"},
            "error-new_tag",
            "is already a tag of this short code",
        ),
        (
            {"tags": [f"t{i}" for i in range(20)], "new_tag": "one-more", "op": "add"},
            "error-new_tag",
            "at most 20 tags",
        ),
        ({"tags": [f"t{i}" for i in range(21)], "op": "save"}, "error-tags", "at most 20 tags."),
        ({"tags": ["fine", "\u00a0 "], "op": "save"}, "error-tags", "cannot be empty or only spaces"),
        ({"tags": ["x" * 65], "op": "save"}, "error-tags", "at most 64 characters"),
    ]
    for data, where, message in cases:
        body = support_client.post(tags_url(code), data, **HTMX).content.decode()
        assert f'data-testid="{where}">' in body, data
        assert message in body, (data, body)
        # What was typed is kept: every submitted chip is still there.
        assert chips(body)[: len(data["tags"])] == data["tags"]
    assert calls_to(seed_short_codes.sandbox, "PATCH /v2/short_codes/{id}") == 0


def test_the_sandbox_agrees_with_the_form_at_the_limits(seed_short_codes):
    """The form's limits are the API's: 64 characters and 20 tags pass, one more fails."""
    code = seed_short_codes.unassigned()[0]
    api = seed_short_codes.sandbox
    ok = api.patch(
        f"/short_codes/{code['id']}",
        json={"messaging_profile_id": None, "tags": ["x" * 64] + [f"t{i}" for i in range(19)]},
    )
    assert ok.status_code == 200
    for bad in (["x" * 65], [f"t{i}" for i in range(21)], [" \u00a0"], [""]):
        response = api.patch(f"/short_codes/{code['id']}", json={"messaging_profile_id": None, "tags": bad})
        assert response.status_code == 422, bad

    from django.http import QueryDict

    from shortcodes.forms import TagsForm

    def valid(tags: list[str]) -> bool:
        data = QueryDict(mutable=True)
        data.setlist("tags", tags)
        data["op"] = "save"
        data["updated_at"] = code["updated_at"]
        return TagsForm(data).is_valid()

    assert valid(["x" * 64] + [f"t{i}" for i in range(19)])
    for bad in (["x" * 65], [f"t{i}" for i in range(21)], [" \u00a0"], [""]):
        assert not valid(bad), bad
