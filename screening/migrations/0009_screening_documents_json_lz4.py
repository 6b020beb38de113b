# On PostgreSQL a screening's request and result become `json` (validated, kept as
# written) instead of `jsonb`, compressed with lz4 where the server was built with it:
# turning a 130 KB result into jsonb and compressing it with pglz cost several
# milliseconds a screening (screening/models/fields.py, docs/benchmark.md). The Django
# field and SQLite are unchanged, so there is nothing to do for SQLite.
#
# Deploy the code before migrating: this release reads both jsonb and json, an earlier one
# only jsonb (psycopg hands a json column over already parsed). Going back, migrate to
# 0008 before the code goes back.

from django.db import migrations

COLUMNS = ("request", "result")


def _alter(schema_editor, column_type: str, compression: str | None) -> None:
    """Both columns in one ALTER TABLE: the table is rewritten once, and with the new
    compression."""
    changes = [
        f'ALTER COLUMN "{column}" TYPE {column_type} USING "{column}"::{column_type}'
        for column in COLUMNS
    ]
    if compression:
        changes += [f'ALTER COLUMN "{column}" SET COMPRESSION {compression}' for column in COLUMNS]
    schema_editor.execute(f'ALTER TABLE "screening_screening" {", ".join(changes)}')


def _has_lz4(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def to_json(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _alter(schema_editor, "json", "lz4" if _has_lz4(schema_editor) else None)


def to_jsonb(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _alter(schema_editor, "jsonb", "default" if _has_lz4(schema_editor) else None)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0008_screening_documents_orjson"),
    ]

    operations = [migrations.RunPython(to_json, to_jsonb, elidable=False)]
