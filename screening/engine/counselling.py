"""Advice for the patient from the knowledge base (advice.yaml): counselling, self-care and
the warning signs to get help for, in every language the knowledge base is written in.

Counselling always includes "do not stop your medicines" and "talk with your prescriber"
(the knowledge-base loader refuses a knowledge base without them); further points come
when the screen calls for them. Self-care and warning signs are printed on every handout.
"""

from screening.engine.index import KnowledgeIndex
from screening.engine.result import PatientAdvice

COUNSELLING = "counselling"
SELF_CARE = "self_care"
WARNING_SIGNS = "warning_signs"
SECTIONS = (COUNSELLING, SELF_CARE, WARNING_SIGNS)
# When an advice entry applies.
ALWAYS = "always"
WHEN = (ALWAYS, "red_flags", "supplement_cautions", "not_screened")
# The counselling every screen carries, whatever it found.
REQUIRED_COUNSELLING = ("do_not_stop", "talk_with_prescriber")


def patient_advice(
    index: KnowledgeIndex, section: str, *, holds: frozenset[str] = frozenset()
) -> tuple[PatientAdvice, ...]:
    """The section's advice, in knowledge-base order, whose condition is always or holds.
    Each piece is the one the index made, shared by every screening."""
    return tuple(
        rule.advice
        for rule in index.advice
        if rule.section == section and (rule.when == ALWAYS or rule.when in holds)
    )
