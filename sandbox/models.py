"""The sandbox's state: messaging profiles, their phone numbers, and short codes.

Nested API objects (number pool, URL shortener, health, features, tags) are stored as JSON exactly
as the API returns them, so serialising a row is a dict lookup, not a reconstruction.
"""

import uuid

from django.db import models

# The API distinguishes null from "" (a URL cleared with either is returned as sent), so several
# text fields are nullable on purpose (DJ001).


class MessagingProfile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.TextField()
    enabled = models.BooleanField(default=True)
    webhook_url = models.TextField(null=True, default="")  # noqa: DJ001
    webhook_failover_url = models.TextField(null=True, default="")  # noqa: DJ001
    webhook_api_version = models.CharField(max_length=16, default="2")
    health_webhook_url = models.TextField(null=True, default=None)  # noqa: DJ001
    whitelisted_destinations = models.JSONField(default=list)
    number_pool_settings = models.JSONField(null=True, default=None)
    url_shortener_settings = models.JSONField(null=True, default=None)
    alpha_sender = models.TextField(null=True, default=None)  # noqa: DJ001
    daily_spend_limit = models.CharField(max_length=64, default="100.00")
    daily_spend_limit_enabled = models.BooleanField(default=False)
    mms_fall_back_to_sms = models.BooleanField(default=False)
    mms_transcoding = models.BooleanField(default=False)
    mobile_only = models.BooleanField(default=False)
    smart_encoding = models.BooleanField(default=False)
    redaction_enabled = models.BooleanField(default=False)
    redaction_level = models.IntegerField(default=2)
    resource_group_id = models.CharField(max_length=64, null=True, default=None)  # noqa: DJ001
    ai_assistant_id = models.CharField(max_length=64, null=True, default=None)  # noqa: DJ001
    organization_id = models.CharField(max_length=64)
    v1_secret = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["created_at", "id"])]

    def __str__(self) -> str:
        return self.name


class PhoneNumber(models.Model):
    # Telnyx phone-number ids are numeric strings, not UUIDs.
    id = models.CharField(primary_key=True, max_length=32)
    phone_number = models.CharField(max_length=32, unique=True)
    messaging_profile = models.ForeignKey(
        MessagingProfile, null=True, on_delete=models.SET_NULL, related_name="phone_numbers"
    )
    record_type = models.CharField(max_length=32, default="messaging_settings")
    country_code = models.CharField(max_length=2)
    type = models.CharField(max_length=16)
    health = models.JSONField()
    eligible_messaging_products = models.JSONField(default=list)
    traffic_type = models.CharField(max_length=16)
    messaging_product = models.CharField(max_length=16)
    features = models.JSONField()
    organization_id = models.CharField(max_length=64)
    tags = models.JSONField(default=list)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["messaging_profile", "created_at", "id"])]

    def __str__(self) -> str:
        return self.phone_number


class ShortCode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    short_code = models.CharField(max_length=16)
    country_code = models.CharField(max_length=2)
    messaging_profile = models.ForeignKey(
        MessagingProfile, null=True, on_delete=models.SET_NULL, related_name="short_codes"
    )
    tags = models.JSONField(default=list)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["created_at", "id"]),
            models.Index(fields=["messaging_profile", "created_at", "id"]),
        ]

    def __str__(self) -> str:
        return self.short_code
