"""Audit entries cannot be changed or removed through any code path the application offers."""

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from audit.models import AuditEntry, AuditEntryImmutable

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(support_user):
    return AuditEntry.objects.create(
        actor=support_user,
        actor_username=support_user.username,
        action="messaging_profile.update",
        object_type="messaging_profile",
        object_id="p-1",
        object_label="Acme",
        changes={"name": {"before": "Acme", "after": "Acme Ltd"}},
        outcome="success",
    )


def _unchanged(entry):
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.object_label == "Acme"
    assert fresh.changes == {"name": {"before": "Acme", "after": "Acme Ltd"}}


def test_it_refuses_to_save_an_existing_entry(entry):
    entry.object_label = "Tampered"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    _unchanged(entry)


def test_it_refuses_to_save_a_loaded_entry(entry):
    loaded = AuditEntry.objects.get(pk=entry.pk)
    loaded.outcome = "failure"
    with pytest.raises(AuditEntryImmutable):
        loaded.save(update_fields=["outcome"])
    _unchanged(entry)


def test_a_new_object_with_an_existing_primary_key_cannot_overwrite(entry):
    forged = AuditEntry(
        pk=entry.pk, actor_username="mallory", action="x", object_type="x", object_id="x", outcome="success"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    _unchanged(entry)


def test_it_refuses_to_delete_an_entry(entry):
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_queryset_refuses_update_and_delete(entry):
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(object_label="Tampered")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).bulk_update([entry], ["object_label"])
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"object_label": "Tampered"})
    _unchanged(entry)


def test_deleting_an_actor_is_refused_so_entries_keep_their_author(entry, support_user):
    with pytest.raises(ProtectedError):
        support_user.delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor == support_user


def test_no_role_can_be_granted_add_change_or_delete(db):
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(content_type__app_label="audit").values_list("codename", flat=True)
    )
    assert codenames == {"view_auditentry", "view_history"}


def test_the_admin_does_not_offer_audit_entries():
    assert AuditEntry not in admin.site._registry
