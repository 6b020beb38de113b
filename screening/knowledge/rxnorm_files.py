"""Reading an RxNorm release (NLM's RRF files) into what screening needs.

The files are pipe-delimited UTF-8, one row per line, every row ending with "|", no
header, no quoting (RxNorm Technical Documentation; NLM's own load scripts). Only three
files are read, each streamed row by row so memory stays flat whatever their size
(a full release is several GB; RXNSAT.RRF alone is the largest):

- RXNCONSO.RRF: the concepts with SAB=RXNORM that are not editor-suppressed, by term type;
- RXNREL.RRF: the relationships on the standard paths from a product to its ingredients.
  A row reads "RXCUI2 has RELA to RXCUI1" (the documentation's own warning: the opposite
  of the obvious direction);
- RXNSAT.RRF: the NDCs RxNorm curates (ATN=NDC, SAB=RXNORM), already 11 digits.

What is kept: the concepts of the term types a system may send, their names, and the
ingredient (IN) concepts each leads to; the NDC -> RxCUI pairs. Nothing else.
"""

import io
import re
import zipfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

CONSO_COLUMNS = (
    "RXCUI LAT TS LUI STT SUI ISPREF RXAUI SAUI SCUI SDUI SAB TTY CODE STR SRL SUPPRESS CVF"
).split()
REL_COLUMNS = (
    "RXCUI1 RXAUI1 STYPE1 REL RXCUI2 RXAUI2 STYPE2 RELA RUI SRUI SAB SL RG DIR SUPPRESS CVF"
).split()
SAT_COLUMNS = "RXCUI LUI SUI RXAUI STYPE CODE ATUI SATUI ATN SAB ATV SUPPRESS CVF".split()
FILES = {"RXNCONSO.RRF": CONSO_COLUMNS, "RXNREL.RRF": REL_COLUMNS, "RXNSAT.RRF": SAT_COLUMNS}

# The term types a pharmacy system may send, and the ingredient types they lead to.
PRODUCT_TYPES = frozenset("SCD SBD GPCK BPCK SCDC SBDC SCDF SBDF SCDG SBDG MIN PIN BN".split())
INGREDIENT_TYPE = "IN"
KEPT_TYPES = PRODUCT_TYPES | {INGREDIENT_TYPE}
# Each relationship read in the direction of the ingredients: SCD consists_of SCDC,
# SCDC has_ingredient IN, SBD tradename_of SCD, BPCK/GPCK contains SCD/SBD, SCD
# has_ingredients MIN, MIN has_part IN, PIN form_of IN, BN tradename_of IN,
# SBDC/SBDF/SBDG tradename_of their clinical counterpart, SCDF/SCDG has_ingredient IN.
PATH_RELATIONSHIPS = frozenset(
    "consists_of has_ingredient has_ingredients has_part form_of tradename_of contains".split()
)
_COLUMN = {name: {column: i for i, column in enumerate(cols)} for name, cols in FILES.items()}
_RELEASE_NAME = re.compile(r"RxNorm_full_(\d{2})(\d{2})(\d{4})", re.IGNORECASE)
_SUPPRESSED_BY_EDITORS = "Y"


class ReleaseInvalid(ValueError):
    """The files are not an RxNorm release in the published format; nothing was written."""


@dataclass(frozen=True)
class Release:
    """An RxNorm release on disk: a RxNorm_full_MMDDYYYY.zip, its folder, or its rrf/."""

    path: Path
    version: str  # NLM's name for it: the file date, MMDDYYYY
    released_on: date

    @contextmanager
    def open(self, name: str) -> Iterator[IO[str]]:
        if self.path.is_file():
            with zipfile.ZipFile(self.path) as archive:
                member = _zip_member(archive, name)
                with archive.open(member) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
        else:
            folder = self.path / "rrf" if (self.path / "rrf").is_dir() else self.path
            with (folder / name).open(encoding="utf-8", newline="") as stream:
                yield stream


def _zip_member(archive: zipfile.ZipFile, name: str) -> str:
    # The full release keeps its files in rrf/; the prescribable subset in prescribe/rrf/.
    members = [m for m in archive.namelist() if m.upper().endswith("/" + name) or m == name]
    full = [m for m in members if "prescribe/" not in m.lower()]
    if not full:
        raise ReleaseInvalid(f"{name} is not in {archive.filename}")
    return full[0]


def find_release(path: Path, released_on: date | None = None) -> Release:
    """The release at `path`, dated by its NLM file name unless a date is given."""
    if not path.exists():
        raise ReleaseInvalid(f"{path} does not exist")
    if path.is_file() and not zipfile.is_zipfile(path):
        raise ReleaseInvalid(f"{path} is not a zip file or a folder")
    if released_on is None:
        named = _RELEASE_NAME.search(str(path.resolve()))
        if named is None:
            raise ReleaseInvalid(
                f"cannot tell the release date from {path.name}: NLM names it "
                "RxNorm_full_MMDDYYYY; give --release-date YYYY-MM-DD"
            )
        month, day, year = (int(part) for part in named.groups())
        try:
            released_on = date(year, month, day)
        except ValueError as error:
            raise ReleaseInvalid(f"{named.group(0)}: {error}") from error
    return Release(path=path, version=released_on.strftime("%m%d%Y"), released_on=released_on)


def rows(release: Release, name: str) -> Iterator[list[str]]:
    """The rows of one file, each checked against the published column count."""
    expected = len(FILES[name])
    try:
        with release.open(name) as stream:
            for number, line in enumerate(stream, start=1):
                line = line.rstrip("\r\n")
                if not line:
                    continue
                fields = line.split("|")
                if len(fields) != expected + 1 or fields[-1] != "":
                    raise ReleaseInvalid(
                        f"{name} line {number}: expected {expected} fields ending with '|', "
                        f"found {len(fields) - 1 if fields[-1] == '' else len(fields)}"
                    )
                yield fields
    except FileNotFoundError as error:
        raise ReleaseInvalid(f"{name} is missing from {release.path}") from error
    except UnicodeDecodeError as error:
        raise ReleaseInvalid(f"{name} is not UTF-8: {error}") from error


def validate(release: Release) -> dict[str, int]:
    """Read every file once, checking shape and the fields screening relies on; returns
    the row count per file. Raises ReleaseInvalid before anything is written."""
    counts: dict[str, int] = {}
    ingredients = 0
    for name in FILES:
        column = _COLUMN[name]
        count = 0
        for fields in rows(release, name):
            count += 1
            for key in ("RXCUI", "RXCUI1", "RXCUI2"):
                if key in column and not fields[column[key]].isdigit():
                    raise ReleaseInvalid(f"{name} line {count}: {key} '{fields[column[key]]}'")
            if name == "RXNCONSO.RRF" and fields[column["TTY"]] == INGREDIENT_TYPE:
                ingredients += fields[column["SAB"]] == "RXNORM"
        if count == 0:
            raise ReleaseInvalid(f"{name} is empty")
        counts[name] = count
    if not ingredients:
        raise ReleaseInvalid("RXNCONSO.RRF has no RxNorm ingredient (SAB=RXNORM, TTY=IN)")
    return counts


def read_concepts(release: Release) -> dict[int, tuple[str, str]]:
    """RxCUI -> (term type, name) of the RxNorm concepts screening may be sent."""
    column = _COLUMN["RXNCONSO.RRF"]
    rxcui, sab, tty, name, suppress = (
        column[c] for c in ("RXCUI", "SAB", "TTY", "STR", "SUPPRESS")
    )
    concepts: dict[int, tuple[str, str]] = {}
    for fields in rows(release, "RXNCONSO.RRF"):
        if (
            fields[sab] == "RXNORM"
            and fields[tty] in KEPT_TYPES
            and fields[suppress] != _SUPPRESSED_BY_EDITORS
        ):
            concepts.setdefault(int(fields[rxcui]), (fields[tty], fields[name]))
    return concepts


def read_paths(release: Release, concepts: dict[int, tuple[str, str]]) -> dict[int, list[int]]:
    """RxCUI -> the concepts one step closer to its ingredients."""
    column = _COLUMN["RXNREL.RRF"]
    first, second, rela, sab = (column[c] for c in ("RXCUI1", "RXCUI2", "RELA", "SAB"))
    steps: dict[int, list[int]] = {}
    for fields in rows(release, "RXNREL.RRF"):
        if fields[sab] != "RXNORM" or fields[rela] not in PATH_RELATIONSHIPS:
            continue
        # "RXCUI2 has RELA to RXCUI1": the step goes from RXCUI2 to RXCUI1.
        source, target = int(fields[second]), int(fields[first])
        if source in concepts and target in concepts:
            steps.setdefault(source, []).append(target)
    return steps


def ingredients_of(
    concepts: dict[int, tuple[str, str]], steps: dict[int, list[int]]
) -> Iterator[tuple[int, str, str, list[list[str]]]]:
    """(RxCUI, term type, name, [[ingredient RxCUI, name], ...]) for every kept concept."""
    for rxcui, (tty, name) in concepts.items():
        found: set[int] = set()
        if tty == INGREDIENT_TYPE:
            found.add(rxcui)
        seen = {rxcui}
        queue = deque(steps.get(rxcui, ()))
        while queue:
            current = queue.popleft()
            if current in seen:
                continue
            seen.add(current)
            if concepts[current][0] == INGREDIENT_TYPE:
                found.add(current)
            else:
                queue.extend(steps.get(current, ()))
        yield rxcui, tty, name, [[str(i), concepts[i][1]] for i in sorted(found)]


def read_ndcs(release: Release) -> Iterator[tuple[str, str]]:
    """(11-digit NDC, RxCUI) for the NDCs RxNorm curates."""
    column = _COLUMN["RXNSAT.RRF"]
    rxcui, atn, sab, atv, suppress = (column[c] for c in ("RXCUI", "ATN", "SAB", "ATV", "SUPPRESS"))
    for fields in rows(release, "RXNSAT.RRF"):
        if (
            fields[atn] == "NDC"
            and fields[sab] == "RXNORM"
            and fields[suppress] != _SUPPRESSED_BY_EDITORS
            and len(fields[atv]) == 11
            and fields[atv].isdigit()
        ):
            yield fields[atv], fields[rxcui]
