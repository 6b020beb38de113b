"""What a handout says, built once and laid out by both renderers (HTML and PDF).

Everything here is plain, translated text: the renderers escape it and never add words
of their own. The order is the counselling order: the do-not-stop / talk-with-your-
prescriber message first, then the medicines that may play a part, supplements, self-care,
when to get help (always), and the lines that could not be checked.

Clinical statements come only from the screening result, which comes from the knowledge
base; the handout's own fixed sentences give general advice and never name a cause.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override

from screening.handouts import wording
from screening.handouts.plain_text import printable

# The knowledge base's patient texts are written in this language.
KNOWLEDGE_BASE_LANGUAGE = "en"
# Said by the handout's own translated sentences, so the KB's wording of them is not repeated.
CORE_COUNSELLING_KEYS = frozenset({"do_not_stop", "talk_with_prescriber"})


@dataclass(frozen=True)
class Entry:
    """One thing on the list: a medicine or supplement as the patient knows it, and what to know."""

    heading: str
    lines: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class HandoutContent:
    language: str
    title: str
    details: tuple[str, ...]
    sections: tuple[Section, ...]
    footer: tuple[str, ...]
    pharmacy_name: str = ""
    page_label: str = ""  # "Page %(page)s of %(pages)s", translated

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

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


def build_handout_content(
    *,
    result: Mapping[str, Any],
    language: str,
    pharmacy: Pharmacy,
    knowledge_base_version: str,
    patient_name: str = "",
    pharmacist_name: str = "",
    date: datetime.date,
) -> HandoutContent:
    """The handout for one screening result, in ``language`` (a code from settings.LANGUAGES)."""
    with override(language):
        lines = _Lines(result)
        use_knowledge_base_text = language.split("-")[0] == KNOWLEDGE_BASE_LANGUAGE
        sections = [
            _safety_section(result, use_knowledge_base_text),
            _medicines_section(result, lines, use_knowledge_base_text),
            _interactions_section(result, lines, use_knowledge_base_text),
            _supplements_section(result, lines, use_knowledge_base_text),
            _self_care_section(),
            _get_help_section(result, use_knowledge_base_text),
            _not_screened_section(result, lines),
        ]
        details = [_("Date: %(date)s") % {"date": formats.date_format(date, "DATE_FORMAT")}]
        if printable(patient_name):
            details.insert(0, _("For: %(name)s") % {"name": printable(patient_name)})
        if printable(pharmacist_name):
            details.append(_("Your pharmacist: %(name)s") % {"name": printable(pharmacist_name)})
        return HandoutContent(
            language=language,
            title=_("Your medicines and leg cramps"),
            details=tuple(details),
            sections=tuple(s for s in sections if s is not None),
            footer=_footer(pharmacy, knowledge_base_version),
            pharmacy_name=printable(pharmacy.name),
            page_label=_("Page %(page)s of %(pages)s"),
        )


class _Lines:
    """The patient's lines by index, so every item is shown by the name they know."""

    def __init__(self, result: Mapping[str, Any]) -> None:
        self.medications = self._by_index(result.get("medications") or [])
        self.supplements = self._by_index(result.get("supplements") or [])

    @staticmethod
    def _by_index(lines: Sequence[Mapping[str, Any]]) -> dict[int, Mapping[str, Any]]:
        return {line.get("index", position): line for position, line in enumerate(lines)}

    def medication_name(self, index: int) -> str:
        return printable(self.medications.get(index, {}).get("input"))

    def medication_names(self, indexes: Sequence[int]) -> list[str]:
        return [name for name in (self.medication_name(i) for i in indexes) if name]

    def source_name(self, source: Mapping[str, Any] | None) -> str:
        source = source or {}
        lines = self.supplements if source.get("list") == "supplements" else self.medications
        return printable(lines.get(source.get("index"), {}).get("input"))


def _safety_section(result: Mapping[str, Any], use_kb_text: bool) -> Section:
    # The core safety message is always the handout's own translated text, never KB data;
    # the knowledge base's further counselling points follow it where its language is read.
    further = []
    if use_kb_text:
        for point in result.get("counselling") or []:
            if point.get("key") not in CORE_COUNSELLING_KEYS and printable(point.get("text")):
                further.append(printable(point["text"]))
    return Section(
        key="safety",
        heading=_("Important: do not stop your medicines"),
        paragraphs=(
            _("Do not stop taking any medicine on your own."),
            _("Talk with your prescriber before you change how you take a medicine."),
            *further,
            _("Bring this sheet when you see your prescriber."),
        ),
        boxed=True,
    )


def _medicines_section(result: Mapping[str, Any], lines: _Lines, use_kb_text: bool) -> Section:
    by_medication: dict[int, list[Mapping[str, Any]]] = {}
    for finding in result.get("findings") or []:
        for index in finding.get("medication_indexes") or []:
            by_medication.setdefault(index, []).append(finding)

    entries = []
    for index in sorted(by_medication):
        line = lines.medications.get(index, {})
        entry_lines = []
        generic_names = [printable(n) for n in line.get("ingredients") or [] if printable(n)]
        if generic_names:
            entry_lines.append(_("Generic name: %(names)s") % {"names": ", ".join(generic_names)})
        for finding in by_medication[index]:
            _add_once(entry_lines, _finding_text(finding, use_kb_text))
        read_with_doubt = line.get("status") == "probable" or any(
            f.get("needs_confirmation") for f in by_medication[index]
        )
        if read_with_doubt:
            entry_lines.append(
                _("We are not sure we read this name right. Please check it with your pharmacist.")
            )
        entries.append(Entry(heading=lines.medication_name(index), lines=tuple(entry_lines)))

    if entries:
        paragraphs = (_("Some of your medicines may play a part in leg cramps. Keep taking them."),)
    elif lines.medications and len(result.get("not_screened") or []) < len(lines.medications):
        paragraphs = (_("We did not find a medicine on your list that is linked to leg cramps."),)
    else:
        paragraphs = (_("We could not check the medicines on your list."),)
    return Section(
        key="medicines",
        heading=_("Your medicines and cramps"),
        paragraphs=paragraphs,
        entries=tuple(entries),
    )


def _finding_text(finding: Mapping[str, Any], use_kb_text: bool) -> str:
    """What the link means (the KB's words, or a translated sentence naming the class),
    then how strong the evidence is, as one paragraph."""
    if use_kb_text and printable(finding.get("patient_text")):
        meaning = printable(finding["patient_text"])
    elif (finding.get("drug_class") or "") in wording.DRUG_CLASS_SENTENCES:
        meaning = str(wording.DRUG_CLASS_SENTENCES[finding["drug_class"]])
    else:
        class_name = printable(finding.get("drug_class_name") or finding.get("drug_class"))
        meaning = str(wording.OTHER_DRUG_CLASS_SENTENCE) % {"class_name": class_name}
    evidence = wording.EVIDENCE_SENTENCES.get((finding.get("evidence") or {}).get("strength"))
    return f"{meaning} {evidence}" if evidence else meaning


def _add_once(items: list[str], item: str) -> None:
    if item and item not in items:
        items.append(item)


def _interactions_section(
    result: Mapping[str, Any], lines: _Lines, use_kb_text: bool
) -> Section | None:
    entries = []
    for interaction in result.get("interactions") or []:
        names = lines.medication_names(interaction.get("medication_indexes") or [])
        entry_lines = []
        if use_kb_text and printable(interaction.get("patient_text")):
            entry_lines.append(printable(interaction["patient_text"]))
        severity = interaction.get("severity")
        if severity in wording.INTERACTION_SENTENCES:
            entry_lines.append(str(wording.INTERACTION_SENTENCES[severity]))
        entries.append(Entry(heading=" + ".join(names), lines=tuple(entry_lines)))
    if not entries:
        return None
    return Section(
        key="interactions", heading=_("Medicines to check together"), entries=tuple(entries)
    )


SEVERITY_ORDER = ("info", "warning", "critical")


def _supplements_section(
    result: Mapping[str, Any], lines: _Lines, use_kb_text: bool
) -> Section | None:
    # One entry per supplement the patient takes, however many cautions apply to it. The
    # KB's "action" is written for the pharmacist, so the patient gets a translated
    # sentence for the most serious caution's severity instead.
    by_supplement: dict[tuple, dict[str, Any]] = {}
    for caution in result.get("supplement_cautions") or []:
        source = caution.get("source") or {}
        heading = lines.source_name(source) or printable(caution.get("supplement"))
        group = by_supplement.setdefault(
            (source.get("list"), source.get("index"), heading),
            {"heading": heading, "texts": [], "severity": -1, "medicines": []},
        )
        if use_kb_text:
            _add_once(group["texts"], printable(caution.get("patient_text")))
        if caution.get("severity") in SEVERITY_ORDER:
            group["severity"] = max(group["severity"], SEVERITY_ORDER.index(caution["severity"]))
        for name in lines.medication_names(caution.get("medication_indexes") or []):
            _add_once(group["medicines"], name)

    entries = []
    for group in by_supplement.values():
        entry_lines = list(group["texts"])
        if group["severity"] >= 0:
            action = wording.CAUTION_SENTENCES[SEVERITY_ORDER[group["severity"]]]
            entry_lines.append(_("What to do: %(action)s") % {"action": action})
        if group["medicines"]:
            entry_lines.append(
                _("This matters because you also take: %(names)s")
                % {"names": ", ".join(group["medicines"])}
            )
        entries.append(Entry(heading=group["heading"], lines=tuple(entry_lines)))
    if not entries:
        return None
    return Section(
        key="supplements", heading=_("Supplements: what to know"), entries=tuple(entries)
    )


def _self_care_section() -> Section:
    return Section(
        key="self_care",
        heading=_("Things you can try"),
        paragraphs=(_("These steps help some people. They do not work for everyone."),),
        bullets=(
            _("Stretch your calf muscles for a few minutes before bed."),
            _("Drink enough fluids during the day, unless your doctor told you to drink less."),
            _("Walk or move gently during the day."),
            _("When a cramp starts, stand up and walk, or pull your toes up toward your knee."),
        ),
    )


def _get_help_section(result: Mapping[str, Any], use_kb_text: bool) -> Section:
    # Always printed, whatever the screening found: these signs need a doctor, not a stretch.
    reported = []
    for flag in result.get("red_flags") or []:
        if use_kb_text and printable(flag.get("patient_text")):
            text = printable(flag["patient_text"])
        elif flag.get("code") in wording.RED_FLAG_SENTENCES:
            text = str(wording.RED_FLAG_SENTENCES[flag["code"]])
        else:
            name = printable(flag.get("name") or flag.get("code"))
            text = str(wording.OTHER_RED_FLAG_SENTENCE) % {"name": name}
        urgency = wording.RED_FLAG_URGENCY_SENTENCES.get(flag.get("urgency"))
        reported.append(f"{text} {urgency}" if urgency else text)
    return Section(
        key="get_help",
        heading=_("When to get help"),
        paragraphs=(*reported, _("Get medical help right away if:")),
        bullets=(
            _("One leg is swollen, red, or warm."),
            _(
                "Your urine is dark and your muscles hurt or feel weak. This matters most if you take a statin."
            ),
            _("You have new weakness in your arms or legs."),
        ),
        closing=(_("See your doctor if your cramps are not better after two weeks."),),
        boxed=True,
    )


def _not_screened_section(result: Mapping[str, Any], lines: _Lines) -> Section | None:
    names = [lines.medication_name(i) for i in result.get("not_screened") or []]
    names += [
        printable(lines.supplements.get(i, {}).get("input"))
        for i in result.get("not_screened_supplements") or []
    ]
    bullets = tuple(
        _("Ask your pharmacist about: %(name)s") % {"name": name} for name in names if name
    )
    if not bullets:
        return None
    return Section(
        key="not_screened",
        heading=_("Lines we could not check"),
        paragraphs=(_("We could not read these lines, so we did not check them."),),
        bullets=bullets,
    )


def _footer(pharmacy: Pharmacy, knowledge_base_version: str) -> tuple[str, ...]:
    footer = [printable(pharmacy.name)]
    if printable(pharmacy.phone):
        footer.append(_("Phone: %(phone)s") % {"phone": printable(pharmacy.phone)})
    if printable(pharmacy.address):
        footer.append(printable(pharmacy.address))
    footer.append(
        _("Checked with knowledge base version %(version)s.")
        % {"version": printable(knowledge_base_version)}
    )
    footer.append(_("This sheet does not replace advice from your doctor or pharmacist."))
    return tuple(line for line in footer if line)
