"""The number index: a copy, in our database, of every phone number the account's profiles hold.

The Telnyx API lists numbers one profile at a time, so "which profile is +1 415 555 0100 on?" would
cost a walk of every profile. The index is that walk done in the background (phone_numbers/index.py)
and kept: one IndexedNumber per number, one IndexedProfile per profile saying which version of the
profile its numbers were read at. Every row carries the Telnyx account, so a second account is a
setting, not a migration.
"""

from __future__ import annotations

from django.db import models

from phone_numbers.lookups import Holds


class IndexedProfile(models.Model):
    """A profile of the account as the index knows it, and when its numbers were last read."""

    account = models.CharField(max_length=64)
    profile_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    daily_spend_limit = models.CharField(max_length=32, blank=True)
    daily_spend_limit_enabled = models.BooleanField(default=False)
    # The profile's `updated_at` (the API's text) when its numbers were read; blank: never read.
    # A refresh reads again only profiles whose listed `updated_at` differs from this.
    numbers_read_for = models.CharField(max_length=40, blank=True)
    number_count = models.PositiveIntegerField(default=0)
    numbers_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["account", "profile_id"], name="phone_numbers_profile_unique")
        ]
        indexes = [models.Index(fields=["account", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.profile_id})"


class IndexedNumber(models.Model):
    """One phone number and the profile holding it, with the attributes the profile's list gives."""

    account = models.CharField(max_length=64)
    number_id = models.CharField(max_length=64)
    phone_number = models.CharField(max_length=32)
    # The number's digits only ("+1 415-555-0100" -> "14155550100"): what lookups match on.
    digits = models.CharField(max_length=32)
    digits.register_lookup(Holds)  # digits__holds: by any part of the number (lookups.py)
    profile_id = models.CharField(max_length=64)
    country_code = models.CharField(max_length=8, blank=True)
    type = models.CharField(max_length=32, blank=True)
    messaging_product = models.CharField(max_length=32, blank=True)
    traffic_type = models.CharField(max_length=32, blank=True)
    # Tags as " a b ": one tag matches " a " whatever its neighbours, on every database.
    tags = models.CharField(max_length=1000, blank=True)
    message_count = models.PositiveBigIntegerField(null=True, blank=True)
    success_ratio = models.FloatField(null=True, blank=True)
    spam_ratio = models.FloatField(null=True, blank=True)
    seen_at = models.DateTimeField()

    class Meta:
        default_permissions = ()
        ordering = ["digits"]
        constraints = [
            # A number is on one profile at a time: reading it on another moves it there.
            models.UniqueConstraint(fields=["account", "number_id"], name="phone_numbers_number_unique")
        ]
        indexes = [
            # In the lookup's order (digits, then number_id): a page of matches is read off the index
            # and stops at its last row, instead of every match being sorted first.
            models.Index(fields=["account", "digits", "number_id"]),
            models.Index(fields=["account", "profile_id"]),
        ]

    def __str__(self) -> str:
        return self.phone_number

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class IndexState(models.Model):
    """How complete the index of one account is, and the row refreshes lock to start one at a time."""

    account = models.CharField(max_length=64, unique=True)
    # When the profiles were listed for the last refresh that read every profile it had to.
    complete_as_of = models.DateTimeField(null=True, blank=True)
    # When the last refresh that re-read every profile (not only changed ones) listed them.
    full_as_of = models.DateTimeField(null=True, blank=True)
    # The refresh job running now, if any (jobs.Job; not a foreign key: jobs are pruned).
    job_id = models.BigIntegerField(null=True, blank=True)
    # The types, countries and tags of the numbers, for the lookup's menus (kept by each refresh).
    choices = models.JSONField(default=dict, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"number index of {self.account}"
