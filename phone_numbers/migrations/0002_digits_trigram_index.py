"""On PostgreSQL, a trigram index on the numbers' digits: a lookup by any part of a number
(`LIKE '%4155%'`) is an index scan instead of reading every number. pg_trgm ships with PostgreSQL
and is a trusted extension (13+): the database's owner may create it. SQLite keeps the plain
(account, digits) index, which serves lookups by the start of a number, and scans for the rest.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX = "phone_numbers_digits_trgm"


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON phone_numbers_indexednumber USING gin (digits gin_trgm_ops)"
    )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other things may use it, and dropping it needs more rights than adding.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("phone_numbers", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
