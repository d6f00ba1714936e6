"""audit.services.entry_record / entry_open: who, what, from where; changes as before/after pairs;
columns that never overflow; and the one change an entry allows (resolving an open one)."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from audit import services
from audit.context import AuditContext
from audit.models import AuditEntry, AuditEntryImmutable

pytestmark = pytest.mark.django_db


def _request(user, **meta):
    request = RequestFactory().post("/profiles/p-1/edit/", **meta)
    request.user = user
    request.id = "req-123"
    return request


def entry_record(*, request, **fields):
    """The use case as a view calls it: the actor and an audit context built from the request."""
    return services.entry_record(actor=request.user, audit=AuditContext.of(request), **fields)


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
    ("proxies", "peer", "forwarded", "expected"),
    [
        (0, "10.0.0.2", "198.51.100.7", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        # the client-written left part is not trusted
        (1, "10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "not-an-ip", None),
        (1, "192.0.2.50", "198.51.100.7", "192.0.2.50"),  # a peer that is no proxy writes its own header
    ],
)
def test_the_client_ip_trusts_only_configured_proxies(
    support_user, settings, proxies, peer, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.TRUSTED_PROXY_ADDRESSES = ["10.0.0.0/8"]
    request = _request(support_user, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
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


def test_long_text_is_cut_with_a_marker_so_the_entry_is_never_lost(support_user):
    entry = entry_record(
        request=_request(support_user),
        action="short_code.bind",
        object_type="short_code",
        object_id="x" * 500,
        object_label="L" * 1000,
        changes={"name": (None, "N" * 2_400_000)},
        outcome="failure",
        error="E" * 10_000,
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert len(stored.object_id) == 128 and stored.object_id.endswith("…")
    assert len(stored.object_label) == 255 and stored.object_label.endswith("…")
    assert len(stored.error) == 2000
    after = stored.changes["name"]["after"]
    assert after.startswith("N" * services.MAX_VALUE_CHARS)
    assert after.endswith("[truncated: 2,400,000 characters in all]")
    assert len(after) < services.MAX_VALUE_CHARS + 100


def test_lists_too_long_are_kept_as_cut_json_text(support_user):
    tags = [f"tag-{index:04d}" for index in range(1000)]
    entry = entry_record(
        request=_request(support_user),
        action="short_code.tags_update",
        object_type="short_code",
        object_id="x",
        object_label="",
        changes={"tags": ([], tags)},
        outcome="success",
    )
    after = AuditEntry.objects.get(pk=entry.pk).changes["tags"]["after"]
    assert after.startswith('["tag-0000", "tag-0001"')
    assert "truncated" in after


def _open_entry(user):
    return services.entry_open(
        actor=user,
        audit=AuditContext(request_id="req-9", account="acct"),
        action="profile.update",
        object_type="messaging_profile",
        object_id="p-1",
        object_label="Acme",
        changes={"enabled": (True, False)},
        intent={"op": "update", "updated_at": "t0", "wanted": {"enabled": "d"}},
    )


def test_an_intent_is_open_until_it_is_resolved_once(support_user):
    entry = _open_entry(support_user)
    assert entry.outcome == "unknown" and entry.is_open
    assert entry.account == "acct"
    assert entry.resolve(outcome="success", resolution="read_back") is True
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.outcome, stored.resolution, stored.is_open) == ("success", "read_back", False)
    assert stored.resolved_at is not None
    # Resolved is final: a second resolution (say, a reconciler on another instance) changes nothing.
    assert stored.resolve(outcome="failure", resolution="reconciled") is False
    assert AuditEntry.objects.get(pk=entry.pk).outcome == "success"


def test_resolving_cannot_rewrite_what_was_recorded(support_user):
    entry = _open_entry(support_user)
    entry.resolve(outcome="failure", resolution="answered", object_id="other", object_label="Other")
    stored = AuditEntry.objects.get(pk=entry.pk)
    # The id and label were set when the intent was stored; only blank ones may be filled in.
    assert (stored.object_id, stored.object_label) == ("p-1", "Acme")
    assert stored.changes == {"enabled": {"before": True, "after": False}}


def test_an_entry_stays_unknown_only_when_it_cannot_be_decided(support_user):
    entry = _open_entry(support_user)
    with pytest.raises(ValueError):
        entry.resolve(outcome="unknown", resolution="reconciled")
    with pytest.raises(ValueError):
        entry.resolve(outcome="maybe", resolution="reconciled")
    assert entry.resolve(outcome="unknown", resolution="undecidable") is True
    assert AuditEntry.objects.get(pk=entry.pk).is_open is False


def test_a_finished_entry_cannot_be_saved_over(support_user):
    entry = _open_entry(support_user)
    entry.outcome = "success"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
