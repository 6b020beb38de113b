"""Request objects that take only the fields they define.

A misspelt or unknown key ("supplement" for "supplements", "eGFR" for "egfr") would
otherwise be dropped without a word, and with it a supplement caution or a red flag. The
published schema says so too (`additionalProperties: false`, screening.api.schema).
FHIR-shaped objects (coded lines, resources) and CDS Hooks requests stay open: their
standards let senders add elements and extensions.
"""

from collections.abc import Mapping
from itertools import islice

from rest_framework import serializers

MAX_NAMED = 20  # unknown keys named in one answer
UNKNOWN_FIELD = "Unknown field: this object takes only the fields the API's schema lists."


class ClosedSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            names = islice((key for key in data if key not in self.fields), MAX_NAMED)
            unknown = {str(key)[:60]: [UNKNOWN_FIELD] for key in names}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # Every wrong name at once, beside the other fields' errors.
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**unknown, **error.detail}) from error
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def closed_request_components() -> list[str]:
    """The OpenAPI request components of closed serializers, as drf-spectacular names them
    (the class name without "Serializer", plus "Request": COMPONENT_SPLIT_REQUEST)."""
    pending, names = list(ClosedSerializer.__subclasses__()), []
    while pending:
        serializer = pending.pop()
        pending += serializer.__subclasses__()
        names.append(serializer.__name__.removesuffix("Serializer") + "Request")
    return sorted(names)
