"""The screening engine: pure Python, no Django.

Build a `KnowledgeIndex` once per knowledge-base version with `build_index`, then call
`screen` for a whole list or `resolve_line` for one line. Both return the typed result of
`result.py`, the one contract every reader of a screening uses. See README.md.
"""

from screening.engine.codes import ATC, NDC, RXNORM
from screening.engine.index import KnowledgeIndex, build_index
from screening.engine.inputs import (
    Coding,
    LineInput,
    PatientFactors,
    ProductCode,
    ScreeningRequest,
    Terminology,
)
from screening.engine.lines import read_line, resolve_line
from screening.engine.result import Line, ScreeningResult
from screening.engine.screen import screen
from screening.engine.terms import LineStatus

MATCHED = LineStatus.MATCHED
PROBABLE = LineStatus.PROBABLE
UNRECOGNIZED = LineStatus.UNRECOGNIZED

__all__ = [
    "ATC",
    "MATCHED",
    "NDC",
    "PROBABLE",
    "RXNORM",
    "UNRECOGNIZED",
    "Coding",
    "KnowledgeIndex",
    "Line",
    "LineInput",
    "PatientFactors",
    "ProductCode",
    "ScreeningRequest",
    "ScreeningResult",
    "Terminology",
    "build_index",
    "read_line",
    "resolve_line",
    "screen",
]
