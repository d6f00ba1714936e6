"""Builders for profile form input: what a browser would POST, and profiles in the API's JSON shape."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

VALID_CREATE: dict[str, Any] = {
    "name": "Acme support",
    "whitelisted_destinations": ["US"],
    "webhook_api_version": "2",
}

PROFILE: dict[str, Any] = {
    "id": "4001767e-ce0f-4cae-9d5f-0d5e636e7809",
    "record_type": "messaging_profile",
    "name": "Acme support",
    "enabled": True,
    "webhook_url": "https://hooks.example.com/telnyx",
    "webhook_failover_url": None,
    "webhook_api_version": "2",
    "whitelisted_destinations": ["US", "CA"],
    "alpha_sender": None,
    "daily_spend_limit": "100.00",
    "daily_spend_limit_enabled": True,
    "mms_fall_back_to_sms": False,
    "mms_transcoding": False,
    "mobile_only": False,
    "smart_encoding": True,
    "number_pool_settings": {
        "toll_free_weight": 10,
        "long_code_weight": 2.5,
        "skip_unhealthy": True,
        "sticky_sender": False,
        "geomatch": False,
    },
    "url_shortener_settings": None,
    "resource_group_id": None,
    "health_webhook_url": "",
    "ai_assistant_id": None,
    "v1_secret": "rP1VamejkU2v0qIUxntqLW2c",
    "created_at": "2026-11-01T10:00:00.000000Z",
    "updated_at": "2026-11-20T12:30:00.000000Z",
}


def post(fields: dict[str, Any]) -> QueryDict:
    """A QueryDict as a browser submits it: lists as repeated keys, checked boxes as "on", unchecked
    boxes (False) and None left out."""
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data.setlist(name, [str(item) for item in value])
        else:
            data[name] = str(value)
    return data


def resubmission(form: forms.BaseForm, **changes: Any) -> QueryDict:
    """What the browser posts back for an unbound form shown with its initial values, plus `changes`."""
    values: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            value = bool(value)
        values[bound.name] = value
    values.update(changes)
    return post(values)
