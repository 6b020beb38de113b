"""A screening's request and result are stored and read back exactly (orjson on both sides,
screening/models/fields.py), on whichever database the suite runs against."""

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from screening.models import Screening

DOCUMENT = {
    "medications": ["Hidroclorotiazida 25 mg", "thuốc lợi tiểu", "💊", "\u202edrow"],
    "numbers": [0, -1, 2.5, 10**30, True, False, None],
    "nested": {"empty": {}, "list": [[], [{}]], "quote": 'a "b" \\ c'},
    "looks_like_a_number": "2024",
}


def test_a_document_comes_back_as_it_went_in(pharmacy):
    screening = Screening.objects.create(
        pharmacy=pharmacy,
        source=Screening.Source.API,
        knowledge_base_version="test",
        request=DOCUMENT,
        result={"medications": DOCUMENT["medications"]},
    )

    stored = Screening.objects.get(pk=screening.pk)

    assert stored.request == DOCUMENT
    assert stored.result == {"medications": DOCUMENT["medications"]}
    assert list(stored.request) == list(DOCUMENT)  # kept as written, keys in their order
    # On PostgreSQL a value picked out in a query comes back as what it is, not read as JSON
    # again (SQLite's JSON_EXTRACT gives bare text that Django's own field reads as JSON).
    picked = Screening.objects.values_list("request__looks_like_a_number", flat=True).get()
    assert picked == ("2024" if connection.vendor == "postgresql" else 2024)
    # The database holds JSON that an operator can query in SQL (the app never does).
    query = (
        "SELECT result::jsonb #>> '{medications,0}' FROM screening_screening WHERE id = %s"
        if connection.vendor == "postgresql"
        else "SELECT json_extract(result, '$.medications[0]') FROM screening_screening "
        "WHERE id = %s AND typeof(result) = 'text' AND typeof(request) = 'text'"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [_stored_id(screening)])
        assert cursor.fetchone() == ("Hidroclorotiazida 25 mg",)


def test_the_database_refuses_a_document_that_is_not_json(pharmacy):
    """The column checks what it is given (PostgreSQL's json type, SQLite's JSON_VALID),
    whatever writes to it."""
    screening = Screening.objects.create(
        pharmacy=pharmacy, source=Screening.Source.API, knowledge_base_version="test",
        request={}, result={},
    )  # fmt: skip
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE screening_screening SET result = %s WHERE id = %s",
                ["{not json", _stored_id(screening)],
            )


def _stored_id(screening: Screening):
    """The primary key as the column holds it (SQLite: 32 hex digits, no dashes)."""
    return screening.pk.hex if connection.vendor == "sqlite" else screening.pk
