"""What a handout says and how it prints, for every kind of screening result, built and
rendered directly (no worker, no database)."""

import datetime
import re

import pytest
from django.test import override_settings
from django.utils.translation import override

from screening.engine.terms import Severity, Urgency
from screening.handouts import wording
from screening.handouts.content import HandoutContent, Pharmacy, build_handout_content
from screening.handouts.html_rendering import render_html
from screening.handouts.paper import default_paper
from screening.handouts.pdf_rendering import render_pdf
from screening.handouts.readability import readability_grade
from tests.handouts.pdf_reading import pdf_page_sizes_mm, pdf_text, pdf_text_fonts, pdf_text_sizes
from tests.handouts.results import (
    ALL_PATHS,
    KIDNEYS_AND_QUININE,
    MANY_FINDINGS,
    NO_FINDINGS,
    TYPICAL,
    UNRECOGNISED_ONLY,
)

PHARMACY = Pharmacy(name="Farmacia Señal", phone="555-0100", address="1 Río Street")
DO_NOT_STOP = {
    "en": "Do not stop taking any medicine on your own.",
    "es": "No deje de tomar ningún medicamento por su cuenta.",
}
TALK_WITH_PRESCRIBER = {
    "en": "Talk with your prescriber before you change how you take a medicine.",
    "es": "Hable con su médico antes de cambiar la forma en que toma un medicamento.",
}


def build(result=TYPICAL, language="en", **overrides) -> HandoutContent:
    arguments = {
        "result": result,
        "language": language,
        "pharmacy": PHARMACY,
        "knowledge_base_version": "2026.11-test",
        "patient_name": "Ayşe Núñez",
        "pharmacist_name": "Bob",
        "date": datetime.date(2026, 11, 21),
        **overrides,
    }
    return build_handout_content(**arguments)


def all_text(content: HandoutContent) -> str:
    return re.sub(r"\s+", " ", content.plain_text())


def section(content: HandoutContent, key: str):
    return next((s for s in content.sections if s.key == key), None)


@pytest.mark.parametrize("path", ALL_PATHS)
def test_english_handouts_read_at_grade_six_or_lower_on_every_path(path):
    # given a screening result of each kind
    content = build(ALL_PATHS[path], "en")

    # when the whole handout text is scored
    grade = readability_grade(content.plain_text(), language="en")

    # then it reads at Flesch-Kincaid grade 6 or lower
    assert grade is not None and grade <= 6, f"{path}: grade {grade}\n{content.plain_text()}"


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", ALL_PATHS)
def test_the_do_not_stop_message_comes_first_on_every_path(path, language):
    content = build(ALL_PATHS[path], language)

    first = content.sections[0]
    assert first.key == "safety" and first.boxed
    assert first.paragraphs[:2] == (DO_NOT_STOP[language], TALK_WITH_PRESCRIBER[language])


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", ALL_PATHS)
def test_when_to_get_help_is_always_there_with_every_warning_sign(path, language):
    result = ALL_PATHS[path]
    get_help = section(build(result, language), "get_help")

    assert get_help.boxed
    printed = [line for group in get_help.entries for line in group.lines]
    assert sorted(printed) == sorted(sign.texts[language] for sign in result.warning_signs)
    assert len(printed) >= 5
    with override(language):
        assert get_help.entries[0].heading == str(wording.WARNING_SIGN_LEADS[Urgency.EMERGENCY])


def test_medicines_appear_by_the_name_the_patient_knows_without_directions():
    content = build(TYPICAL, "en")

    assert section(content, "your_medicines").bullets == (
        "metformin 500 mg",
        "hydrochlorothiazide 25 mg",
        "Lipitor 40 mg (atorvastatin)",
        "lisinopril 10 mg",
        "Slow-Mag",
        "Klor-Con 10 mEq",
    )
    medicines = section(content, "medicines")
    assert [entry.heading for entry in medicines.entries] == [
        "hydrochlorothiazide 25 mg",
        "Lipitor 40 mg (atorvastatin)",
    ]
    assert "1 po qam" not in all_text(content) and "at night" not in all_text(content)


def test_generic_names_on_a_spanish_handout_are_the_spanish_inn():
    content = build(TYPICAL, "es")

    assert "hidroclorotiazida 25 mg" not in section(content, "your_medicines").bullets
    assert (
        "hydrochlorothiazide 25 mg (hidroclorotiazida)"
        in section(content, "your_medicines").bullets
    )
    assert "Lipitor 40 mg (atorvastatina)" in section(content, "your_medicines").bullets


def test_each_link_is_explained_with_the_knowledge_base_text_and_its_evidence_in_plain_words():
    text = all_text(build(MANY_FINDINGS, "en"))

    for finding in MANY_FINDINGS.findings:
        assert finding.patient_text in text
    assert "Studies have not found a link with leg cramps." in text  # the beta-blocker


def test_a_line_read_with_doubt_asks_the_patient_to_check_it():
    medicines = section(build(MANY_FINDINGS, "en"), "medicines")

    atenolol = next(e for e in medicines.entries if e.heading.startswith("atenelol"))
    assert (
        "We are not sure we read this name right. Please check it with your pharmacist."
        in atenolol.lines
    )


def test_supplement_cautions_say_what_to_do_and_why():
    supplements = section(build(TYPICAL, "en"), "supplements")

    potassium = next(e for e in supplements.entries if e.heading == "Klor-Con 10 mEq")
    caution = next(c for c in TYPICAL.supplement_cautions if c.supplement == "potassium")
    assert caution.patient_text in potassium.lines
    assert any(line.startswith("What to do: ") for line in potassium.lines)
    assert "This matters because you also take: " in potassium.lines[-1]
    assert "lisinopril 10 mg" in potassium.lines[-1]


def test_several_cautions_about_one_supplement_make_one_entry_with_the_gravest_advice():
    supplements = section(build(KIDNEYS_AND_QUININE, "en"), "supplements")

    assert [e.heading for e in supplements.entries] == [
        "magnesium oxide 400 mg",
        "quinine 300 mg",
    ]
    magnesium = supplements.entries[0]
    magnesium_cautions = [
        c for c in KIDNEYS_AND_QUININE.supplement_cautions if c.supplement == "magnesium"
    ]
    assert len(magnesium_cautions) > 1
    for caution in magnesium_cautions:
        assert caution.patient_text in magnesium.lines
    gravest = min(c.severity.rank for c in magnesium_cautions)
    assert [line for line in magnesium.lines if line.startswith("What to do:")] == [
        "What to do: "
        + str(wording.CAUTION_SENTENCES[[s for s in Severity if s.rank == gravest][0]])
    ]


def test_the_knowledge_bases_pharmacist_facing_action_is_not_printed():
    text = all_text(build(TYPICAL, "en"))

    for caution in TYPICAL.supplement_cautions:
        assert caution.action not in text


def test_self_care_is_offered_without_promising_a_cure():
    self_care = section(build(TYPICAL, "en"), "self_care")

    assert "Stretch your calf muscles for a few minutes before bed." in self_care.bullets
    assert "They do not work for everyone." in self_care.paragraphs[0]
    assert not re.search(r"\b(cure|guarantee|will stop)\b", all_text(build(TYPICAL, "en")), re.I)


def test_the_screenings_own_red_flags_join_the_get_help_section():
    get_help = section(build(MANY_FINDINGS, "en"), "get_help")

    dark_urine = next(f for f in MANY_FINDINGS.red_flags if f.code.startswith("dark_urine"))
    assert get_help.paragraphs[0] == f"{dark_urine.patient_text} Get medical help right away."


def test_lines_that_were_not_screened_send_the_patient_to_the_pharmacist():
    content = build(UNRECOGNISED_ONLY, "en")

    assert section(content, "not_screened").bullets == (
        "Ask your pharmacist about: the little white pill",
        "Ask your pharmacist about: <b>asdfgh</b>",
        "Ask your pharmacist about: herbal tea",
    )
    assert section(content, "medicines").paragraphs == (
        "We could not check the medicines on your list.",
    )
    assert section(build(NO_FINDINGS, "en"), "medicines").paragraphs == (
        "We did not find a medicine on your list that is linked to leg cramps.",
    )


def test_the_footer_names_the_pharmacy_its_phone_and_the_knowledge_base_version():
    content = build(TYPICAL, "en")

    assert content.footer[0] == "Farmacia Señal · Phone: 555-0100 · 1 Río Street"
    assert "Checked with knowledge base version 2026.11-test." in content.footer
    assert "Date: Nov. 21, 2026" in content.details


def test_spanish_safety_self_care_and_get_help_are_fully_translated():
    # given the same screening in both languages
    english, spanish = build(TYPICAL, "en"), build(TYPICAL, "es")

    # then no English sentence is left in the Spanish safety, self-care or help text
    for key in ("safety", "self_care", "get_help"):
        english_section, spanish_section = section(english, key), section(spanish, key)
        english_sentences = {
            english_section.heading,
            *english_section.paragraphs,
            *english_section.bullets,
        }
        spanish_sentences = {
            spanish_section.heading,
            *spanish_section.paragraphs,
            *spanish_section.bullets,
        }
        assert not english_sentences & spanish_sentences, key
    assert "Fecha: 21 de noviembre de 2026" in spanish.details


def test_a_text_missing_in_the_handout_language_is_printed_in_english_and_says_so():
    # given a stored result whose finding lost its Spanish wording
    finding = TYPICAL.findings[0]
    texts = {"en": finding.patient_text}
    result = TYPICAL.model_copy(
        update={"findings": (finding.model_copy(update={"patient_texts": texts}),)}
    )

    medicines = section(build(result, "es"), "medicines")

    # then the English sentence is there, with a Spanish note, never dropped
    line = medicines.entries[0].lines[0]
    assert line.startswith(finding.patient_text)
    assert "Esta frase solo está disponible en inglés." in line


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_says_it_all_with_every_accent_intact(language):
    # given a handout whose names need more than Latin-1
    content = build(TYPICAL, language, patient_name="Ayşe İğdır Núñez")

    # when it is rendered to PDF and read back
    text = pdf_text(render_pdf(content, paper="a4").data)

    # then the safety message, the names as entered and the generic names are all there
    assert DO_NOT_STOP[language] in text
    assert TALK_WITH_PRESCRIBER[language] in text
    generic = {"en": "atorvastatin", "es": "atorvastatina"}[language]
    for name in ("Ayşe İğdır Núñez", "hydrochlorothiazide 25 mg", "Lipitor 40 mg", generic):
        assert name in text
    assert "Farmacia Señal" in text and "Zumo de ñame" in text


def test_the_pdf_embeds_dejavu_sans_and_uses_no_type_smaller_than_12_point():
    data = render_pdf(build(MANY_FINDINGS, "es"), paper="letter").data

    fonts = pdf_text_fonts(data)
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts
    assert min(pdf_text_sizes(data)) >= 12


@pytest.mark.parametrize("paper, size_mm", [("a4", (210, 297)), ("letter", (216, 279))])
def test_the_pdf_comes_in_a4_and_us_letter(paper, size_mm):
    data = render_pdf(build(TYPICAL, "en"), paper=paper).data

    assert pdf_page_sizes_mm(data) == {size_mm}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_typical_list_fits_on_one_or_two_pages(language, paper):
    # given about five medicines, two findings and two supplement cautions
    rendered = render_pdf(build(TYPICAL, language), paper=paper)

    assert 1 <= rendered.page_count <= 2


def test_markup_in_names_and_lines_is_printed_as_text_never_obeyed():
    content = build(UNRECOGNISED_ONLY, "en", patient_name="<i>Ann</i> & Co")

    html = render_html(content, paper="a4")
    pdf = pdf_text(render_pdf(content, paper="a4").data)

    assert "<b>asdfgh</b>" not in html and "&lt;b&gt;asdfgh&lt;/b&gt;" in html
    assert "&lt;i&gt;Ann&lt;/i&gt; &amp; Co" in html
    assert "Ask your pharmacist about: <b>asdfgh</b>" in pdf and "<i>Ann</i> & Co" in pdf


def test_control_characters_in_a_line_are_dropped_not_printed():
    line = UNRECOGNISED_ONLY.medications[0].model_copy(update={"input": "pill\u0000\u202eabc"})
    result = UNRECOGNISED_ONLY.model_copy(
        update={"medications": (line,), "not_screened": (0,), "not_screened_supplements": ()}
    )

    content = build(result, "en")

    assert section(content, "not_screened").bullets == ("Ask your pharmacist about: pill abc",)
    render_pdf(content, paper="a4")


def test_the_html_is_one_page_in_the_handout_language_with_12_point_body_text():
    html = render_html(build(TYPICAL, "es"), paper="letter")

    assert '<html lang="es" dir="ltr">' in html
    assert "html { font-size: 12pt; }" in html and "size: letter" in html
    assert html.index("No deje de tomar ningún medicamento") < html.index(
        "Sus medicamentos y los calambres</h2>"
    )


def test_paper_defaults_to_the_languages_choice_unless_the_site_sets_one():
    assert default_paper("en") == "letter"
    with override_settings(HANDOUT_DEFAULT_PAPER="a4"):
        assert default_paper("en") == "a4"
        assert default_paper("es") == "a4"


def test_spanish_readability_is_scored_with_a_spanish_grade_formula():
    grade = readability_grade(build(TYPICAL, "es").plain_text(), language="es")

    assert grade is not None and grade <= 6
    assert readability_grade("Some text.", language="xx") is None


def test_spanish_red_flags_are_told_in_the_knowledge_bases_spanish_wording():
    get_help = section(build(MANY_FINDINGS, "es"), "get_help")

    dark_urine = next(f for f in MANY_FINDINGS.red_flags if f.code.startswith("dark_urine"))
    assert get_help.paragraphs[0].startswith(dark_urine.patient_texts["es"])
    with override("es"):
        urgency = str(wording.RED_FLAG_URGENCY_SENTENCES[dark_urine.urgency])
    assert get_help.paragraphs[0].endswith(urgency)
