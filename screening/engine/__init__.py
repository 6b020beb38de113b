"""The screening engine: pure Python, no Django.

Build a `KnowledgeIndex` once per knowledge-base version with `build_index`, then call
`screen` for a whole list or `resolve_line` for one line. See README.md for the rules.
"""

from screening.engine.codes import ATC, RXNORM
from screening.engine.index import KnowledgeIndex, build_index
from screening.engine.inputs import Coding, LineInput, PatientFactors, ScreeningRequest
from screening.engine.lines import (
    MATCHED,
    PROBABLE,
    UNRECOGNIZED,
    LineResolution,
    Match,
    Suggestion,
    resolve_line,
)
from screening.engine.screen import ScreeningResult, screen

__all__ = [
    "ATC",
    "MATCHED",
    "PROBABLE",
    "RXNORM",
    "UNRECOGNIZED",
    "Coding",
    "KnowledgeIndex",
    "LineInput",
    "LineResolution",
    "Match",
    "PatientFactors",
    "ScreeningRequest",
    "ScreeningResult",
    "Suggestion",
    "build_index",
    "resolve_line",
    "screen",
]
