"""The seed: its size and shape, every field with the contract's type, and the same data after each reset."""

import re

import jsonschema
import pytest

# One worker runs every test here, so the module's fixtures are set up once, not once per worker.
pytestmark = pytest.mark.xdist_group(__name__)

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"
NULLABLE_STRING = {"type": ["string", "null"]}
BOOLEAN = {"type": "boolean"}
FEATURES = {
    "type": ["object", "null"],
    "required": ["domestic_two_way", "international_inbound", "international_outbound"],
    "properties": {
        name: BOOLEAN for name in ("domestic_two_way", "international_inbound", "international_outbound")
    },
}


def strict(properties):
    """Every listed field present, nothing else."""
    return {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


# Written from the field lists of telnyx-messaging-profiles-python.md, independently of sandbox/schemas.py.
PROFILE = strict(
    {
        "record_type": {"const": "messaging_profile"},
        "id": {"type": "string", "pattern": UUID},
        "name": {"type": "string", "minLength": 1},
        "enabled": BOOLEAN,
        "webhook_url": NULLABLE_STRING,
        "webhook_failover_url": NULLABLE_STRING,
        "webhook_api_version": {"enum": ["1", "2", "2010-04-01"]},
        "health_webhook_url": NULLABLE_STRING,
        "whitelisted_destinations": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^([A-Z]{2}|\*)$"},
        },
        "number_pool_settings": {
            "oneOf": [
                {"type": "null"},
                strict(
                    {
                        "toll_free_weight": {"type": "number"},
                        "long_code_weight": {"type": "number"},
                        "skip_unhealthy": BOOLEAN,
                        "sticky_sender": BOOLEAN,
                        "geomatch": BOOLEAN,
                    }
                ),
            ]
        },
        "url_shortener_settings": {
            "oneOf": [
                {"type": "null"},
                strict(
                    {
                        "domain": {"type": "string"},
                        "prefix": {"type": "string"},
                        "replace_blacklist_only": BOOLEAN,
                        "send_webhooks": BOOLEAN,
                    }
                ),
            ]
        },
        "alpha_sender": NULLABLE_STRING,
        "daily_spend_limit": {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"},
        "daily_spend_limit_enabled": BOOLEAN,
        "mms_fall_back_to_sms": BOOLEAN,
        "mms_transcoding": BOOLEAN,
        "mobile_only": BOOLEAN,
        "smart_encoding": BOOLEAN,
        "redaction_enabled": BOOLEAN,
        "redaction_level": {"type": "integer"},
        "resource_group_id": NULLABLE_STRING,
        "ai_assistant_id": NULLABLE_STRING,
        "organization_id": {"type": "string"},
        "v1_secret": {"type": "string", "minLength": 1},
        "created_at": {"type": "string", "pattern": TIMESTAMP},
        "updated_at": {"type": "string", "pattern": TIMESTAMP},
    }
)
PHONE_NUMBER = strict(
    {
        "record_type": {"enum": ["messaging_phone_number", "messaging_settings"]},
        "id": {"type": "string", "pattern": r"^\d+$"},
        "phone_number": {"type": "string", "pattern": r"^\+[1-9]\d{6,14}$"},
        "messaging_profile_id": {"type": ["string", "null"], "pattern": UUID},
        "country_code": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "type": {"enum": ["long-code", "toll-free", "short-code", "longcode", "tollfree", "shortcode"]},
        "health": strict(
            {
                "message_count": {"type": "integer"},
                "inbound_outbound_ratio": {"type": "number"},
                "success_ratio": {"type": "number"},
                "spam_ratio": {"type": "number"},
            }
        ),
        "eligible_messaging_products": {"type": "array", "items": {"type": "string"}},
        "traffic_type": {"type": "string"},
        "messaging_product": {"type": "string"},
        "features": strict({"sms": FEATURES, "mms": FEATURES}),
        "organization_id": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "created_at": {"type": "string", "pattern": TIMESTAMP},
        "updated_at": {"type": "string", "pattern": TIMESTAMP},
    }
)
SHORT_CODE = strict(
    {
        "record_type": {"const": "short_code"},
        "id": {"type": "string", "pattern": UUID},
        "short_code": {"type": "string", "pattern": r"^\d{5,6}$"},
        "country_code": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "messaging_profile_id": {"type": ["string", "null"], "pattern": UUID},
        "tags": {"type": "array", "items": {"type": "string"}},
        "created_at": {"type": "string", "pattern": TIMESTAMP},
        "updated_at": {"type": "string", "pattern": TIMESTAMP},
    }
)


def everything(sandbox, path):
    items, number = [], 1
    while True:
        body = sandbox.get(path, params={"page[size]": 250, "page[number]": number}).json()
        items += body["data"]
        if number >= body["meta"]["total_pages"]:
            return items
        number += 1


@pytest.fixture(scope="module")
def seed(sandbox_server):
    sandbox_server.clear_faults()
    sandbox_server.reset()
    profiles = everything(sandbox_server, "/messaging_profiles")
    numbers = []
    for profile in profiles:
        numbers += everything(sandbox_server, f"/messaging_profiles/{profile['id']}/phone_numbers")
    return {
        "profiles": profiles,
        "numbers": numbers,
        "short_codes": everything(sandbox_server, "/short_codes"),
    }


def test_every_object_has_every_field_with_the_contracts_type(seed):
    for kind, schema in (("profiles", PROFILE), ("numbers", PHONE_NUMBER), ("short_codes", SHORT_CODE)):
        validator = jsonschema.Draft202012Validator(schema)
        for item in seed[kind]:
            validator.validate(item)


def test_the_seed_has_the_promised_shape(seed):
    profiles, numbers, codes = seed["profiles"], seed["numbers"], seed["short_codes"]
    assert len(profiles) >= 57
    by_name = {profile["name"]: profile for profile in profiles}
    acme = by_name["Acme Bulk Notifications"]
    acme_numbers = [n for n in numbers if n["messaging_profile_id"] == acme["id"]]
    assert len(acme_numbers) >= 5000
    assert {n["type"] for n in acme_numbers} == {"longcode", "tollfree"}
    assert len({n["country_code"] for n in acme_numbers}) >= 2
    assert by_name["Legacy Import (destinations pending)"]["whitelisted_destinations"] == []
    assert len(numbers) == len({n["phone_number"] for n in numbers}) == len({n["id"] for n in numbers})
    assert len(codes) >= 40
    assert sum(code["messaging_profile_id"] is None for code in codes) >= 10
    assert any(code["messaging_profile_id"] == acme["id"] for code in codes)
    # Realistic variety, not 57 copies of one profile.
    assert len({p["daily_spend_limit"] for p in profiles}) >= 5
    assert any(p["whitelisted_destinations"] == ["*"] for p in profiles)
    assert any(p["number_pool_settings"] for p in profiles) and any(
        p["url_shortener_settings"] for p in profiles
    )
    assert any(p["alpha_sender"] for p in profiles) and any(not p["enabled"] for p in profiles)
    assert all(re.fullmatch(r"https://\S+", p["webhook_url"]) for p in profiles if p["webhook_url"])
    assert any(code["tags"] for code in codes) and any(n["tags"] for n in numbers)


def test_reset_restores_exactly_the_same_data(sandbox_server, seed):
    sandbox_server.reset()
    assert everything(sandbox_server, "/messaging_profiles") == seed["profiles"]
    assert everything(sandbox_server, "/short_codes") == seed["short_codes"]


def test_a_reset_after_writes_of_every_kind_restores_exactly_the_same_data(sandbox_server, seed):
    # Resets after the first copy the seeded database back (sandbox/seed.py): what every kind of
    # write changed, added or removed must come back as the seed had it.
    bulk = next(p for p in seed["profiles"] if p["name"] == "Acme Bulk Notifications")
    victim = seed["profiles"][-1]
    code = next(c for c in seed["short_codes"] if c["messaging_profile_id"] is None)
    assert sandbox_server.post(
        "/messaging_profiles", json={"name": "After the seed", "whitelisted_destinations": ["US"]}
    ).ok
    assert sandbox_server.patch(f"/messaging_profiles/{bulk['id']}", json={"name": "Renamed"}).ok
    assert sandbox_server.delete(f"/messaging_profiles/{victim['id']}").ok
    assert sandbox_server.patch(f"/short_codes/{code['id']}", json={"messaging_profile_id": bulk["id"]}).ok

    sandbox_server.reset()

    assert everything(sandbox_server, "/messaging_profiles") == seed["profiles"]
    assert everything(sandbox_server, "/short_codes") == seed["short_codes"]
    numbers = everything(sandbox_server, f"/messaging_profiles/{bulk['id']}/phone_numbers")
    assert numbers == [n for n in seed["numbers"] if n["messaging_profile_id"] == bulk["id"]]
