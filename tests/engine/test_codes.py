"""Lines that come with codes: RxNorm, ATC, and systems the engine does not know."""

import pytest

from screening.engine import ATC, NDC, RXNORM, Coding, ProductCode, Terminology

SNOMED = "http://snomed.info/sct"

# What an RxNorm release says about a few products, as the service hands it to the engine.
# Codes from public sources (docs/rxnorm.md): Synthea's medication tables, RxNav examples,
# openFDA's NDC directory.
HCTZ_25_TAB = ProductCode(
    "310798", "hydrochlorothiazide 25 MG Oral Tablet", "SCD", (("5487", "hydrochlorothiazide"),)
)
ZESTORETIC = ProductCode(
    "823971",
    "hydrochlorothiazide 25 MG / lisinopril 20 MG Oral Tablet [Zestoretic]",
    "SBD",
    (("5487", "hydrochlorothiazide"), ("29046", "lisinopril")),
)


@pytest.fixture
def terminology():
    return Terminology(
        release="2026-11-02",
        rxnorm={"310798": HCTZ_25_TAB, "823971": ZESTORETIC},
        ndc={"68071481901": HCTZ_25_TAB},
    )


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


def test_a_code_contradicted_by_its_text_is_flagged_not_silently_preferred(read):
    # given a line whose text says metoprolol but whose code says furosemide
    resolution = read("metoprolol 25mg", coding=(Coding(RXNORM, "4603"),))

    # then it counts as the code reads, for the pharmacist to confirm, with both offered
    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["furosemide"]
    assert "RxNorm 4603 reads as furosemide but the text reads as metoprolol" in resolution.reason
    assert resolution.confirmation_choices() == ("furosemide", "metoprolol")


def test_a_code_contradicted_by_its_own_display_is_flagged(read):
    coding = Coding(RXNORM, "4603", display="Simvastatin 20 MG Oral Tablet")

    resolution = read("", coding=(coding,))

    assert resolution.status == "probable"
    assert "the coding's display reads as simvastatin" in resolution.reason


def test_two_codes_of_one_line_naming_different_medicines_are_flagged(read):
    # no display, no text: only the codes disagree (a mapping error in the sender's system)
    resolution = read("", coding=(Coding(RXNORM, "4603"), Coding(ATC, "C10AA05")))

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["furosemide"]
    assert "RxNorm 4603 reads as furosemide but ATC C10AA05 reads as atorvastatin" in (
        resolution.reason
    )
    assert resolution.confirmation_choices() == ("furosemide", "atorvastatin")


@pytest.mark.parametrize(
    "coding",
    [
        (Coding(RXNORM, "4603"), Coding(ATC, "C03CA01")),  # the same medicine in two systems
        (Coding(RXNORM, "866436"), Coding(RXNORM, "6918")),  # a product and its ingredient
    ],
)
def test_codes_that_agree_read_as_one(read, coding):
    resolution = read("", coding=coding)

    assert resolution.status == "matched"
    assert resolution.reason is None


def test_a_display_naming_part_of_a_coded_combination_is_no_contradiction(read, terminology):
    # Zestoretic's code, with a display that names only one of its two ingredients
    coding = Coding(RXNORM, "823971", display="lisinopril 20 MG")

    resolution = read("", coding=(coding,), terminology=terminology)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["hydrochlorothiazide", "lisinopril"]


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


def test_a_product_code_without_a_release_or_display_says_a_release_is_needed(read):
    resolution = read("", coding=(Coding(RXNORM, "310429"),))

    assert resolution.status == "unrecognized"
    assert "RxNorm 310429" in resolution.reason
    assert "RxNorm product codes need an RxNorm release: see README" in resolution.reason


def test_control_characters_in_a_code_are_not_echoed(read):
    resolution = read("", coding=(Coding("urn:x\x00\x1b[31m", "1"),))

    assert resolution.status == "unrecognized"
    assert "\x00" not in resolution.reason
    assert "\x1b" not in resolution.reason


# --- Product codes and NDCs, through an RxNorm release ------------------------------------


def test_a_clinical_drug_code_reads_as_its_ingredients_with_strength_and_route(read, terminology):
    resolution = read("", coding=(Coding(RXNORM, "310798"),), terminology=terminology)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["hydrochlorothiazide"]
    assert list(resolution.drug_classes) == ["thiazide_diuretic"]
    assert resolution.match.method == "code_rxnorm"
    assert resolution.known_as == "hydrochlorothiazide 25 MG"
    assert resolution.route == "oral"


def test_a_branded_drug_code_names_its_brand_and_both_ingredients(read, terminology):
    resolution = read("", coding=(Coding(RXNORM, "823971"),), terminology=terminology)

    assert resolution.product == "Zestoretic"
    assert list(resolution.ingredients) == ["hydrochlorothiazide", "lisinopril"]


@pytest.mark.parametrize("ndc", ["68071-4819-1", "68071-4819-01", "68071481901"])
def test_an_ndc_in_any_written_form_reads_through_the_release(read, terminology, ndc):
    resolution = read("", coding=(Coding(NDC, ndc),), terminology=terminology)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["hydrochlorothiazide"]
    assert resolution.match.method == "code_ndc"


def test_an_ndc_without_a_release_is_read_from_its_display(read):
    coding = Coding(NDC, "68071-4819-1", display="Hydrochlorothiazide 25 MG Oral Tablet")

    resolution = read("", coding=(coding,))

    assert resolution.status == "matched"
    assert resolution.match.method == "coding_display"
    assert "NDCs need an RxNorm release" in resolution.reason


@pytest.mark.parametrize("written", ["12-34", "6807-14819-1", "abcdefghij", "123456789012"])
def test_something_that_is_not_an_ndc_is_named_as_such(read, terminology, written):
    resolution = read("", coding=(Coding(NDC, written),), terminology=terminology)

    assert resolution.status == "unrecognized"
    assert "is not an NDC" in resolution.reason


def test_an_unknown_product_code_is_read_from_its_display_and_says_so(read):
    # the issue's own example: a Synthea line, sent as a code with its display
    coding = Coding(RXNORM, "310798", display="Hydrochlorothiazide 25 MG Oral Tablet")

    resolution = read("", coding=(coding,))

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["hydrochlorothiazide"]
    assert resolution.match.method == "coding_display"
    assert resolution.known_as == "Hydrochlorothiazide 25 MG"
    assert "read from the coding's display" in resolution.reason


def test_a_code_from_a_system_we_do_not_know_is_kept_and_its_display_read(read):
    coding = Coding(SNOMED, "12345", display="Furosemide 40mg tablets")

    resolution = read("", coding=(coding,))

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["furosemide"]
    assert resolution.coding[0].code == "12345"
    assert SNOMED in resolution.reason


def test_text_and_display_that_name_different_medicines_are_flagged(read):
    coding = Coding(SNOMED, "1", display="Simvastatin 20 MG Oral Tablet")

    resolution = read("furosemide 40 mg", coding=(coding,))

    assert resolution.status == "probable"
    assert "the text reads as furosemide but the coding's display reads as simvastatin" in (
        resolution.reason
    )


def test_a_misspelt_display_is_probable_never_matched(read):
    coding = Coding(SNOMED, "1", display="Furosimide 40 MG Oral Tablet")

    resolution = read("", coding=(coding,))

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["furosemide"]
