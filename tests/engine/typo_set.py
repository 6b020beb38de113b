"""The misspelling set: how people mistype medicine names, generated the same way every run.

Over every cramp-linked ingredient and a hundred commonly dispensed medicines, each kind
of typo the engine README describes: a missing, extra, doubled or swapped letter, a
neighbouring key on a QWERTY keyboard, and the common sound-alike spellings (ph/f, c/k,
y/i, -ine/-ene). A typo that happens to be another known name exactly is left out and
counted apart: nobody can tell it from that name, and exact names always win.

`python -m tests.engine.typo_report` prints the table kept in docs/misspellings.md.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass

from screening.engine.typos import _NEIGHBOURS

# The hundred commonly dispensed medicines, beside the cramp-linked ingredients (their
# US generic names, as the curated files write them).
COMMON_MEDICINES = (
    "levothyroxine", "lisinopril", "metformin", "amlodipine", "albuterol", "omeprazole",
    "losartan", "gabapentin", "sertraline", "montelukast", "escitalopram", "bupropion",
    "pantoprazole", "trazodone", "fluticasone", "tamsulosin", "fluoxetine", "carvedilol",
    "duloxetine", "meloxicam", "clopidogrel", "prednisone", "citalopram", "tramadol",
    "aspirin", "alprazolam", "ibuprofen", "cyclobenzaprine", "amoxicillin", "allopurinol",
    "venlafaxine", "clonazepam", "zolpidem", "glipizide", "oxycodone", "apixaban",
    "topiramate", "lamotrigine", "ondansetron", "estradiol", "buspirone", "quetiapine",
    "famotidine", "cetirizine", "hydroxyzine", "propranolol", "diclofenac", "valsartan",
    "rivaroxaban", "doxycycline", "warfarin", "insulin glargine", "methocarbamol",
    "naproxen", "paroxetine", "mirtazapine", "pregabalin", "sitagliptin", "empagliflozin",
    "dapagliflozin", "finasteride", "celecoxib", "cephalexin", "azithromycin",
    "ciprofloxacin", "levofloxacin", "nitrofurantoin", "sulfamethoxazole", "methotrexate",
    "hydroxychloroquine", "baclofen", "tizanidine", "lorazepam", "diazepam", "risperidone",
    "aripiprazole", "olanzapine", "donepezil", "memantine", "ropinirole", "pramipexole",
    "levetiracetam", "sumatriptan", "loratadine", "ranitidine", "esomeprazole",
    "lansoprazole", "dexamethasone", "methylprednisolone", "benzonatate", "guaifenesin",
    "clonidine", "hydralazine", "isosorbide mononitrate", "nitroglycerin", "digoxin",
    "diltiazem", "verapamil", "nifedipine", "colchicine",
)  # fmt: skip

KINDS = ("missing letter", "extra letter", "doubled letter", "swapped letters", "neighbouring key", "sound-alike")  # fmt: skip
_SOUND_SWAPS = (("ph", "f"), ("f", "ph"), ("c", "k"), ("k", "c"), ("y", "i"), ("i", "y"))


@dataclass(frozen=True)
class Typo:
    kind: str
    intended: str  # the name meant
    written: str  # as typed


def _positions(name: str, rng: random.Random, count: int, first: int = 1) -> list[int]:
    """Letter positions to change: never the first, where people rarely slip."""
    letters = [i for i in range(first, len(name)) if name[i].isalpha()]
    return rng.sample(letters, min(count, len(letters)))


def typos_of(name: str, rng: random.Random, per_kind: int = 2) -> Iterator[Typo]:
    for i in _positions(name, rng, per_kind):
        yield Typo("missing letter", name, name[:i] + name[i + 1 :])
    for i in _positions(name, rng, per_kind):
        extra = rng.choice(sorted(_NEIGHBOURS.get(name[i], "e")))
        yield Typo("extra letter", name, name[:i] + extra + name[i:])
    for i in _positions(name, rng, per_kind):
        yield Typo("doubled letter", name, name[:i] + name[i] + name[i:])
    for i in _positions(name[:-1], rng, per_kind):
        if name[i] != name[i + 1] and name[i + 1].isalpha():
            yield Typo("swapped letters", name, name[:i] + name[i + 1] + name[i] + name[i + 2 :])
    for i in _positions(name, rng, per_kind):
        neighbours = sorted(_NEIGHBOURS.get(name[i], ()))
        if neighbours:
            yield Typo("neighbouring key", name, name[:i] + rng.choice(neighbours) + name[i + 1 :])
    yield from _sound_alikes(name)


def _sound_alikes(name: str) -> Iterator[Typo]:
    for written, said in _SOUND_SWAPS:
        at = name.find(written, 1)
        if at > 0:
            yield Typo("sound-alike", name, name[:at] + said + name[at + len(written) :])
            return
    if name.endswith("ine"):
        yield Typo("sound-alike", name, name[:-3] + "ene")
    elif name.endswith("in"):
        yield Typo("sound-alike", name, name + "e")


def typo_set(cramp_linked: list[str], seed: int = 2026) -> list[Typo]:
    rng = random.Random(seed)
    names = sorted(set(cramp_linked)) + [n for n in COMMON_MEDICINES if n not in cramp_linked]
    found: dict[str, Typo] = {}
    for name in names:
        for typo in typos_of(name, rng):
            if typo.written != name:
                found.setdefault(typo.written, typo)
    return list(found.values())
