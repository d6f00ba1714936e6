"""Input crafted to break the write path or the audit log: never a 500, never a lost entry."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEntry
from tests.fixtures.profile_writes import audit_entries

pytestmark = pytest.mark.django_db


# Literal ids, never random ones: every parallel worker must collect the same test names.
@pytest.mark.parametrize(
    "short_code_id",
    [
        "x" * 200,  # longer than any id column
        "a" * 8 + "-" + "b" * 4 + "-" + "c" * 4 + "-" + "d" * 4 + "-" + "e" * 12 + "%0A",  # trailing newline
        "%00b74e3a4d-f45a-4224-a60d-44b687648144",  # NUL
        "not-a-uuid",
    ],
)
def test_a_short_code_id_that_is_not_a_uuid_is_a_404_before_any_call(
    support_client: Any, telnyx_settings: Any, short_code_id: str
):
    telnyx_settings.clear_stats()
    for suffix in ("", "bind/", "unbind/", "tags/"):
        response = support_client.post(
            f"/short-codes/{short_code_id}/{suffix}", {"tags": ["a"], "op": "save"}
        )
        assert response.status_code == 404
    assert telnyx_settings.stats()["total_requests"] == 0
    assert not AuditEntry.objects.exists()


def test_a_profile_tab_unbind_with_a_crafted_id_is_refused_before_any_call(
    support_client: Any, telnyx_settings: Any
):
    profile = telnyx_settings.profile_named("Acme Bulk Notifications")
    telnyx_settings.clear_stats()
    response = support_client.post(
        f"/profiles/{profile['id']}/short-codes/",
        {"action": "unbind", "short_code_id": "x" * 300},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "That is not a short code id." in response.content.decode()
    assert telnyx_settings.stats()["requests"].get("PATCH /v2/short_codes/{id}", 0) == 0


def test_a_write_through_an_upper_case_id_is_audited_under_the_canonical_id(
    seed_short_codes: Any, support_client: Any, auditor_client: Any
):
    code = seed_short_codes.all()[0]
    upper = code["id"].upper()
    response = support_client.post(
        f"/short-codes/{upper}/tags/",
        {"tags": ["upper-case-check"], "op": "save", "updated_at": code["updated_at"]},
    )
    assert response.status_code == 302
    (entry,) = AuditEntry.objects.all()
    assert entry.object_id == code["id"]
    history = auditor_client.get(f"/audit/history/short_code/{code['id']}/", headers={"HX-Request": "true"})
    assert "short_code.tags_update" in history.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/audit/history/short_code/%00abc/",  # NUL: a DataError on PostgreSQL if it reached the query
        "/audit/history/messaging_profile/" + "x" * 300 + "/",
        "/audit/history/short_code/b74e3a4d-f45a-4224-a60d-44b687648144%0A/",  # trailing newline
        "/audit/history/short%00code/b74e3a4d-f45a-4224-a60d-44b687648144/",  # NUL in the type
    ],
)
def test_a_history_url_with_a_crafted_id_is_a_404(auditor_client: Any, path: str):
    assert auditor_client.get(path, headers={"HX-Request": "true"}).status_code == 404


def test_a_history_url_with_an_upper_case_id_shows_the_canonical_entries(
    auditor_client: Any, support_user: Any
):
    object_id = "b74e3a4d-f45a-4224-a60d-44b687648144"
    AuditEntry.objects.create(
        actor=support_user,
        actor_username=support_user.username,
        action="short_code.tags_update",
        object_type="short_code",
        object_id=object_id,
        object_label="12345",
        outcome="success",
    )
    history = auditor_client.get(
        f"/audit/history/short_code/{object_id.upper()}/", headers={"HX-Request": "true"}
    )
    assert history.status_code == 200
    assert "short_code.tags_update" in history.content.decode()


def test_nul_in_a_typed_name_is_a_field_error_and_nothing_is_sent(support_client: Any, telnyx_settings: Any):
    telnyx_settings.clear_stats()
    response = support_client.post(
        "/profiles/new/",
        {"name": "Evil\x00Name", "whitelisted_destinations": ["US"], "webhook_api_version": "2"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert telnyx_settings.stats()["requests"].get("POST /v2/messaging_profiles", 0) == 0


def test_a_profile_named_with_nul_can_still_be_deleted(
    support_client: Any, make_profile: Any, telnyx_settings: Any
):
    profile = make_profile(name="Made\x00Elsewhere")  # possible through the API, not through our forms
    page = support_client.get(f"/profiles/{profile['id']}/delete/").content.decode()
    assert "Made\u2400Elsewhere" in page  # shown, and typed, with ␀ for the NUL

    response = support_client.post(
        f"/profiles/{profile['id']}/delete/", {"confirm_name": "Made\u2400Elsewhere"}
    )

    assert response.status_code == 302
    assert telnyx_settings.get(f"/messaging_profiles/{profile['id']}").status_code == 404
    (entry,) = audit_entries(action="profile.delete")
    assert entry.outcome == "success"
    assert entry.object_label == "Made\u2400Elsewhere"  # PostgreSQL cannot hold NUL; the entry survives


def test_a_huge_name_is_kept_in_the_audit_log_only_up_to_a_sane_size(
    support_client: Any, auditor_client: Any, telnyx_settings: Any
):
    name = "N" * 2_400_000
    response = support_client.post(
        "/profiles/new/", {"name": name, "whitelisted_destinations": ["US"], "webhook_api_version": "2"}
    )
    # The sandbox, like any API behind a proxy, refuses a body this large (413): said, not a 500.
    assert response.status_code == 409
    assert "Telnyx refused the request" in response.content.decode()
    (entry,) = audit_entries(action="profile.create")
    assert (entry.outcome, entry.resolution) == ("failure", "answered")
    assert len(entry.object_label) == 255
    stored = entry.changes["name"]["after"]
    assert stored.endswith("[truncated: 2,400,000 characters in all]") and len(stored) < 5000
    page = auditor_client.get("/audit/")
    assert page.status_code == 200 and len(page.content) < 200_000


@pytest.mark.parametrize("date_to", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_an_out_of_range_date_filter_is_a_form_error(auditor_client: Any, date_to: str):
    response = auditor_client.get("/audit/", {"date_to": date_to})
    assert response.status_code == 200
    assert "Enter a date between the years 2000 and 9998." in response.content.decode()


def test_duplicate_tags_are_refused_beside_the_field(seed_short_codes: Any, support_client: Any):
    code = seed_short_codes.all()[0]
    seed_short_codes.sandbox.clear_stats()
    response = support_client.post(
        f"/short-codes/{code['id']}/tags/",
        {"tags": ["same", "same"], "op": "save", "updated_at": code["updated_at"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "is listed twice" in response.content.decode()
    assert seed_short_codes.sandbox.stats()["requests"].get("PATCH /v2/short_codes/{id}", 0) == 0
    assert not AuditEntry.objects.exists()


def test_nul_in_a_posted_tag_is_a_field_error_and_nothing_is_sent(seed_short_codes: Any, support_client: Any):
    code = seed_short_codes.all()[0]
    seed_short_codes.sandbox.clear_stats()
    response = support_client.post(
        f"/short-codes/{code['id']}/tags/",
        {"tags": ["fine", "evil\x00tag"], "op": "save", "updated_at": code["updated_at"]},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-tags">' in body
    assert "A tag cannot contain NUL characters." in body
    assert seed_short_codes.sandbox.stats()["requests"].get("PATCH /v2/short_codes/{id}", 0) == 0
    assert not AuditEntry.objects.exists()


# A short-code write without a readable `updated_at` could not be checked for staleness: refused.
BAD_STAMPS = [
    pytest.param(None, id="missing"),
    pytest.param("", id="empty"),
    pytest.param("\x00", id="nul"),
    pytest.param("yesterday", id="not-a-time"),
    pytest.param("2026-13-45T99:00:00Z", id="impossible-date"),
]


def _short_code_post(action: str, code: dict[str, Any], profile_id: str) -> dict[str, Any]:
    if action == "bind":
        return {"messaging_profile_id": profile_id}
    if action == "tags":
        return {"tags": [*code["tags"], "stampless"], "op": "save"}
    return {}


@pytest.mark.parametrize("action", ["bind", "unbind", "tags"])
@pytest.mark.parametrize("stamp", BAD_STAMPS)
def test_a_short_code_write_without_a_valid_stamp_is_refused_and_nothing_is_sent(
    seed_short_codes: Any, support_client: Any, action: str, stamp: str | None
):
    bulk = seed_short_codes.profile()
    code = seed_short_codes.bound_to(bulk["id"])[0]
    other = next(c for c in seed_short_codes.all() if c["messaging_profile_id"] != bulk["id"])
    target = other["messaging_profile_id"] or bulk["id"]
    data = _short_code_post(action, code, target)
    if stamp is not None:
        data["updated_at"] = stamp
    seed_short_codes.sandbox.clear_stats()

    response = support_client.post(
        f"/short-codes/{code['id']}/{action}/", data, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert (
        "This form is missing its version stamp; reload the page and try again." in response.content.decode()
    )
    assert seed_short_codes.sandbox.stats()["requests"].get("PATCH /v2/short_codes/{id}", 0) == 0
    assert seed_short_codes.short_code(code["id"]) == code
    assert not AuditEntry.objects.exists()


def test_a_422_on_unbind_is_said_beside_the_form(seed_short_codes: Any, support_client: Any):
    code = next(code for code in seed_short_codes.all() if code["messaging_profile_id"])
    # The write path's re-read passes; the PATCH (the second request) gets a 422.
    seed_short_codes.sandbox.set_faults(error_rate=0.5, error_status=422)
    response = support_client.post(
        f"/short-codes/{code['id']}/unbind/",
        {"updated_at": code["updated_at"]},
        headers={"HX-Request": "true"},
    )
    seed_short_codes.sandbox.clear_faults()
    assert response.status_code == 200
    assert "Injected fault" in response.content.decode()
    (entry,) = AuditEntry.objects.all()
    assert entry.outcome == "failure"


@pytest.mark.parametrize(
    ("path", "status", "told"),
    [
        # The profile search keeps its page and says so where the results would be.
        ("/profiles/", 200, ['role="alert"><p>Telnyx did not accept this search: Injected fault']),
        ("/short-codes/", 409, ["Telnyx refused the request", "<p>Telnyx answered: Injected fault"]),
    ],
)
def test_a_422_on_a_list_read_is_a_banner(
    support_client: Any, telnyx_settings: Any, path: str, status: int, told: list[str]
):
    telnyx_settings.set_faults(error_rate=1.0, error_status=422)
    response = support_client.get(path)
    assert response.status_code == status
    # What happened and what Telnyx said, not only a status.
    body = response.content.decode()
    for text in told:
        assert text in body


def test_a_422_on_a_detail_read_is_a_banner(support_client: Any, telnyx_settings: Any):
    profile = telnyx_settings.profile_named("Acme Bulk Notifications")
    telnyx_settings.set_faults(error_rate=1.0, error_status=422)
    response = support_client.get(f"/profiles/{profile['id']}/")
    assert response.status_code == 409
    assert "Telnyx refused the request" in response.content.decode()


def test_support_posting_spend_limit_fields_on_edit_changes_nothing_of_them(
    support_client: Any, make_profile: Any, telnyx_settings: Any
):
    from profiles.forms import ProfileEditForm
    from tests.fixtures.profile_writes import resubmit

    profile = make_profile(daily_spend_limit="100.00", daily_spend_limit_enabled=False)
    data = resubmit(
        ProfileEditForm(profile=profile, with_spend_limit=True),
        daily_spend_limit="99999",
        daily_spend_limit_enabled=True,
        alpha_sender="SUPPORT",
    )
    response = support_client.post(f"/profiles/{profile['id']}/edit/", data)

    assert response.status_code == 302
    held = telnyx_settings.get(f"/messaging_profiles/{profile['id']}").json()["data"]
    assert (held["daily_spend_limit"], held["daily_spend_limit_enabled"]) == ("100.00", False)
    assert held["alpha_sender"] == "SUPPORT"
    assert audit_entries(action="profile.spend_limit") == []
    (entry,) = audit_entries(action="profile.update")
    assert set(entry.changes) == {"alpha_sender"}


def test_a_user_with_both_roles_gets_two_entries_for_settings_and_limit(
    support_manager_client: Any, make_profile: Any, telnyx_settings: Any
):
    from profiles.forms import ProfileEditForm
    from tests.fixtures.profile_writes import resubmit

    profile = make_profile(daily_spend_limit="100.00")
    data = resubmit(
        ProfileEditForm(profile=profile, with_spend_limit=True),
        daily_spend_limit="250.00",
        alpha_sender="BOTH",
    )
    assert support_manager_client.post(f"/profiles/{profile['id']}/edit/", data).status_code == 302

    (settings_entry,) = audit_entries(action="profile.update")
    (limit_entry,) = audit_entries(action="profile.spend_limit")
    assert set(settings_entry.changes) == {"alpha_sender"}
    assert limit_entry.changes["daily_spend_limit"] == {"before": "100.00", "after": "250.00"}
    assert settings_entry.outcome == limit_entry.outcome == "success"
