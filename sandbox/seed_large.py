"""The "large" seed: an account at scale for benchmarks and scale tests (`runsandbox --seed large`).

2,000 profiles (or `SANDBOX_SEED_PROFILES`), 200,000 phone numbers and 500 short codes, the same
on every reset. Profiles and short codes come from the default seed's generators (realistic names,
settings and spend limits; one in ten profiles has no spend limit set); phone numbers are written
by one INSERT ... SELECT over a recursive sequence inside SQLite, with values computed from the row
number, so the whole seed is built in about two seconds. Numbers are spread unevenly, as on real
accounts: the first profiles hold thousands, most hold a few dozen.
"""

from __future__ import annotations

import functools
import random
from datetime import timedelta

from django.db import connection, transaction

from sandbox import seed
from sandbox.models import MessagingProfile, PhoneNumber, ShortCode

RNG_SEED = 20261130
PROFILE_COUNT = 2_000
NUMBER_COUNT = 200_000
SHORT_CODE_COUNT = 500
UNASSIGNED_SHARE = 0.2
NO_LIMIT_SHARE = 0.1


def _profiles(rng: random.Random, count: int) -> list[MessagingProfile]:
    pairs = [(company, purpose) for company in seed.COMPANIES for purpose in seed.PURPOSES]
    profiles = []
    for index in range(count):
        company, purpose = pairs[index % len(pairs)]
        # Names repeat their company and purpose, as on a reseller's account; the number keeps
        # them apart (and sorting by name meaningful).
        profile = seed._profile(rng, 0, f"{company} {purpose} {index + 1:05d}")
        profile.created_at = seed.EPOCH + timedelta(minutes=index * 37 + rng.randint(0, 30))
        profile.updated_at = profile.created_at + timedelta(
            days=rng.randint(0, 400), seconds=rng.randint(0, 86_399)
        )
        if rng.random() < NO_LIMIT_SHARE:
            profile.daily_spend_limit = ""
            profile.daily_spend_limit_enabled = False
        else:
            profile.daily_spend_limit = rng.choice(
                [*seed.SPEND_LIMITS, "75.50", "150.00", "333.33", "5000.00"]
            )
        profiles.append(profile)
    return profiles


def _short_codes(rng: random.Random, profiles: list[MessagingProfile]) -> list[ShortCode]:
    codes = []
    used: set[str] = set()
    for index in range(SHORT_CODE_COUNT):
        owner = None if rng.random() < UNASSIGNED_SHARE else rng.choice(profiles)
        code = str(rng.randint(10_000, 999_999))
        while code in used:
            code = str(rng.randint(10_000, 999_999))
        used.add(code)
        created = seed.EPOCH + timedelta(hours=index * 5, minutes=rng.randint(0, 59))
        codes.append(
            ShortCode(
                id=seed._uuid(rng),
                short_code=code,
                country_code=rng.choices(["US", "CA", "GB"], weights=[80, 12, 8])[0],
                messaging_profile=owner,
                tags=sorted(rng.sample(seed.SHORT_CODE_TAGS, rng.choice([0, 1, 1, 2]))),
                created_at=created,
                updated_at=created + timedelta(days=rng.randint(0, 200)),
            )
        )
    return codes


@functools.cache
def _rows(profile_count: int) -> tuple[seed.Table, ...]:
    rng = random.Random(RNG_SEED)
    profiles = _profiles(rng, profile_count)
    short_codes = _short_codes(rng, profiles)
    return (seed.as_table(MessagingProfile, profiles), seed.as_table(ShortCode, short_codes))


def _phone_numbers_sql(profile_count: int, number_count: int) -> str:
    numbers = PhoneNumber._meta.db_table
    # Number n belongs to profile floor(P * (n/N)^2): profile 0 holds about N/sqrt(P) numbers, the
    # last ones a few dozen. Every value below is a function of n, so every reset is identical.
    return f"""
        WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < {number_count})
        INSERT INTO {numbers} (
            id, phone_number, messaging_profile_id, record_type, country_code, type, health,
            eligible_messaging_products, traffic_type, messaging_product, features, organization_id,
            tags, created_at, updated_at)
        SELECT
            CAST(7000000000000000000 + n * 7919 AS TEXT),
            '+1' || (CASE n % 4 WHEN 0 THEN 800 + (n % 7) * 11 ELSE 201 + (n * 13) % 780 END)
                 || printf('%07d', 2000000 + n),
            owners.id,
            'messaging_settings', 'US',
            CASE n % 4 WHEN 0 THEN 'tollfree' ELSE 'longcode' END,
            json_object('message_count', (n * 37) % 60000, 'inbound_outbound_ratio', ((n * 13) % 150) / 100.0,
                        'success_ratio', 0.15 + ((n * 17) % 86) / 100.0,
                        'spam_ratio', ((n * 7) % 6) / 100.0),
            CASE n % 3 WHEN 0 THEN json_array('A2P', 'P2P') ELSE json_array('A2P') END,
            CASE n % 3 WHEN 0 THEN 'P2P' ELSE 'A2P' END,
            CASE n % 3 WHEN 0 THEN 'P2P' ELSE 'A2P' END,
            json_object('sms', json_object(
                'domestic_two_way', json('true'),
                'international_inbound', json(CASE n % 2 WHEN 0 THEN 'true' ELSE 'false' END),
                'international_outbound', json('false')),
                'mms', json('null')),
            '{seed.ORGANIZATION_ID}',
            CASE n % 5 WHEN 0 THEN json_array('east') WHEN 1 THEN json_array('otp', 'west')
                ELSE json_array() END,
            strftime('%Y-%m-%d %H:%M:%f', '2024-03-04 09:00:00', '+' || (n * 3) || ' minutes'),
            strftime('%Y-%m-%d %H:%M:%f', '2024-03-04 09:00:00', '+' || (n * 3 + 4000) || ' minutes')
        FROM seq JOIN temp.seed_owners AS owners
          ON owners.position
             = CAST({profile_count} * (n * 1.0 / {number_count}) * (n * 1.0 / {number_count}) AS INTEGER)
    """  # noqa: S608 - table names and integers of our own


def reset(*, profile_count: int = PROFILE_COUNT, number_count: int = NUMBER_COUNT) -> None:
    """Replace everything with the large seed, in one transaction."""
    tables = _rows(profile_count)
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for emptied in (ShortCode, PhoneNumber, MessagingProfile):
            cursor.execute(f"DELETE FROM {quote(emptied._meta.db_table)}")  # noqa: S608 - our own table names
        seed.insert(cursor, tables)
        # Profiles by position, with an index: the numbers' INSERT looks each owner up by position.
        cursor.execute("DROP TABLE IF EXISTS temp.seed_owners")
        cursor.execute("CREATE TEMP TABLE seed_owners (position INTEGER PRIMARY KEY, id TEXT NOT NULL)")
        profiles = quote(MessagingProfile._meta.db_table)
        cursor.execute(
            "INSERT INTO temp.seed_owners (position, id) "  # noqa: S608 - our own table name
            f"SELECT ROW_NUMBER() OVER (ORDER BY created_at, id) - 1, id FROM {profiles}"
        )
        cursor.execute(_phone_numbers_sql(profile_count, number_count))
        cursor.execute("DROP TABLE temp.seed_owners")
