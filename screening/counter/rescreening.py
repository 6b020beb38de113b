"""Confirming a probable line: screen the same request again with that line corrected.

The stored screening then says what the patient really takes, and every finding behind
the line loses its "needs confirmation" mark, because the engine itself reads the
corrected text. No second implementation of the screen: it is `screening_create` again.
"""

import re
from typing import Any

from screening.models import Pharmacy, Screening
from screening.services.screenings import screening_create


def corrected_line(line: dict[str, Any], name: str) -> str:
    """The line's text with the misread words replaced by the chosen name.

    "furosimide 40mg" confirmed as furosemide becomes "furosemide 40mg": the dose and
    directions stay on the record. When the misread words cannot be found exactly once
    (a combination read from two places, a line read from a code), the whole line
    becomes the name.
    """
    text = line.get("input") or ""
    matched = ((line.get("match") or {}).get("matched_text") or "").strip()
    if matched and " + " not in matched:
        pattern = re.compile(re.escape(matched), re.IGNORECASE)
        if len(pattern.findall(text)) == 1:
            return pattern.sub(lambda _: name, text)
    return name


def screening_with_line_replaced(
    *,
    screening: Screening,
    pharmacy: Pharmacy,
    list_name: str,
    index: int,
    name: str,
    user,
) -> Screening:
    """A new screening of the old request, line `index` of `list_name` corrected to `name`."""
    request = screening.request
    line = screening.result[list_name][index]
    lines: list[Any] = list(request.get(list_name) or [])
    lines[index] = corrected_line(line, name)
    medications = lines if list_name == "medications" else list(request.get("medications") or [])
    supplements = lines if list_name == "supplements" else list(request.get("supplements") or [])
    return screening_create(
        pharmacy=pharmacy,
        medications=medications,
        supplements=supplements,
        patient=request.get("patient"),
        source="counter",
        user=user,
    )
