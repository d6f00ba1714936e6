"""/audit/: filters, htmx table, CSV export; and the per-object history fragment."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

# Object ids are UUIDs, as at Telnyx: the history URL accepts nothing else.
P1 = "00000000-0000-4000-8000-000000000001"
P9 = "00000000-0000-4000-8000-000000000009"
SC1 = "00000000-0000-4000-8000-0000000000c1"
NO_ENTRIES = "00000000-0000-4000-8000-0000000000ff"


def _entry(user, **fields):
    values = {
        "actor": user,
        "actor_username": user.username,
        "action": "messaging_profile.update",
        "object_type": "messaging_profile",
        "object_id": P1,
        "object_label": "Acme",
        "outcome": "success",
    }
    values.update(fields)
    return AuditEntry.objects.create(**values)


@pytest.fixture
def log(support_user, account_manager):
    _entry(support_user, changes={"name": {"before": "Acme", "after": "Acme Ltd"}})
    _entry(account_manager, action="messaging_profile.spend_limit", object_id="p-2", object_label="Beta")
    _entry(
        support_user,
        action="short_code.bind",
        object_type="short_code",
        object_id=SC1,
        object_label="12345",
    )
    _entry(
        support_user,
        action="messaging_profile.update",
        object_label='=HYPERLINK("http://evil")',
        outcome="failure",
        error="webhook_url: must be https",
    )


def _rows(response):
    return response.context["page"].object_list


def test_it_lists_entries_newest_first(auditor_client, log):
    response = auditor_client.get("/audit/")
    assert response.status_code == 200
    labels = [entry.object_label for entry in _rows(response)]
    assert labels == ['=HYPERLINK("http://evil")', "12345", "Beta", "Acme"]
    assert "Acme Ltd" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        ("user=alex.accounts", ["Beta"]),
        ("user=SAM.SUPPORT", ['=HYPERLINK("http://evil")', "12345", "Acme"]),
        ("action=short_code.bind", ["12345"]),
        ("object_type=messaging_profile&object_id=p-2", ["Beta"]),
    ],
)
def test_it_filters(auditor_client, log, query, labels):
    response = auditor_client.get(f"/audit/?{query}")
    assert [entry.object_label for entry in _rows(response)] == labels


def test_it_filters_by_date_range_in_whole_days(auditor_client, support_user):
    old = _entry(support_user, object_label="old")
    # created_at is set on insert; backdate through the database, not the model (which refuses updates).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET created_at = %s WHERE id = %s",
            [timezone.now() - dt.timedelta(days=10), old.pk],
        )
    _entry(support_user, object_label="today")
    today = timezone.localdate()
    response = auditor_client.get(f"/audit/?date_from={today}&date_to={today}")
    assert [entry.object_label for entry in _rows(response)] == ["today"]
    earlier = today - dt.timedelta(days=10)
    response = auditor_client.get(f"/audit/?date_to={earlier}")
    assert [entry.object_label for entry in _rows(response)] == ["old"]


def test_an_inverted_date_range_is_explained_beside_the_field(auditor_client, log):
    response = auditor_client.get("/audit/?date_from=2026-02-02&date_to=2026-01-01")
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_an_invalid_filter_is_reported_inside_the_htmx_table(auditor_client, log):
    response = auditor_client.get("/audit/?date_from=2026-02-02&date_to=2026-01-01", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "To: The end date is before the start date. This filter was not applied." in body
    assert len(_rows(response)) == 4


def test_htmx_gets_the_table_only(auditor_client, log):
    response = auditor_client.get("/audit/?page_size=20", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="table")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="table"')
    assert "<html" not in body
    assert "<h1" not in body


def test_htmx_replaces_the_export_link_with_the_filters_applied(auditor_client, log):
    response = auditor_client.get("/audit/?action=messaging_profile.update&page=2", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert (
        '<a id="audit-csv" class="button" href="/audit/?action=messaging_profile.update&amp;format=csv"'
        in body
    )
    assert 'hx-swap-oob="true"' in body
    assert response["Vary"].startswith("HX-Request")


def test_it_pages(auditor_client, support_user):
    for number in range(25):
        _entry(support_user, object_id=f"p-{number}")
    response = auditor_client.get("/audit/?page_size=20&page=2")
    assert len(_rows(response)) == 5
    assert response.context["page"].paginator.num_pages == 2
    # Out-of-range and invalid paging fall back instead of failing.
    assert auditor_client.get("/audit/?page=99").status_code == 200
    assert auditor_client.get("/audit/?page=x&page_size=7").status_code == 200


def test_csv_streams_the_filtered_set_with_formula_safe_cells(auditor_client, log):
    response = auditor_client.get("/audit/?format=csv&user=sam.support&page_size=20&page=9")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["time", "user", "action"]
    assert [row[5] for row in rows[1:]] == ['\'=HYPERLINK("http://evil")', "12345", "Acme"]
    failure = rows[1]
    assert failure[6:8] == ["failure", "webhook_url: must be https"]
    assert rows[3][8] == '{"name": {"after": "Acme Ltd", "before": "Acme"}}'


@pytest.mark.parametrize("fixture", ["support_client", "account_manager_client", "groupless_client"])
def test_only_auditors_see_the_whole_log(request, fixture, log):
    client = request.getfixturevalue(fixture)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/?format=csv").status_code == 403


def test_it_offers_no_way_to_write(auditor_client, superuser_client, log):
    assert auditor_client.post("/audit/").status_code == 405
    assert superuser_client.post("/audit/").status_code == 405
    assert AuditEntry.objects.count() == 4


# --- history fragment -----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["support_client", "account_manager_client", "auditor_client"])
def test_every_role_sees_an_objects_history(request, fixture, log):
    client = request.getfixturevalue(fixture)
    response = client.get(f"/audit/history/messaging_profile/{P1}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="history"')
    assert "<html" not in body
    labels = [entry.object_label for entry in response.context["page"].object_list]
    assert labels == ['=HYPERLINK("http://evil")', "Acme"]


def test_history_pages_by_ten_without_pushing_urls(support_client, support_user):
    for _ in range(12):
        _entry(support_user, object_id=P9)
    response = support_client.get(f"/audit/history/messaging_profile/{P9}/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert len(response.context["page"].object_list) == 10
    assert f'hx-get="/audit/history/messaging_profile/{P9}/?page=2"' in body
    assert 'hx-push-url="false"' in body
    assert 'hx-target="#history"' in body


def test_history_without_htmx_is_a_full_page(support_client, log):
    response = support_client.get(f"/audit/history/short_code/{SC1}/")
    body = response.content.decode()
    assert "<html" in body
    assert 'id="history"' in body


def test_history_of_an_object_without_entries(support_client):
    response = support_client.get(f"/audit/history/short_code/{NO_ENTRIES}/", HTTP_HX_REQUEST="true")
    assert "No changes have been made through the dashboard yet." in response.content.decode()


def test_the_action_filter_names_actions_for_people(auditor_client, log, account_manager):
    _entry(account_manager, action="profile.spend_limit")
    response = auditor_client.get("/audit/")
    choices = response.context["form"].fields["action"].choices
    # Named as in the table, with the code the URL and the CSV carry; a code without a name stays as
    # it is. Sorted by what is shown.
    assert choices == [
        ("", "Any action"),
        ("short_code.bind", "Bound to a profile (short_code.bind)"),
        ("messaging_profile.spend_limit", "messaging_profile.spend_limit"),
        ("messaging_profile.update", "messaging_profile.update"),
        ("profile.spend_limit", "Spend limit changed (profile.spend_limit)"),
    ]
    assert '<option value="profile.spend_limit">Spend limit changed (profile.spend_limit)</option>' in (
        response.content.decode()
    )
