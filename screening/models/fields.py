"""A JSON column for large documents: a screening's request and result.

A stored result runs to tens of kilobytes, and encoding it with the standard library was
a tenth of a screening request (docs/benchmark.md). orjson writes the same JSON about
fifteen times faster; Django's JSON field does everything else. Reading stays with the
standard library, which keeps integers of any size exact (orjson reads those beyond 64
bits as floats).

On PostgreSQL the column is `json`, not Django's `jsonb`: the document is written once and
read whole, never queried inside, and turning 130 KB into jsonb cost the server about
3.5 ms a screening, more than the rest of the INSERT (migration 0009 also compresses it
with lz4 where the server has it). `json` still refuses text that is not JSON, and keeps
the document as written. SQLite keeps Django's JSON_VALID check on a text column.
"""

import json

import orjson
from django.db import models
from django.db.models.fields.json import KeyTransform

# Dates and dataclasses are not JSON: handed to the standard library, they are refused as
# Django's own field refuses them, rather than written by orjson and hiding a bug.
_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _dumps(value) -> bytes | str:
    """Compact JSON (no spaces), as orjson's UTF-8 bytes: the database drivers take them as
    they are, where a str would be decoded here and encoded again to be sent (0.2 ms for a
    20-line result, which holds Vietnamese). NaN cannot reach here: the API's parser
    refuses it and results are dumped from their models."""
    try:
        return orjson.dumps(value, option=_STRICT)
    except orjson.JSONEncodeError:  # non-string keys, huge integers, the passed-through types
        return json.dumps(value)


class DocumentJSONField(models.JSONField):
    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        # psycopg reads a `json` value into Python itself (with the standard library): a
        # document comes as a dict, and a string picked out of one (a key lookup) as a str
        # that is not JSON text. A str otherwise is JSON text (SQLite; jsonb before 0009).
        if value is None or not isinstance(value, str | bytes):
            return value
        if connection.vendor == "postgresql" and isinstance(expression, KeyTransform):
            return value
        return super().from_db_value(value, expression, connection)

    def get_placeholder(self, value, compiler, connection):
        # What INSERT and UPDATE write comes as bytes (get_db_prep_save); SQLite binds
        # bytes as a BLOB, and the cast makes them the same UTF-8 text, unconverted.
        return "CAST(%s AS TEXT)" if connection.vendor == "sqlite" else "%s"

    def get_db_prep_save(self, value, connection):
        """What an INSERT or UPDATE writes: orjson's UTF-8 bytes as they are."""
        if value is None or hasattr(value, "as_sql") or self.encoder is not None:
            return super().get_db_prep_save(value, connection)
        return self._adapted(_dumps(self.get_prep_value(value)), connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        """Anything else (a lookup's value): text, as Django's own field gives."""
        if self.encoder is not None:
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        encoded = _dumps(value)
        return self._adapted(
            encoded.decode() if isinstance(encoded, bytes) else encoded, connection
        )

    @staticmethod
    def _adapted(encoded: bytes | str, connection):
        if connection.vendor == "postgresql":
            from psycopg.types.json import Json

            return Json(None, dumps=lambda _: encoded)
        return encoded
