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


def _full_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if isinstance(instance, str) and re.fullmatch(pattern, instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _http_url(
    validator: Any, enabled: bool, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, str) and not is_http_url(instance):
        yield ValidationError(f"{instance!r} is not an http(s) URL")


def _country_code(
    validator: Any, enabled: bool, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, str) and instance != "*" and instance not in COUNTRY_CODES:
        yield ValidationError(f"{instance!r} is not an ISO 3166-1 alpha-2 code")


def _wildcard_alone(
    validator: Any, enabled: bool, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, list) and len(instance) > 1:
        for index, item in enumerate(instance):
            if item == "*":
                yield ValidationError("'*' must be the only item", path=[index])


def _uuid(validator: Any, enabled: bool, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if enabled and isinstance(instance, str) and instance != "" and not is_uuid(instance):
        yield ValidationError(f"{instance!r} is not a UUID")


Validator = validators.extend(  # type: ignore[no-untyped-call]
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

# --- Response schemas ------------------------------------------------------------------------------
# What the sandbox answers, from the contract's response objects (`MessagingProfile`,
# `PhoneNumberWithMessagingSettings`, `ShortCode`, `messaging_PaginationMeta`), with every field the
# sandbox writes required. The seed and every answer must fit: data the real API could not hold
# would let the dashboard pass tests against a sandbox that Telnyx never resembles.

TIMESTAMP = {
    "type": "string",
    "fullPattern": r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z",
}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
ID = {"type": "string", "uuid": True, "minLength": 1}
COUNTRY = {"type": "string", "fullPattern": "[A-Z]{2}"}
TAGS = {"type": "array", "items": TEXT}


def _record(properties: dict[str, Any]) -> dict[str, Any]:
    """An object that has every one of `properties`, each valid."""
    return {"type": "object", "required": list(properties), "properties": properties}


def _answer(item: dict[str, Any]) -> dict[str, Any]:
    return _record({"data": item})


def _list_answer(item: dict[str, Any]) -> dict[str, Any]:
    return _record({"data": {"type": "array", "items": item}, "meta": PAGINATION_META})


PAGINATION_META = _record(
    {
        name: {"type": "integer", "minimum": 0}
        for name in ("total_pages", "total_results", "page_size", "page_number")
    }
)

MESSAGING_PROFILE = _record(
    {
        "record_type": {"const": "messaging_profile"},
        "id": ID,
        **{
            name: schema
            for name, schema in UPDATABLE_PROFILE_PROPERTIES.items()
            if name != "whitelisted_destinations"
        },
        # An existing profile may have no destinations yet (a PATCH must then supply them).
        "whitelisted_destinations": {**WHITELISTED_DESTINATIONS, "minItems": 0},
        "number_pool_settings": {
            **NUMBER_POOL_SETTINGS,
            "required": list(NUMBER_POOL_SETTINGS["properties"]),
        },
        "url_shortener_settings": {
            **URL_SHORTENER_SETTINGS,
            "required": list(URL_SHORTENER_SETTINGS["properties"]),
        },
        "redaction_enabled": BOOLEAN,
        "redaction_level": {"type": "integer"},
        "resource_group_id": EXTERNAL_ID,
        "ai_assistant_id": EXTERNAL_ID,
        "organization_id": TEXT,
        "v1_secret": TEXT,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    }
)

FEATURE_SET = {
    **_record(
        {name: BOOLEAN for name in ("domestic_two_way", "international_inbound", "international_outbound")}
    ),
    "type": ["object", "null"],
}

PHONE_NUMBER = _record(
    {
        "record_type": {"enum": ["messaging_phone_number", "messaging_settings"]},
        "id": {"type": "string", "minLength": 1},
        "phone_number": {"type": "string", "fullPattern": r"\+[1-9][0-9]{1,14}"},
        "messaging_profile_id": {"type": ["string", "null"], "uuid": True},
        "country_code": COUNTRY,
        "type": {"enum": ["long-code", "toll-free", "short-code", "longcode", "tollfree", "shortcode"]},
        "health": _record(
            {
                "message_count": {"type": "integer"},
                "inbound_outbound_ratio": {"type": "number"},
                "success_ratio": {"type": "number"},
                "spam_ratio": {"type": "number"},
            }
        ),
        "eligible_messaging_products": TAGS,
        "traffic_type": TEXT,
        "messaging_product": TEXT,
        "features": _record({"sms": FEATURE_SET, "mms": FEATURE_SET}),
        "organization_id": TEXT,
        "tags": TAGS,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    }
)

SHORT_CODE = _record(
    {
        "record_type": {"const": "short_code"},
        "id": ID,
        "short_code": {"type": "string", "fullPattern": "[0-9]{3,8}"},
        "country_code": COUNTRY,
        "messaging_profile_id": {"type": ["string", "null"], "uuid": True, "minLength": 1},
        "tags": TAGS,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    }
)

MESSAGING_PROFILE_ANSWER = _answer(MESSAGING_PROFILE)
MESSAGING_PROFILE_LIST_ANSWER = _list_answer(MESSAGING_PROFILE)
PHONE_NUMBER_LIST_ANSWER = _list_answer(PHONE_NUMBER)
SHORT_CODE_ANSWER = _answer(SHORT_CODE)
SHORT_CODE_LIST_ANSWER = _list_answer(SHORT_CODE)

RESPONSE_SCHEMAS = (
    MESSAGING_PROFILE_ANSWER,
    MESSAGING_PROFILE_LIST_ANSWER,
    PHONE_NUMBER_LIST_ANSWER,
    SHORT_CODE_ANSWER,
    SHORT_CODE_LIST_ANSWER,
)

for _schema in (
    CREATE_MESSAGING_PROFILE,
    UPDATE_MESSAGING_PROFILE,
    UPDATE_SHORT_CODE,
    FAULTS,
    *RESPONSE_SCHEMAS,
):
    Validator.check_schema(_schema)


def response_problems(schema: dict[str, Any], document: Any) -> list[str]:
    """Everything in an answer that the contract's response schema does not allow, as readable lines."""
    return [
        f"{json_pointer(error.absolute_path) or '/'}: {error.message}"
        for error in Validator(schema).iter_errors(document)
    ]


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
            "Must be " + " or ".join(_TYPE_NAMES.get(str(name), str(name)) for name in expected) + ".",
        )
    if error.validator == "additionalProperties":
        return json_pointer(error.absolute_path), "10015", error.message
    detail = schema.get("x-detail") or error.message
    return json_pointer(error.absolute_path), schema.get("x-error-code", "10015"), detail


def validation_errors(schema: dict[str, Any], document: Any) -> list[dict[str, Any]]:
    """Telnyx error objects for everything wrong with `document`, one per offending pointer."""
    found: dict[str, dict[str, Any]] = {}
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
