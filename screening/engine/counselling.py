"""Advice for the patient from the knowledge base (advice.yaml): counselling, self-care and
the warning signs to get help for, in every language the knowledge base is written in.

Counselling always includes "do not stop your medicines" and "talk with your prescriber"
(the knowledge-base loader refuses a knowledge base without them); further points come
when the screen calls for them. Self-care and warning signs are printed on every handout.
"""

from screening.engine.entries import AdviceRule
from screening.engine.index import KnowledgeIndex
from screening.engine.result import KNOWLEDGE_BASE_LANGUAGE, PatientAdvice

COUNSELLING = "counselling"
SELF_CARE = "self_care"
WARNING_SIGNS = "warning_signs"
SECTIONS = (COUNSELLING, SELF_CARE, WARNING_SIGNS)
# When an advice entry applies.
ALWAYS = "always"
WHEN = (ALWAYS, "red_flags", "supplement_cautions", "not_screened")
# The counselling every screen carries, whatever it found.
REQUIRED_COUNSELLING = ("do_not_stop", "talk_with_prescriber")


def _as_advice(rule: AdviceRule) -> PatientAdvice:
    return PatientAdvice(
        key=rule.key,
        text=rule.texts.get(KNOWLEDGE_BASE_LANGUAGE, ""),
        texts=dict(rule.texts),
        urgency=rule.urgency,
        references=rule.references,
    )


def patient_advice(
    index: KnowledgeIndex, section: str, *, holds: frozenset[str] = frozenset()
) -> tuple[PatientAdvice, ...]:
    """The section's advice, in knowledge-base order, whose condition is always or holds.
    The same for the same index, section and conditions, so made once and shared."""
    key = ("advice", section, holds)
    advice = index.result_memo.get(key)
    if advice is None:
        advice = tuple(
            _as_advice(rule)
            for rule in index.advice
            if rule.section == section and (rule.when == ALWAYS or rule.when in holds)
        )
        index.result_memo[key] = advice
    return advice
