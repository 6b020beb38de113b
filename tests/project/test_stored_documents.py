"""A screening's request and result are stored and read back exactly (orjson on both sides,
screening/models/fields.py), on whichever database the suite runs against."""

from screening.models import Screening

DOCUMENT = {
    "medications": ["Hidroclorotiazida 25 mg", "thuốc lợi tiểu", "💊", "\u202edrow"],
    "numbers": [0, -1, 2.5, 10**30, True, False, None],
    "nested": {"empty": {}, "list": [[], [{}]], "quote": 'a "b" \\ c'},
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
    assert Screening.objects.filter(result__medications__0="Hidroclorotiazida 25 mg").exists()
