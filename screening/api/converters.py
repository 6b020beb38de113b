"""Path converters for the API's URLs."""

import uuid

from django.urls import register_converter


class UUIDAnyCaseConverter:
    """A UUID in either letter case. RFC 9562 (section 4) reads UUIDs case-insensitively,
    and some systems write them in capitals (SQL Server's uniqueidentifier); Django's own
    `uuid` converter matches lower case only, so a capitalised id was a 404."""

    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: uuid.UUID | str) -> str:
        return str(value)


register_converter(UUIDAnyCaseConverter, "uuid_any_case")
