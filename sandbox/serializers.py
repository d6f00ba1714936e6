"""Model rows to the API's JSON objects, field for field as the contract lists them.

Phone numbers are serialised by SQLite itself (see `views.profile_phone_numbers`), for speed.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from sandbox.models import MessagingProfile, ShortCode

ONE_MILLISECOND = timedelta(milliseconds=1)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as Telnyx writes it: 2019-01-23T18:10:02.574Z."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def now_ms() -> datetime:
    moment = timezone.now()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def next_updated_at(previous: datetime) -> datetime:
    """A write's new `updated_at`: now, but always later than the previous one.

    The dashboard detects stale forms by comparing `updated_at`; two writes in the same
    millisecond must still give two different values.
    """
    return max(now_ms(), previous + ONE_MILLISECOND)


def profile_json(profile: MessagingProfile) -> dict[str, Any]:
    return {
        "record_type": "messaging_profile",
        "id": str(profile.id),
        "name": profile.name,
        "enabled": profile.enabled,
        "webhook_url": profile.webhook_url,
        "webhook_failover_url": profile.webhook_failover_url,
        "webhook_api_version": profile.webhook_api_version,
        "health_webhook_url": profile.health_webhook_url,
        "whitelisted_destinations": profile.whitelisted_destinations,
        "number_pool_settings": profile.number_pool_settings,
        "url_shortener_settings": profile.url_shortener_settings,
        "alpha_sender": profile.alpha_sender,
        "daily_spend_limit": profile.daily_spend_limit,
        "daily_spend_limit_enabled": profile.daily_spend_limit_enabled,
        "mms_fall_back_to_sms": profile.mms_fall_back_to_sms,
        "mms_transcoding": profile.mms_transcoding,
        "mobile_only": profile.mobile_only,
        "smart_encoding": profile.smart_encoding,
        "redaction_enabled": profile.redaction_enabled,
        "redaction_level": profile.redaction_level,
        "resource_group_id": profile.resource_group_id,
        "ai_assistant_id": profile.ai_assistant_id,
        "organization_id": profile.organization_id,
        "v1_secret": profile.v1_secret,
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.updated_at),
    }


def short_code_json(short_code: ShortCode) -> dict[str, Any]:
    profile_id = short_code.messaging_profile_id
    return {
        "record_type": "short_code",
        "id": str(short_code.id),
        "short_code": short_code.short_code,
        "country_code": short_code.country_code,
        "messaging_profile_id": str(profile_id) if profile_id else None,
        "tags": short_code.tags,
        "created_at": iso(short_code.created_at),
        "updated_at": iso(short_code.updated_at),
    }
