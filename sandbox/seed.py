"""The sandbox's deterministic demo data, restored by `POST /_sandbox/reset`.

A fixed RNG seed and fixed timestamps make every reset produce the same ids, names and order, so
tests and screenshots can rely on them. The shape exercises every screen: 57 profiles (three pages
at the default page size of 20), "Acme Bulk Notifications" with 5,250 phone numbers (21 pages of
250), one profile with no whitelisted destinations (a PATCH must then supply them), and 44 short
codes of which 12 are unassigned.
"""

import functools
import random
import sqlite3
import string
import threading
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

from sandbox.models import MessagingProfile, PhoneNumber, ShortCode

RNG_SEED = 20260226
ORGANIZATION_ID = "4c1e8b2a-7d3f-4a9e-b6c5-0f2d8e1a9b37"
EPOCH = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)

PROFILE_COUNT = 57
BULK_PROFILE_NAME = "Acme Bulk Notifications"
BULK_NUMBER_COUNT = 5_250
NO_DESTINATIONS_PROFILE_NAME = "Legacy Import (destinations pending)"
SHORT_CODE_COUNT = 44
UNASSIGNED_SHORT_CODES = 12

COMPANIES = [
    "Acme",
    "Northwind",
    "Contoso",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Logistics",
    "Wayne Financial",
    "Hooli",
    "Pied Piper",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Mobility",
    "Cyberdyne Care",
    "Wonka Retail",
    "Oceanic Air",
    "Blue Sun Energy",
    "Monarch Insurance",
    "Dunder Mifflin",
    "Sterling Cooper",
    "Bluth Homes",
    "Nakatomi Trading",
    "Massive Dynamic",
    "Aperture Labs",
    "Café Zürich",
    "Gekko & Co",
    "Prestige Worldwide",
    "Oscorp Clinics",
]
PURPOSES = [
    "Bulk Notifications",
    "Support Line",
    "Appointment Reminders",
    "Two-Factor Codes",
    "Delivery Updates",
    "Marketing Campaigns",
    "Billing Alerts",
    "Field Service",
    "Customer Surveys",
    "Order Confirmations",
]
DESTINATION_POOL = ["US", "CA", "GB", "MX", "DE", "FR", "ES", "IT", "NL", "AU", "BR", "IE", "SE", "JP"]
SPEND_LIMITS = ["25.00", "50.00", "100.00", "250.00", "500.00", "1000.00", "2500.00", "10000.00"]
NUMBER_TAGS = ["otp", "support", "retail", "priority", "campaign-spring", "legacy", "east", "west"]
SHORT_CODE_TAGS = ["marketing", "alerts", "otp", "vip", "pilot", "holiday-2025", "regulated"]
US_AREA_CODES = [212, 213, 303, 305, 312, 404, 415, 469, 512, 617, 646, 702, 718, 773, 818, 917, 206]
TOLL_FREE_PREFIXES = [800, 833, 844, 855, 866, 877, 888]
CA_AREA_CODES = [416, 437, 514, 604, 647]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _ascii(text: str) -> str:
    """`text` without its accents (é -> e), dropping anything else that is not ASCII."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _slug(name: str) -> str:
    ascii_name = name.replace("é", "e").replace("ü", "u").replace("&", "and")
    return "-".join("".join(c for c in word if c.isalnum()) for word in ascii_name.lower().split()).strip("-")


def _profile_names(rng: random.Random) -> list[str]:
    pairs = [(c, p) for c in COMPANIES for p in PURPOSES if (c, p) != ("Acme", "Bulk Notifications")]
    rng.shuffle(pairs)
    names = [BULK_PROFILE_NAME, NO_DESTINATIONS_PROFILE_NAME]
    names += [f"{company} {purpose}" for company, purpose in pairs[: PROFILE_COUNT - len(names)]]
    # The two special profiles sit on pages 1 and 2, not both at the very top.
    names.insert(23, names.pop(1))
    return names


def _profile(rng: random.Random, index: int, name: str) -> MessagingProfile:
    created = EPOCH + timedelta(days=index * 9, hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
    updated = created + timedelta(days=rng.randint(0, 300), seconds=rng.randint(0, 86_399))
    slug = _slug(name)
    if name == NO_DESTINATIONS_PROFILE_NAME:
        destinations: list[str] = []
    elif rng.random() < 0.12:
        destinations = ["*"]
    else:
        destinations = sorted(rng.sample(DESTINATION_POOL, rng.randint(1, 4)))
    webhook_url = f"https://hooks.{slug}.example.com/telnyx/messaging" if rng.random() < 0.8 else ""
    failover = f"https://backup.{slug}.example.net/telnyx" if webhook_url and rng.random() < 0.4 else ""
    pool = None
    if rng.random() < 0.35:
        pool = {
            "toll_free_weight": rng.choice([0, 1, 5, 10]),
            "long_code_weight": rng.choice([1, 2, 5, 10]),
            "skip_unhealthy": rng.random() < 0.6,
            "sticky_sender": rng.random() < 0.5,
            "geomatch": rng.random() < 0.3,
        }
    shortener = None
    if rng.random() < 0.25:
        shortener = {
            "domain": rng.choice(["acct.fyi", "msgs.link", "tlnx.io"]),
            "prefix": slug.split("-")[0][:6],
            "replace_blacklist_only": rng.random() < 0.5,
            "send_webhooks": rng.random() < 0.3,
        }
    company_word = name.split()[0]
    wants_alpha = company_word.isalnum() and rng.random() < 0.3
    # An alphanumeric sender ID is ASCII only (the contract's ^[A-Za-z0-9 ]{1,11}$): "Café" sends as "CAFE".
    alpha = _ascii(company_word).upper()[:11] if wants_alpha else None
    return MessagingProfile(
        id=_uuid(rng),
        name=name,
        enabled=rng.random() < 0.9,
        webhook_url=webhook_url,
        webhook_failover_url=failover,
        webhook_api_version=rng.choices(["2", "1", "2010-04-01"], weights=[85, 12, 3])[0],
        health_webhook_url=f"https://status.{slug}.example.com/health" if rng.random() < 0.15 else None,
        whitelisted_destinations=destinations,
        number_pool_settings=pool,
        url_shortener_settings=shortener,
        alpha_sender=alpha,
        daily_spend_limit=rng.choice(SPEND_LIMITS),
        daily_spend_limit_enabled=rng.random() < 0.55,
        mms_fall_back_to_sms=rng.random() < 0.4,
        mms_transcoding=rng.random() < 0.3,
        mobile_only=rng.random() < 0.15,
        smart_encoding=rng.random() < 0.5,
        redaction_enabled=rng.random() < 0.2,
        redaction_level=rng.choice([1, 2, 2, 3]),
        resource_group_id=f"rg-{slug[:20]}" if rng.random() < 0.2 else None,
        ai_assistant_id=f"assistant-{_uuid(rng).hex[:12]}" if rng.random() < 0.1 else None,
        organization_id=ORGANIZATION_ID,
        v1_secret="".join(rng.choices(string.ascii_letters + string.digits, k=24)),
        created_at=created,
        updated_at=updated,
    )


def _phone_number(rng: random.Random, used: set[str], *, number_type: str) -> tuple[str, str]:
    """A fresh (E.164 number, country code) of the given type."""
    while True:
        if number_type == "tollfree":
            prefix = rng.choice(TOLL_FREE_PREFIXES)
            candidate, country = f"+1{prefix}{rng.randint(2_000_000, 9_999_999)}", "US"
        elif rng.random() < 0.08:
            candidate, country = f"+1{rng.choice(CA_AREA_CODES)}{rng.randint(2_000_000, 9_999_999)}", "CA"
        elif rng.random() < 0.04:
            candidate, country = f"+447700{rng.randint(900_000, 900_999)}", "GB"
        else:
            candidate, country = f"+1{rng.choice(US_AREA_CODES)}{rng.randint(2_000_000, 9_999_999)}", "US"
        if candidate not in used:
            used.add(candidate)
            return candidate, country


def _feature_set(rng: random.Random) -> dict[str, bool]:
    return {
        "domestic_two_way": True,
        "international_inbound": rng.random() < 0.5,
        "international_outbound": rng.random() < 0.4,
    }


def _numbers_for(
    rng: random.Random, profile: MessagingProfile, count: int, used: set[str], ids: set[str]
) -> list[PhoneNumber]:
    numbers = []
    for index in range(count):
        number_type = "tollfree" if rng.random() < 0.27 else "longcode"
        phone_number, country = _phone_number(rng, used, number_type=number_type)
        number_id = str(rng.randrange(10**18, 10**19))
        while number_id in ids:
            number_id = str(rng.randrange(10**18, 10**19))
        ids.add(number_id)
        traffic = "A2P" if number_type == "tollfree" or rng.random() < 0.7 else "P2P"
        sent = rng.randint(0, 60_000)
        created = profile.created_at + timedelta(minutes=7 * index + rng.randint(0, 6))
        health: dict[str, Any] = {
            "message_count": sent,
            "inbound_outbound_ratio": round(rng.uniform(0.0, 1.5), 2),
            "success_ratio": round(rng.uniform(0.15, 1.0), 2) if sent else 0.0,
            "spam_ratio": round(rng.uniform(0.0, 0.8) if rng.random() < 0.1 else rng.uniform(0.0, 0.05), 2),
        }
        numbers.append(
            PhoneNumber(
                id=number_id,
                phone_number=phone_number,
                messaging_profile=profile,
                record_type="messaging_settings",
                country_code=country,
                type=number_type,
                health=health,
                eligible_messaging_products=["A2P"] if traffic == "A2P" else ["A2P", "P2P"],
                traffic_type=traffic,
                messaging_product=traffic,
                features={
                    "sms": _feature_set(rng),
                    "mms": _feature_set(rng) if country != "GB" and rng.random() < 0.7 else None,
                },
                organization_id=ORGANIZATION_ID,
                tags=sorted(rng.sample(NUMBER_TAGS, rng.choice([0, 0, 1, 1, 2]))),
                created_at=created,
                updated_at=created + timedelta(days=rng.randint(0, 120)),
            )
        )
    return numbers


def _short_codes(rng: random.Random, profiles: list[MessagingProfile]) -> list[ShortCode]:
    bulk = profiles[0]
    others = [p for p in profiles[1:] if p.name != NO_DESTINATIONS_PROFILE_NAME]
    owners: list[MessagingProfile | None] = [bulk] * 4 + [None] * UNASSIGNED_SHORT_CODES
    owners += [rng.choice(others) for _ in range(SHORT_CODE_COUNT - len(owners))]
    rng.shuffle(owners)
    used: set[str] = set()
    codes = []
    for index, owner in enumerate(owners):
        country = rng.choices(["US", "CA", "GB"], weights=[80, 12, 8])[0]
        digits = 5 if country == "GB" else rng.choice([5, 6])
        code = str(rng.randint(10 ** (digits - 1), 10**digits - 1))
        while code in used:
            code = str(rng.randint(10 ** (digits - 1), 10**digits - 1))
        used.add(code)
        created = EPOCH + timedelta(days=index * 11, hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        codes.append(
            ShortCode(
                id=_uuid(rng),
                short_code=code,
                country_code=country,
                messaging_profile=owner,
                tags=sorted(rng.sample(SHORT_CODE_TAGS, rng.choice([0, 1, 1, 2, 3]))),
                created_at=created,
                updated_at=created + timedelta(days=rng.randint(0, 200)),
            )
        )
    return codes


def build() -> tuple[list[MessagingProfile], list[PhoneNumber], list[ShortCode]]:
    rng = random.Random(RNG_SEED)
    profiles = [_profile(rng, index, name) for index, name in enumerate(_profile_names(rng))]
    used: set[str] = set()
    ids: set[str] = set()
    numbers = _numbers_for(rng, profiles[0], BULK_NUMBER_COUNT, used, ids)
    for profile in profiles[1:]:
        count = 0 if profile.name == NO_DESTINATIONS_PROFILE_NAME else rng.randint(0, 9)
        numbers += _numbers_for(rng, profile, count, used, ids)
    return profiles, numbers, _short_codes(rng, profiles)


# One table of seed rows: the model, its column names, and each object's values as the database takes them.
Table = tuple[type[Model], list[str], list[tuple[Any, ...]]]


def as_table(model: type[Model], objects: Sequence[Model]) -> Table:
    """Unsaved model objects as rows, converted as Django's save() would convert them."""
    fields = model._meta.local_concrete_fields
    rows = [
        tuple(field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields)
        for obj in objects
    ]
    return model, [str(field.column) for field in fields], rows


def insert(cursor: CursorWrapper, tables: Sequence[Table]) -> None:
    """One INSERT of many rows per table, in order (owners before what points at them)."""
    for statement, rows in _inserts(tables, placeholder="%s"):
        cursor.executemany(statement, rows)


def _inserts(tables: Sequence[Table], *, placeholder: str) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    quote = connection.ops.quote_name
    for model, columns, rows in tables:
        values = ", ".join([placeholder] * len(columns))
        statement = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES ({values})"  # noqa: S608
        )
        yield statement, rows


def _deletes(tables: Sequence[Table]) -> Iterator[str]:
    """DELETE every row of each table, in the reverse order (what points at owners first)."""
    quote = connection.ops.quote_name
    for model, _, _ in reversed(tables):
        yield f"DELETE FROM {quote(model._meta.db_table)}"  # noqa: S608 - our own table names


@functools.cache
def _seed_rows() -> tuple[Table, ...]:
    """The seed as database rows, built once per process: resets then cost one INSERT per table."""
    profiles, numbers, short_codes = build()
    return (
        as_table(MessagingProfile, profiles),
        as_table(PhoneNumber, numbers),
        as_table(ShortCode, short_codes),
    )


def reset() -> None:
    """Replace everything with the seed, in one transaction (readers see old or new, never half).

    Which seed is `settings.SANDBOX_SEED`: this module's default one, or the large account of
    sandbox/seed_large.py (`runsandbox --seed large`).
    """
    if settings.SANDBOX_SEED == "large":
        from sandbox import seed_large

        seed_large.reset(profile_count=settings.SANDBOX_SEED_PROFILES or seed_large.PROFILE_COUNT)
        return
    if _seeded.restore():
        return
    tables = _seed_rows()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in _deletes(tables):
            cursor.execute(statement)
        insert(cursor, tables)
    _seeded.keep(tables)


class _SeededCopy:
    """The database as the first reset of this process left it, held in memory, so that later resets
    copy its pages back (SQLite's online backup, one transaction on the destination) instead of
    deleting and inserting 5,667 rows: 120 ms -> a few ms on a 2-core machine, and the tests reset
    the sandbox hundreds of times a run. The sandbox's three tables are all it holds besides
    Django's migration record, so the copy is exactly what a reset by rows would write."""

    def __init__(self) -> None:
        self._copy: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def keep(self, tables: Sequence[Table]) -> None:
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with self._lock:
            connection.ensure_connection()
            connection.connection.backup(copy)  # the schema, and what is committed by now
            # The seed's rows written again into the copy itself: a write that another thread
            # committed since the reset above must not become part of every later reset.
            with copy:
                for statement in _deletes(tables):
                    copy.execute(statement)
                for statement, rows in _inserts(tables, placeholder="?"):
                    copy.executemany(statement, rows)
            self._copy = copy

    def restore(self) -> bool:
        with self._lock:
            if self._copy is None:
                return False
            connection.ensure_connection()
            self._copy.backup(connection.connection)
        return True


_seeded = _SeededCopy()


def seed_if_empty() -> bool:
    """Seed a never-seeded database. Short codes cannot be deleted through the API, so an empty
    short-code table means the seed never ran (not that every profile was deleted)."""
    if ShortCode.objects.exists() or MessagingProfile.objects.exists():
        return False
    reset()
    return True
