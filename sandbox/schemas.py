"""Request validation of the sandbox, written as JSON Schema from the API contract.

The schemas follow `telnyx-messaging-openapi.json` and the rules of `telnyx-api-errors.md`, plus
the few keywords the contract needs and JSON Schema lacks:

- `fullPattern`: a regular expression the whole string must match. The standard `pattern`
  keyword searches, and Python's `$` also matches before a trailing newline, so `"10\\n"` would
  pass `^[0-9]+$`.
- `httpUrl`: an http(s) URL with a host, without whitespace or control characters ("" clears).
- `countryCode`: an officially assigned ISO 3166-1 alpha-2 code (pycountry), or the wildcard "*".
- `wildcardAlone`: "*" is only allowed as the single item of its array.
- `uuid`: a UUID in its canonical textual form; "" is allowed where it means "none".

Two annotations steer the error body: `x-error-code` (the Telnyx code for a failure inside that
schema, default 10015) and `x-detail` (the human sentence). Type errors are always 10020 and
missing fields 10004. The dashboard's forms are written independently of this module.
"""

import re
import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pycountry
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from sandbox.errors import error_object

COUNTRY_CODES = frozenset(country.alpha_2 for country in pycountry.countries)
WEBHOOK_API_VERSIONS = ["1", "2", "2010-04-01"]
URL_MAX_LENGTH = 2000
TAG_MAX_LENGTH = 64
TAGS_MAX_ITEMS = 20
ID_MAX_LENGTH = 64


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host and a valid port, and no whitespace or control characters."""
    if value == "":
        return True
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not 0..65535
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _full_pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if isinstance(instance, str) and re.fullmatch(pattern, instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _http_url(validator: Any, enabled: bool, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, str) and not is_http_url(instance):
        yield ValidationError(f"{instance!r} is not an http(s) URL")


def _country_code(validator: Any, enabled: bool, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, str) and instance != "*" and instance not in COUNTRY_CODES:
        yield ValidationError(f"{instance!r} is not an ISO 3166-1 alpha-2 code")


def _wildcard_alone(validator: Any, enabled: bool, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, list) and len(instance) > 1:
        for index, item in enumerate(instance):
            if item == "*":
                yield ValidationError("'*' must be the only item", path=[index])


def _uuid(validator: Any, enabled: bool, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, str) and instance != "" and not is_uuid(instance):
        yield ValidationError(f"{instance!r} is not a UUID")


Validator = validators.extend(
    Draft202012Validator,
    {
        "fullPattern": _full_pattern,
        "httpUrl": _http_url,
        "countryCode": _country_code,
        "wildcardAlone": _wildcard_alone,
        "uuid": _uuid,
    },
)

# --- Field schemas --------------------------------------------------------------------------------

BOOLEAN = {"type": "boolean"}

URL = {
    "type": ["string", "null"],
    "maxLength": URL_MAX_LENGTH,
    "httpUrl": True,
    "x-error-code": "10003",
    "x-detail": (
        "Must be an http or https URL with a host, at most 2000 characters, without spaces; "
        'null or "" clears it.'
    ),
}

NAME = {"type": "string", "pattern": r"\S", "x-detail": "Must not be empty or only whitespace."}

WHITELISTED_DESTINATIONS = {
    "type": "array",
    "minItems": 1,
    "wildcardAlone": True,
    "x-detail": 'Must list at least one destination; "*" (all destinations) must be the only item.',
    "items": {
        "type": "string",
        "countryCode": True,
        "x-detail": 'Must be an ISO 3166-1 alpha-2 country code such as "US", or "*".',
    },
}

WEBHOOK_API_VERSION = {
    "type": "string",
    "enum": WEBHOOK_API_VERSIONS,
    "x-detail": 'Must be one of "1", "2", "2010-04-01".',
}

ALPHA_SENDER = {
    "type": ["string", "null"],
    "fullPattern": "[A-Za-z0-9 ]{1,11}",
    "x-detail": "Must be 1 to 11 letters, digits or spaces, or null.",
}

DAILY_SPEND_LIMIT = {
    "type": "string",
    "fullPattern": r"[0-9]+(?:\.[0-9]+)?",
    "x-detail": 'Must be a string holding a non-negative decimal amount in USD, such as "100.00".',
}

WEIGHT = {"type": "number", "minimum": 0, "x-detail": "Must be a number greater than or equal to 0."}

NUMBER_POOL_SETTINGS = {
    "type": ["object", "null"],
    "required": ["toll_free_weight", "long_code_weight", "skip_unhealthy"],
    "properties": {
        "toll_free_weight": WEIGHT,
        "long_code_weight": WEIGHT,
        "skip_unhealthy": BOOLEAN,
        "sticky_sender": BOOLEAN,
        "geomatch": BOOLEAN,
    },
}

URL_SHORTENER_SETTINGS = {
    "type": ["object", "null"],
    "required": ["domain"],
    "properties": {
        "domain": {"type": "string", "minLength": 1, "x-detail": "Must not be empty."},
        "prefix": {"type": "string"},
        "replace_blacklist_only": BOOLEAN,
        "send_webhooks": BOOLEAN,
    },
}

EXTERNAL_ID = {
    "type": ["string", "null"],
    "maxLength": ID_MAX_LENGTH,
    "x-detail": f"Must be at most {ID_MAX_LENGTH} characters, or null.",
}

# Fields a PATCH may change; anything else in the body (id, record_type, v1_secret, ...) is ignored.
UPDATABLE_PROFILE_PROPERTIES = {
    "name": NAME,
    "enabled": BOOLEAN,
    "webhook_url": URL,
    "webhook_failover_url": URL,
    "webhook_api_version": WEBHOOK_API_VERSION,
    "health_webhook_url": URL,
    "whitelisted_destinations": WHITELISTED_DESTINATIONS,
    "number_pool_settings": NUMBER_POOL_SETTINGS,
    "url_shortener_settings": URL_SHORTENER_SETTINGS,
    "alpha_sender": ALPHA_SENDER,
    "daily_spend_limit": DAILY_SPEND_LIMIT,
    "daily_spend_limit_enabled": BOOLEAN,
    "mms_fall_back_to_sms": BOOLEAN,
    "mms_transcoding": BOOLEAN,
    "mobile_only": BOOLEAN,
    "smart_encoding": BOOLEAN,
}

CREATE_MESSAGING_PROFILE = {
    "type": "object",
    "required": ["name", "whitelisted_destinations"],
    "properties": {
        **UPDATABLE_PROFILE_PROPERTIES,
        "resource_group_id": EXTERNAL_ID,
        "ai_assistant_id": EXTERNAL_ID,
    },
}

UPDATE_MESSAGING_PROFILE = {"type": "object", "properties": UPDATABLE_PROFILE_PROPERTIES}

UPDATE_SHORT_CODE = {
    "type": "object",
    "required": ["messaging_profile_id"],
    "properties": {
        "messaging_profile_id": {
            "type": ["string", "null"],
            "uuid": True,
            "x-detail": 'Must be a messaging profile id; null or "" unbinds the short code.',
        },
        "tags": {
            "type": "array",
            "maxItems": TAGS_MAX_ITEMS,
            "x-detail": f"At most {TAGS_MAX_ITEMS} tags.",
            "items": {
                "type": "string",
                "minLength": 1,
                "maxLength": TAG_MAX_LENGTH,
                "pattern": r"\S",
                "x-detail": f"Each tag must be 1 to {TAG_MAX_LENGTH} characters and not only whitespace.",
            },
        },
    },
}

# The control endpoint PUT /_sandbox/faults. Unknown keys are rejected here (unlike the API):
# a typo in a test's fault set-up must fail loudly, not silently inject nothing.
FAULTS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "latency_ms": {"type": "integer", "minimum": 0, "maximum": 120_000},
        "error_rate": {"type": "number", "minimum": 0, "maximum": 1},
        "error_status": {"type": "integer", "minimum": 400, "maximum": 599},
        "rate_limit": {
            "type": ["object", "null"],
            "required": ["limit", "window_seconds"],
            "additionalProperties": False,
            "properties": {
                "limit": {"type": "integer", "minimum": 1},
                "window_seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 86_400},
            },
        },
        "retry_after_seconds": {"type": ["integer", "null"], "minimum": 0, "maximum": 86_400},
        "drop_rate": {"type": "number", "minimum": 0, "maximum": 1},
    },
}

for _schema in (CREATE_MESSAGING_PROFILE, UPDATE_MESSAGING_PROFILE, UPDATE_SHORT_CODE, FAULTS):
    Validator.check_schema(_schema)

_TYPE_NAMES = {
    "string": "a string",
    "null": "null",
    "array": "an array",
    "object": "an object",
    "boolean": "a boolean (true or false)",
    "number": "a number",
    "integer": "an integer",
}


def json_pointer(path: Any) -> str:
    """RFC 6901 pointer for a jsonschema path; the whole document is ""."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _describe(error: ValidationError) -> tuple[str, str, str]:
    """(pointer, code, detail) for one jsonschema error."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "type":
        expected = (
            error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        )
        return (
            json_pointer(error.absolute_path),
            "10020",
            "Must be " + " or ".join(_TYPE_NAMES.get(name, name) for name in expected) + ".",
        )
    if error.validator == "additionalProperties":
        return json_pointer(error.absolute_path), "10015", error.message
    detail = schema.get("x-detail") or error.message
    return json_pointer(error.absolute_path), schema.get("x-error-code", "10015"), detail


def validation_errors(schema: dict, document: Any) -> list[dict]:
    """Telnyx error objects for everything wrong with `document`, one per offending pointer."""
    found: dict[str, dict] = {}
    for error in Validator(schema).iter_errors(document):
        if error.validator == "required":
            parent = json_pointer(error.absolute_path)
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    pointer = f"{parent}/{name}"
                    found.setdefault(
                        pointer,
                        error_object("10004", f"The '{name}' parameter is required.", pointer=pointer),
                    )
            continue
        pointer, code, detail = _describe(error)
        found.setdefault(pointer, error_object(code, detail, pointer=pointer))
    return list(found.values())
