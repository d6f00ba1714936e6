"""On PostgreSQL the lookup by any part of a number is served by the trigram index its migration
creates (phone_numbers/migrations/0002), not by reading every number. SQLite has no such index."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from phone_numbers import index
from phone_numbers.models import IndexedNumber
from phone_numbers.selectors import NumberQuery, number_search

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: pg_trgm"),
]

TRIGRAM_INDEX = importlib.import_module("phone_numbers.migrations.0002_digits_trigram_index").INDEX
# Half the large seed. Below ~50,000 the planner rightly reads every row instead; here it costs the
# trigram index at a third of reading them all, so the choice does not hang on sampled statistics.
NUMBERS = 100_000


@pytest.fixture
def many_numbers() -> None:
    """NUMBERS rows like a refresh writes, made by the database itself (seconds, where building as
    many model instances would take a minute), with digits spread over the number range."""
    table = connection.ops.quote_name(IndexedNumber._meta.db_table)
    with connection.cursor() as cursor:
        # Seeding is not a page view: the site's statement timeout (3 s) does not apply to it.
        cursor.execute("SET LOCAL statement_timeout = '120s'")
        cursor.execute(
            f"""
            INSERT INTO {table} (account, number_id, phone_number, digits, profile_id, country_code, type,
                                 messaging_product, traffic_type, tags, message_count, success_ratio,
                                 spam_ratio, seen_at)
            SELECT %s, 'n' || i, '+' || d, d, 'p' || (i %% 2000), 'US', 'longcode', 'P2P', 'P2P',
                   ' east ', i, 0.9, 0.01, now()
            FROM generate_series(1, %s) AS i,
                 LATERAL (SELECT '1' || lpad(((i * 2654435761) %% 10000000000)::text, 10, '0') AS d) AS n
            """,  # noqa: S608 - the table name is our own
            [index.account(), NUMBERS],
        )
    index._analyze()  # as a refresh does: the planner must know how many numbers there are


def test_the_trigram_index_exists_on_the_digits():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [TRIGRAM_INDEX])
        (definition,) = cursor.fetchone()

    assert "gin" in definition.lower() and "(digits gin_trgm_ops)" in definition


def test_a_lookup_by_part_of_a_number_reads_the_trigram_index(many_numbers):
    wanted = IndexedNumber.objects.get(number_id=f"n{NUMBERS // 3}").digits
    found = number_search(NumberQuery(number=wanted[3:9]))  # from the middle: no prefix index serves it

    page = found[:20].explain()
    every_match = found.order_by().values("pk").explain()  # what the pager counts

    assert TRIGRAM_INDEX in page, page
    assert TRIGRAM_INDEX in every_match, every_match
    assert wanted in found.values_list("digits", flat=True)
