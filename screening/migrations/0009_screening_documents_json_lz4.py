# On PostgreSQL a screening's request and result become `json` (validated, kept as
# written) instead of `jsonb`, compressed with lz4 where the server was built with it:
# turning a 130 KB result into jsonb and compressing it with pglz cost several
# milliseconds a screening (screening/models/fields.py, docs/benchmark.md). The Django
# field and SQLite are unchanged, so there is nothing to do for SQLite.

from django.db import migrations

COLUMNS = ("request", "result")


def _alter(schema_editor, column_type: str, compression: str | None) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'ALTER TABLE "screening_screening" ALTER COLUMN "{column}" '
            f'TYPE {column_type} USING "{column}"::{column_type}'
        )
        if compression:
            schema_editor.execute(
                f'ALTER TABLE "screening_screening" ALTER COLUMN "{column}" '
                f"SET COMPRESSION {compression}"
            )


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
    _alter(schema_editor, "jsonb", "default")


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0008_screening_documents_orjson"),
    ]

    operations = [migrations.RunPython(to_json, to_jsonb, elidable=False)]
