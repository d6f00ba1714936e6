"""`digits__holds`: the index's lookup by any part of a number.

On PostgreSQL it is `contains` (LIKE '%…%'), which the trigram index on `digits` serves. SQLite has
no such index, so every lookup reads the whole (account, digits, number_id) index; there `instr()`
finds a substring about a fifth faster than LIKE, which also matches letters case-insensitively and
interprets wildcards, and digits need neither. `make bench` (number_lookup_ms, SQLite) measures it.
"""

from __future__ import annotations

from typing import Any

from django.db.models.lookups import Contains, Lookup


class Holds(Lookup):
    lookup_name = "holds"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        return Contains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"instr({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]
