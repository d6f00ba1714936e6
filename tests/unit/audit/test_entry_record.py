"""audit.services.entry_record: who, what, from where; changes as before/after pairs."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from audit.models import AuditEntry
from audit.services import entry_record

pytestmark = pytest.mark.django_db


def _request(user, **meta):
    request = RequestFactory().post("/profiles/p-1/edit/", **meta)
    request.user = user
    request.id = "req-123"
    return request


def test_it_records_actor_object_changes_and_request_details(support_user):
    entry = entry_record(
        request=_request(support_user, REMOTE_ADDR="203.0.113.9"),
        action="messaging_profile.spend_limit",
        object_type="messaging_profile",
        object_id=uuid.UUID("00000000-0000-4000-8000-000000000001"),
        object_label="Acme",
        changes={"daily_spend_limit": (Decimal("10.00"), Decimal("25.50")), "enabled": (False, True)},
        outcome="success",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == support_user
    assert stored.actor_username == "sam.support"
    assert stored.object_id == "00000000-0000-4000-8000-000000000001"
    assert stored.changes == {
        "daily_spend_limit": {"before": "10.00", "after": "25.50"},
        "enabled": {"before": False, "after": True},
    }
    assert stored.request_id == "req-123"
    assert stored.client_ip == "203.0.113.9"
    assert stored.outcome == "success"
    assert stored.error == ""
    assert stored.created_at is not None


def test_it_records_failures_with_the_error(support_user):
    entry = entry_record(
        request=_request(support_user),
        action="messaging_profile.update",
        object_type="messaging_profile",
        object_id="p-1",
        object_label="Acme",
        changes={"name": ("Acme", "")},
        outcome="failure",
        error="name: must not be blank",
    )
    assert entry.outcome == "failure"
    assert entry.error == "name: must not be blank"


def test_it_rejects_an_unknown_outcome(support_user):
    with pytest.raises(ValueError, match="outcome"):
        entry_record(
            request=_request(support_user),
            action="x",
            object_type="x",
            object_id="x",
            object_label="",
            changes=None,
            outcome="maybe",  # type: ignore[arg-type]
        )
    assert not AuditEntry.objects.exists()


def test_an_anonymous_request_has_no_actor(db):
    entry = entry_record(
        request=_request(AnonymousUser()),
        action="x",
        object_type="x",
        object_id="x",
        object_label="",
        changes=None,
        outcome="success",
    )
    assert entry.actor is None
    assert entry.actor_username == ""
    assert entry.changes == {}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client-written left part is not trusted
        (1, "not-an-ip", None),
    ],
)
def test_the_client_ip_trusts_only_configured_proxies(support_user, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = _request(support_user, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    entry = entry_record(
        request=request,
        action="x",
        object_type="x",
        object_id="x",
        object_label="",
        changes=None,
        outcome="success",
    )
    assert entry.client_ip == expected


def test_it_stores_nul_characters_as_a_visible_symbol(support_user):
    # The API accepts NUL in names and tags; PostgreSQL text and jsonb cannot hold it.
    entry = entry_record(
        request=_request(support_user),
        action="messaging_profile.create",
        object_type="messaging_profile",
        object_id="p-1",
        object_label="Ac\x00me",
        changes={"name": (None, "Ac\x00me"), "tags": ([], ["a\x00", {"k\x00": "v\x00"}])},
        outcome="failure",
        error="bad \x00 value",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.object_label == "Ac\u2400me"
    assert stored.changes == {
        "name": {"before": None, "after": "Ac\u2400me"},
        "tags": {"before": [], "after": ["a\u2400", {"k\u2400": "v\u2400"}]},
    }
    assert stored.error == "bad \u2400 value"
