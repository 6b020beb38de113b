"""Lines that come with codes: RxNorm, ATC, and systems the engine does not know."""

import pytest

from screening.engine import ATC, RXNORM, Coding

SNOMED = "http://snomed.info/sct"


@pytest.mark.parametrize(
    ("coding", "ingredients", "method"),
    [
        (Coding(RXNORM, "4603"), ["furosemide"], "code_rxnorm"),
        (Coding(RXNORM, "5487"), ["hydrochlorothiazide"], "code_rxnorm"),
        (Coding("urn:oid:2.16.840.1.113883.6.88", "6918"), ["metoprolol"], "code_rxnorm"),
        (Coding(RXNORM + "/", " 83367 "), ["atorvastatin"], "code_rxnorm"),
        (Coding(ATC, "C03CA01"), ["furosemide"], "code_atc"),
        (Coding(ATC, "c03aa03"), ["hydrochlorothiazide"], "code_atc"),
        (Coding("urn:oid:2.16.840.1.113883.6.73", "C10AA05"), ["atorvastatin"], "code_atc"),
    ],
)
def test_a_full_code_matches_its_ingredient_without_any_text(read, coding, ingredients, method):
    resolution = read("", coding=(coding,))

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ingredients
    assert resolution.match.method == method
    assert resolution.match.matched_text == coding.code.strip().upper()
    assert resolution.reason is None


def test_a_product_rxcui_matches_the_product(read):
    resolution = read("", coding=(Coding(RXNORM, "866436"),))

    assert resolution.product == "Toprol XL"
    assert list(resolution.ingredients) == ["metoprolol"]


def test_a_code_that_agrees_with_the_text_keeps_the_product_from_the_text(read):
    resolution = read("Lasix 40 mg", coding=(Coding(RXNORM, "4603"),))

    assert resolution.match.method == "code_rxnorm"
    assert resolution.product == "Lasix"
    assert resolution.reason is None


def test_when_code_and_text_disagree_the_code_wins_and_says_so(read):
    # given a line whose text says metoprolol but whose code says furosemide
    resolution = read("metoprolol 25mg", coding=(Coding(RXNORM, "4603"),))

    # then the code is used and the disagreement is explained
    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["furosemide"]
    assert "metoprolol" in resolution.reason
    assert "the code was used" in resolution.reason


def test_the_first_coding_that_names_a_medicine_wins(read):
    coding = (Coding(SNOMED, "12345"), Coding(RXNORM, "999999"), Coding(ATC, "C07AB02"))

    resolution = read("", coding=coding)

    assert list(resolution.ingredients) == ["metoprolol"]
    assert resolution.match.method == "code_atc"


def test_a_class_level_atc_code_counts_for_its_class_but_needs_confirmation(read):
    resolution = read("water tablet", coding=(Coding(ATC, "C03AA"),))

    assert resolution.status == "probable"
    assert resolution.ingredients == ()
    assert list(resolution.drug_classes) == ["thiazide_diuretic"]
    assert resolution.match.method == "code_atc_class"
    assert "ATC C03AA" in resolution.reason
    assert "confirm which medicine" in resolution.reason


def test_an_unknown_full_atc_code_inside_a_known_class_counts_for_the_class(read):
    resolution = read("", coding=(Coding(ATC, "C03AA99"),))

    assert resolution.status == "probable"
    assert list(resolution.drug_classes) == ["thiazide_diuretic"]


def test_a_class_level_code_and_a_text_of_that_class_is_read_from_the_text(read):
    resolution = read("hydrochlorothiazide 25 mg", coding=(Coding(ATC, "C03AA"),))

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["hydrochlorothiazide"]
    assert resolution.match.method == "exact_ingredient"


def test_a_class_level_code_that_disagrees_with_the_text_says_so(read):
    resolution = read("metoprolol", coding=(Coding(ATC, "C03AA"),))

    assert resolution.status == "probable"
    assert list(resolution.drug_classes) == ["thiazide_diuretic"]
    assert "metoprolol" in resolution.reason


@pytest.mark.parametrize("system", [SNOMED, "urn:oid:1.2.3", "", "<b>nope</b>"])
def test_an_unknown_coding_system_without_a_readable_name_is_unrecognized_and_named(read, system):
    resolution = read("", coding=(Coding(system, "12345"),))

    assert resolution.status == "unrecognized"
    assert (system or "(no system)") in resolution.reason


def test_an_unknown_coding_system_with_a_readable_name_is_matched_by_text(read):
    resolution = read("Lasix 40mg", coding=(Coding(SNOMED, "12345"),))

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["furosemide"]
    assert resolution.match.method == "exact_product"
    assert SNOMED in resolution.reason
    assert "read from the text" in resolution.reason


def test_a_known_system_with_a_code_not_in_the_knowledge_base_falls_back_to_the_text(read):
    # e.g. a clinical-drug RxCUI (SCD) rather than an ingredient RxCUI
    resolution = read("furosemide 40 mg", coding=(Coding(RXNORM, "310429"),))

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["furosemide"]
    assert "RxNorm 310429 is not in the knowledge base" in resolution.reason


def test_a_known_system_with_an_unknown_code_and_no_text_is_unrecognized(read):
    resolution = read("", coding=(Coding(RXNORM, "310429"),))

    assert resolution.status == "unrecognized"
    assert "RxNorm 310429" in resolution.reason


def test_control_characters_in_a_code_are_not_echoed(read):
    resolution = read("", coding=(Coding("urn:x\x00\x1b[31m", "1"),))

    assert resolution.status == "unrecognized"
    assert "\x00" not in resolution.reason
    assert "\x1b" not in resolution.reason
