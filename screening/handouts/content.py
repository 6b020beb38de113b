"""What a handout says, built once and laid out by both renderers (HTML and PDF).

Everything here is plain, translated text: the renderers escape it and never add words
of their own. The order is the counselling order: the do-not-stop / talk-with-your-
prescriber message first, then the patient's medicines as they know them, the medicines
that may play a part, medicines to check together, supplements, self-care, when to get
help (always), and the lines that could not be checked.

Clinical statements come only from the screening result, which carries the knowledge
base's patient texts in every handout language; the handout's own fixed sentences
(gettext) give general advice and never name a cause. A knowledge-base text missing in
the handout's language (the loader refuses that, so only an old stored result could) is
printed in English with a note saying so, in the handout's language: never dropped.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from screening.engine.counselling import REQUIRED_COUNSELLING
from screening.engine.result import (
    KNOWLEDGE_BASE_LANGUAGE,
    Finding,
    Line,
    ScreeningResult,
    SupplementCaution,
)
from screening.engine.terms import LineStatus, ListKind, Severity, Urgency
from screening.handouts import wording
from screening.handouts.plain_text import printable


@dataclass(frozen=True)
class Entry:
    """One thing on the list: a medicine or supplement as the patient knows it, and what to know."""

    heading: str
    lines: tuple[str, ...] = ()
    bulleted: bool = False  # the lines are a list (warning signs under "See a doctor today if:")


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    bullets: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    # Boxed sections carry the safety messages: a heavy border prints in black and white.
    boxed: bool = False
    # Short bullets (names) print in two columns, so the list takes half the room.
    columns: int = 1
    # How many of the first paragraphs are the message itself, printed larger and bold.
    emphasis: int = 0


@dataclass(frozen=True)
class HandoutContent:
    language: str
    title: str
    details: tuple[str, ...]
    sections: tuple[Section, ...]
    footer: tuple[str, ...]
    pharmacy_name: str = ""
    page_label: str = ""  # "Page %(page)s of %(pages)s", translated

    def plain_text(self) -> str:
        """Every sentence of the handout, one unit per line, for readability scoring."""
        units = [self.title, *self.details]
        for section in self.sections:
            units.append(section.heading)
            units.extend(section.paragraphs)
            for entry in section.entries:
                units.append(entry.heading)
                units.extend(entry.lines)
            units.extend(section.bullets)
            units.extend(section.closing)
        units.extend(self.footer)
        # A heading or list item is read as a unit of its own: end it like a sentence.
        return "\n".join(u if u.endswith((".", "!", "?", ":")) else f"{u}." for u in units if u)


@dataclass(frozen=True)
class Pharmacy:
    name: str
    phone: str = ""
    address: str = ""


class _Wording:
    """The knowledge base's patient texts in the handout's language."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, texts: Mapping[str, str], english: str = "") -> str:
        text = printable(texts.get(self.language))
        if text:
            return text
        fallback = printable(texts.get(KNOWLEDGE_BASE_LANGUAGE) or english)
        if not fallback or self.language == KNOWLEDGE_BASE_LANGUAGE:
            return fallback
        note = _("This sentence is only available in English.")
        return f"{fallback} ({note})"


def build_handout_content(
    *,
    result: ScreeningResult,
    language: str,
    pharmacy: Pharmacy,
    knowledge_base_version: str,
    patient_name: str = "",
    pharmacist_name: str = "",
    date: datetime.date,
) -> HandoutContent:
    """The handout for one screening result, in ``language`` (a code from settings.LANGUAGES)."""
    with override(language):
        say = _Wording(language)
        sections = [
            _safety_section(result, say),
            _your_medicines_section(result, language),
            _findings_section(result, say, language),
            _interactions_section(result, say, language),
            _supplements_section(result, say, language),
            _self_care_section(result, say),
            _get_help_section(result, say),
            _not_screened_section(result),
        ]
        details = [_("Date: %(date)s") % {"date": formats.date_format(date, "DATE_FORMAT")}]
        if printable(patient_name):
            details.insert(0, _("For: %(name)s") % {"name": printable(patient_name)})
        if printable(pharmacist_name):
            details.append(
                _("Checked and given to you by your pharmacist: %(name)s")
                % {"name": printable(pharmacist_name)}
            )
        return HandoutContent(
            language=language,
            title=_("Your medicines and leg cramps"),
            details=tuple(details),
            sections=tuple(s for s in sections if s is not None),
            footer=_footer(pharmacy, knowledge_base_version),
            pharmacy_name=printable(pharmacy.name),
            page_label=_("Page %(page)s of %(pages)s"),
        )


def known_as(line: Line, language: str) -> str:
    """A medicine as the patient knows it, with its generic name in their language:
    'Lasix 40 mg (furosemida)'. Never the dispensing directions."""
    name = printable(line.known_as) or printable(line.label)
    generic = [printable(n) for n in line.generic_names(language) if printable(n)]
    written = name.casefold()
    missing = [n for n in generic if n.casefold() not in written]
    return f"{name} ({', '.join(missing)})" if missing else name


def _safety_section(result: ScreeningResult, say: _Wording) -> Section:
    # The core safety message is always the handout's own translated text, never data; the
    # knowledge base's further counselling points follow it, in the handout's language.
    further = [
        say(point.texts, point.text)
        for point in result.counselling
        if point.key not in REQUIRED_COUNSELLING
    ]
    return Section(
        key="safety",
        heading=_("Important: do not stop your medicines"),
        paragraphs=(
            _("Do not stop taking any medicine on your own."),
            _("Talk with your prescriber before you change how you take a medicine."),
            *[text for text in further if text],
            _("Bring this sheet when you see your prescriber."),
        ),
        boxed=True,
        emphasis=2,
    )


def _your_medicines_section(result: ScreeningResult, language: str) -> Section | None:
    names = [known_as(line, language) for line in result.medications if line.is_screened]
    names += [known_as(line, language) for line in result.supplements if line.is_screened]
    if not names:
        return None
    return Section(
        key="your_medicines",
        heading=_("The medicines and supplements we checked"),
        bullets=tuple(dict.fromkeys(names)),
        columns=2,
    )


def _findings_section(result: ScreeningResult, say: _Wording, language: str) -> Section:
    by_medication: dict[int, list[Finding]] = {}
    for finding in result.findings:
        for index in finding.medication_indexes:
            by_medication.setdefault(index, []).append(finding)
    entries = []
    for index in sorted(by_medication):
        line = result.medication(index)
        if line is None:
            continue
        texts: list[str] = []
        for finding in by_medication[index]:
            _add_once(texts, _finding_text(finding, say))
        if line.status == LineStatus.PROBABLE or any(
            f.needs_confirmation for f in by_medication[index]
        ):
            texts.append(
                _("We are not sure we read this name right. Please check it with your pharmacist.")
            )
        entries.append(Entry(heading=known_as(line, language), lines=tuple(texts)))
    if entries:
        paragraphs = (_("Some of your medicines may play a part in leg cramps. Keep taking them."),)
    elif result.medications and len(result.not_screened) < len(result.medications):
        paragraphs = (_("We did not find a medicine on your list that is linked to leg cramps."),)
    else:
        paragraphs = (_("We could not check the medicines on your list."),)
    return Section(
        key="medicines",
        heading=_("Your medicines and cramps"),
        paragraphs=paragraphs,
        entries=tuple(entries),
    )


def _finding_text(finding: Finding, say: _Wording) -> str:
    """What the link means (the knowledge base's words), then how strong the evidence is."""
    meaning = say(finding.patient_texts, finding.patient_text)
    evidence = wording.EVIDENCE_SENTENCES.get(finding.evidence.strength)
    return f"{meaning} {evidence}" if evidence and meaning else (meaning or str(evidence or ""))


def _add_once(items: list[str], item: str) -> None:
    if item and item not in items:
        items.append(item)


def _medication_names(result: ScreeningResult, indexes: Sequence[int], language: str) -> list[str]:
    lines = (result.medication(index) for index in indexes)
    return [known_as(line, language) for line in lines if line is not None]


def _interactions_section(result: ScreeningResult, say: _Wording, language: str) -> Section | None:
    entries = []
    for interaction in result.interactions:
        texts = [say(interaction.patient_texts, interaction.patient_text)]
        texts.append(str(wording.INTERACTION_SENTENCES[interaction.severity]))
        heading = " + ".join(_medication_names(result, interaction.medication_indexes, language))
        entries.append(Entry(heading=heading, lines=tuple(t for t in texts if t)))
    if not entries:
        return None
    return Section(
        key="interactions", heading=_("Medicines to check together"), entries=tuple(entries)
    )


def _supplements_section(result: ScreeningResult, say: _Wording, language: str) -> Section | None:
    # One entry per supplement the patient takes, however many cautions apply to it. The
    # knowledge base's "action" is written for the pharmacist, so the patient gets a
    # translated sentence for the most serious caution's severity instead.
    groups: dict[tuple[ListKind, int], list[SupplementCaution]] = {}
    for caution in result.supplement_cautions:
        groups.setdefault((caution.source.list, caution.source.index), []).append(caution)
    entries = []
    for cautions in groups.values():
        source = result.source_line(cautions[0].source)
        heading = known_as(source, language) if source else printable(cautions[0].supplement)
        texts: list[str] = []
        medicines: list[str] = []
        for caution in cautions:
            _add_once(texts, say(caution.patient_texts, caution.patient_text))
            for name in _medication_names(result, caution.medication_indexes, language):
                _add_once(medicines, name)
        most_serious = min((c.severity for c in cautions), key=lambda s: Severity(s).rank)
        texts.append(
            _("What to do: %(action)s") % {"action": wording.CAUTION_SENTENCES[most_serious]}
        )
        if medicines:
            texts.append(
                _("This matters because you also take: %(names)s") % {"names": ", ".join(medicines)}
            )
        entries.append(Entry(heading=heading, lines=tuple(texts)))
    if not entries:
        return None
    return Section(
        key="supplements", heading=_("Supplements: what to know"), entries=tuple(entries)
    )


def _self_care_section(result: ScreeningResult, say: _Wording) -> Section:
    return Section(
        key="self_care",
        heading=_("Things you can try"),
        paragraphs=(_("These steps help some people. They do not work for everyone."),),
        bullets=tuple(text for a in result.self_care if (text := say(a.texts, a.text))),
    )


def _get_help_section(result: ScreeningResult, say: _Wording) -> Section:
    # Always printed, whatever the screening found: these signs need a doctor, not a stretch.
    reported = []
    for flag in result.red_flags:
        text = say(flag.patient_texts, flag.patient_text)
        urgency = wording.RED_FLAG_URGENCY_SENTENCES.get(flag.urgency)
        reported.append(f"{text} {urgency}" if urgency and text else text)
    # The knowledge base's warning signs, grouped by how soon to act: most urgent first.
    by_urgency: dict[Urgency, list[str]] = {}
    for sign in result.warning_signs:
        text = say(sign.texts, sign.text)
        if text:
            by_urgency.setdefault(sign.urgency or Urgency.SOON, []).append(text)
    groups = tuple(
        Entry(heading=str(wording.WARNING_SIGN_LEADS[urgency]), lines=tuple(signs), bulleted=True)
        for urgency, signs in sorted(by_urgency.items(), key=lambda item: item[0].rank)
    )
    return Section(
        key="get_help",
        heading=_("When to get help"),
        paragraphs=tuple(r for r in reported if r),
        entries=groups,
        boxed=True,
    )


def _not_screened_section(result: ScreeningResult) -> Section | None:
    lines = [line for _, _, line in result.unscreened()]
    bullets = tuple(
        _("Ask your pharmacist about: %(name)s") % {"name": printable(line.label)}
        for line in lines
        if printable(line.label)
    )
    if not bullets:
        return None
    return Section(key="not_screened", heading=_("Lines we could not check"), bullets=bullets)


def _footer(pharmacy: Pharmacy, knowledge_base_version: str) -> tuple[str, ...]:
    contact = [printable(pharmacy.name)]
    if printable(pharmacy.phone):
        contact.append(_("Phone: %(phone)s") % {"phone": printable(pharmacy.phone)})
    if printable(pharmacy.address):
        contact.append(printable(pharmacy.address))
    footer = [" · ".join(part for part in contact if part)]
    footer.append(
        _("Checked with knowledge base version %(version)s.")
        % {"version": printable(knowledge_base_version)}
    )
    footer.append(_("This sheet does not replace advice from your doctor or pharmacist."))
    return tuple(line for line in footer if line)
