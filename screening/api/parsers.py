"""JSON request bodies, held to what the API can store and answer.

DRF's parser lets two things through that later fail as a 500: nesting deep enough to
exhaust Python's recursion limit (while parsing, or later while an error message repeats
the value), and unpaired surrogates ("\\ud800"), which no UTF-8 response can carry nor
UTF-8 JSON store. Both are refused here as a 400 parse error instead. So is a key given
twice in one object: the last would silently win, and a list of medicines sent first would
never be screened.
"""

import codecs
import json
import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

# A FHIR Bundle is the deepest valid request, about fifteen levels (body > medications >
# Bundle > entry > resource > contained > code > coding > ..., dosage timing repeat).
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def _path(keys: tuple) -> str:
    return ".".join(str(key) for key in keys) or "the body"


def _check_structure(data: object) -> None:
    """Walk the parsed body without recursion: depth, and text in keys and values."""
    pending: list[tuple[object, tuple]] = [(data, ())]
    while pending:
        value, keys = pending.pop()
        if len(keys) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise ParseError(
                    f"JSON parse error - unpaired surrogate character in {_path(keys)}."
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    raise ParseError(
                        f"JSON parse error - unpaired surrogate character in a key of {_path(keys)}."
                    )
                pending.append((item, (*keys, key)))
        elif isinstance(value, list):
            pending.extend((item, (*keys, index)) for index, item in enumerate(value))


def _object_with_unique_keys(pairs: list[tuple[str, object]]) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ParseError(f"JSON parse error - the key {twice[:60]!r} is given twice in one object.")
    return data


class JSONParser(parsers.JSONParser):
    # A subclass, so DRF still reads the body through request.body and enforces
    # DATA_UPLOAD_MAX_MEMORY_SIZE on it; parsed as DRF's own parse does, keys checked.

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(
                text,
                parse_constant=strict_constant if self.strict else None,
                object_pairs_hook=_object_with_unique_keys,
            )
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.") from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        _check_structure(data)
        return data


class FhirJSONParser(JSONParser):
    """The same JSON under FHIR's media type: FHIR client libraries send their bodies as
    application/fhir+json, and a screening's lines may be FHIR resources."""

    media_type = "application/fhir+json"
