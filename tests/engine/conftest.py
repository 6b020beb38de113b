"""A small knowledge base of our own, so engine tests never depend on the curated files.

It has the shape of docs/knowledge_base.md. Clinical texts are short placeholders; the
codes are the real RxNorm ingredient RxCUIs and WHO ATC codes for these ingredients.
"""

import copy

import pytest

from screening.engine import LineInput, ScreeningRequest, build_index, resolve_line, screen
from screening.engine.inputs import NO_TERMINOLOGY

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"


def _reference(key: str, kind: str = "label") -> dict:
    return {
        "key": key,
        "citation": f"Citation for {key}.",
        "url": f"https://example.org/{key}",
        "kind": kind,
        "evidence_level": "Product label" if kind == "label" else "Observational study",
    }


def _drug_class(
    slug: str, atc_codes: list[str], cramp_linked: bool, strength: str, refs: list[str]
) -> dict:
    return {
        "slug": slug,
        "name": slug.replace("_", " ").capitalize(),
        "atc_codes": atc_codes,
        "cramp_linked": cramp_linked,
        "evidence": {
            "strength": strength,
            "summary": f"Evidence summary for {slug}.",
            "references": refs,
        },
        "mechanism": f"Mechanism for {slug}.",
        "patient_text": f"Patient text for {slug}.",
        "references": refs,
    }


def _ingredient(name, classes, rxcui, atc, synonyms=(), salts=()) -> dict:
    return {
        "name": name,
        "synonyms": list(synonyms),
        "salts": list(salts),
        "rxcui": rxcui,
        "atc": list(atc),
        "classes": list(classes),
    }


def _product(name, ingredients, kind="brand", rxcui=None, release=None) -> dict:
    product = {
        "name": name,
        "ingredients": ingredients,
        "kind": kind,
        "markets": ["US"],
        "release": release,
    }
    if rxcui:
        product["rxcui"] = rxcui
    return product


def _texts(key: str) -> dict:
    return {
        "mechanism": f"Mechanism of {key}.",
        "message": f"Message for {key}.",
        "action": f"Action for {key}.",
        "patient_text": f"Patient text for {key}.",
    }


def _caution(key, supplement, severity, refs, **when) -> dict:
    return {
        "key": key,
        "supplement": supplement,
        "severity": severity,
        **when,
        **_texts(key),
        "references": refs,
    }


SNAPSHOT = {
    "references": [
        _reference("garrison2012", "study"),
        _reference("hctz_label"),
        _reference("statin_label"),
        _reference("spironolactone_label"),
        _reference("simvastatin_label"),
        _reference("beta_blocker_review", "review"),
        _reference("ismp_confused_names", "list"),
        _reference("cochrane_magnesium", "review"),
        _reference("kdigo_potassium", "guideline"),
    ],
    "drug_classes": [
        _drug_class(
            "thiazide_diuretic", ["C03AA", "C03BA"], True, "strong", ["garrison2012", "hctz_label"]
        ),
        _drug_class("loop_diuretic", ["C03CA"], True, "moderate", ["garrison2012"]),
        _drug_class("statin", ["C10AA"], True, "moderate", ["statin_label"]),
        _drug_class("beta_blocker", ["C07AB"], True, "none", ["beta_blocker_review"]),
        _drug_class(
            "potassium_sparing_diuretic",
            ["C03DA", "C03DB"],
            False,
            "not_applicable",
            ["spironolactone_label"],
        ),
        _drug_class("ace_inhibitor", ["C09AA"], False, "not_applicable", []),
        _drug_class("arb", ["C09CA"], False, "not_applicable", []),
        _drug_class("strong_cyp3a4_inhibitor", [], False, "not_applicable", []),
        _drug_class("fluoroquinolone", ["J01MA"], False, "not_applicable", []),
    ],
    "ingredients": [
        _ingredient(
            "furosemide",
            ["loop_diuretic"],
            "4603",
            ["C03CA01"],
            synonyms=["frusemide"],
            salts=["sodium"],
        ),
        _ingredient("torsemide", ["loop_diuretic"], "38413", ["C03CA04"], synonyms=["torasemide"]),
        _ingredient(
            "hydrochlorothiazide",
            ["thiazide_diuretic"],
            "5487",
            ["C03AA03"],
            synonyms=["HCTZ", "HCT"],
        ),
        _ingredient(
            "chlorthalidone", ["thiazide_diuretic"], "2409", ["C03BA04"], synonyms=["chlortalidone"]
        ),
        _ingredient("metolazone", ["thiazide_diuretic"], "6916", ["C03BA08"]),
        _ingredient(
            "amiloride", ["potassium_sparing_diuretic"], "644", ["C03DB01"], salts=["hydrochloride"]
        ),
        _ingredient("spironolactone", ["potassium_sparing_diuretic"], "9997", ["C03DA01"]),
        _ingredient("lisinopril", ["ace_inhibitor"], "29046", ["C09AA03"]),
        _ingredient("losartan", ["arb"], "52175", ["C09CA01"], salts=["potassium"]),
        _ingredient("atorvastatin", ["statin"], "83367", ["C10AA05"], salts=["calcium"]),
        _ingredient("simvastatin", ["statin"], "36567", ["C10AA01"]),
        _ingredient("ezetimibe", [], "341248", ["C10AX09"]),
        _ingredient("amlodipine", [], "17767", ["C08CA01"], salts=["besylate"]),
        _ingredient(
            "metoprolol", ["beta_blocker"], "6918", ["C07AB02"], salts=["succinate", "tartrate"]
        ),
        _ingredient("bisoprolol", ["beta_blocker"], "19484", ["C07AB07"], salts=["fumarate"]),
        _ingredient("atenolol", ["beta_blocker"], "1202", ["C07AB03"]),
        _ingredient("hydralazine", [], "5470", ["C02DB02"], salts=["hydrochloride"]),
        _ingredient("hydroxyzine", [], "5553", ["N05BB01"], salts=["hydrochloride", "pamoate"]),
        _ingredient("clarithromycin", ["strong_cyp3a4_inhibitor"], "21212", ["J01FA09"]),
        _ingredient(
            "ciprofloxacin", ["fluoroquinolone"], "2551", ["J01MA02"], salts=["hydrochloride"]
        ),
        _ingredient("isoniazid", [], "6038", ["J04AC01"], synonyms=["INH"]),
        _ingredient("albuterol", [], "435", ["R03AC02"], synonyms=["salbutamol"]),
    ],
    "products": [
        _product("Lasix", ["furosemide"]),
        _product("Furosemide", ["furosemide"], kind="generic"),  # named after its only ingredient
        _product("Demadex", ["torsemide"]),
        _product("Zestoretic", ["hydrochlorothiazide", "lisinopril"]),
        _product("Hyzaar", ["hydrochlorothiazide", "losartan"]),
        _product("co-amilofruse", ["amiloride", "furosemide"], kind="co_name"),
        _product("Tenoretic", ["atenolol", "chlorthalidone"]),
        _product("Tenormin", ["atenolol"]),
        _product("Toprol XL", ["metoprolol"], rxcui="866436", release="extended"),
        _product("Zetia", ["ezetimibe"]),
        _product("Zebeta", ["bisoprolol"]),
        _product("Vytorin", ["ezetimibe", "simvastatin"]),
        _product("Caduet", ["amlodipine", "atorvastatin"]),
        _product("Lipitor", ["atorvastatin"]),
        _product("Aldactone", ["spironolactone"]),
    ],
    "supplements": [
        {
            "slug": "potassium",
            "name": "Potassium",
            "synonyms": ["potassium supplement", "KCl"],
            "forms": ["potassium chloride", "potassium citrate"],
            "products": ["Klor-Con", "Klor-Con M20", "K-Dur", "Slow-K"],
            "references": ["kdigo_potassium"],
        },
        {
            "slug": "magnesium",
            "name": "Magnesium",
            "synonyms": ["magnesium supplement"],
            "forms": ["magnesium oxide", "magnesium citrate"],
            "products": ["Mag-Ox 400", "Slow-Mag"],
            "references": ["cochrane_magnesium"],
        },
        {
            "slug": "calcium",
            "name": "Calcium",
            "forms": ["calcium carbonate", "calcium citrate"],
            "products": ["Tums"],
        },
        {"slug": "vitamin_d", "name": "Vitamin D", "synonyms": ["vitamin D3", "cholecalciferol"]},
        {
            "slug": "calcium_with_vitamin_d",
            "name": "Calcium with vitamin D",
            "products": ["Caltrate 600+D", "Os-Cal with D"],
            "also": ["calcium", "vitamin_d"],
        },
        {"slug": "red_yeast_rice", "name": "Red yeast rice", "synonyms": ["monascus"]},
    ],
    "supplement_cautions": [
        _caution(
            "potassium_with_potassium_sparing_diuretic",
            "potassium",
            "critical",
            ["spironolactone_label"],
            drug_class="potassium_sparing_diuretic",
        ),
        _caution(
            "potassium_with_ace_inhibitor",
            "potassium",
            "warning",
            ["kdigo_potassium"],
            drug_class="ace_inhibitor",
        ),
        _caution(
            "potassium_with_arb", "potassium", "warning", ["kdigo_potassium"], drug_class="arb"
        ),
        _caution(
            "potassium_with_low_egfr",
            "potassium",
            "critical",
            ["kdigo_potassium"],
            condition="egfr_below_30",
        ),
        _caution(
            "potassium_with_reduced_egfr",
            "potassium",
            "warning",
            ["kdigo_potassium"],
            condition="egfr_below_60",
        ),
        _caution(
            "magnesium_with_low_egfr",
            "magnesium",
            "warning",
            ["cochrane_magnesium"],
            condition="egfr_below_30",
        ),
        _caution(
            "magnesium_evidence",
            "magnesium",
            "info",
            ["cochrane_magnesium"],
            condition="any_patient",
        ),
        _caution(
            "magnesium_with_ciprofloxacin",
            "magnesium",
            "warning",
            ["cochrane_magnesium"],
            ingredient="ciprofloxacin",
        ),
        _caution(
            "calcium_with_thiazide",
            "calcium",
            "warning",
            ["hctz_label"],
            drug_class="thiazide_diuretic",
        ),
        _caution(
            "vitamin_d_with_thiazide",
            "vitamin_d",
            "info",
            ["hctz_label"],
            drug_class="thiazide_diuretic",
        ),
        _caution(
            "red_yeast_rice_with_statin",
            "red_yeast_rice",
            "warning",
            ["statin_label"],
            drug_class="statin",
        ),
    ],
    "interactions": [
        {
            "key": "simvastatin_strong_cyp3a4",
            "left": {"ingredients": ["simvastatin"]},
            "right": {"drug_classes": ["strong_cyp3a4_inhibitor"]},
            "severity": "critical",
            **_texts("simvastatin_strong_cyp3a4"),
            "references": ["simvastatin_label"],
        },
        {
            "key": "loop_with_thiazide",
            "left": {"drug_classes": ["loop_diuretic"]},
            "right": {"drug_classes": ["thiazide_diuretic"]},
            "severity": "warning",
            **_texts("loop_with_thiazide"),
            "references": ["garrison2012"],
        },
        {
            "key": "ace_inhibitor_with_potassium_sparing",
            "left": {"drug_classes": ["ace_inhibitor"]},
            "right": {"drug_classes": ["potassium_sparing_diuretic"]},
            "severity": "warning",
            **_texts("ace_inhibitor_with_potassium_sparing"),
            "references": ["spironolactone_label"],
        },
    ],
    "symptoms": [
        {"code": "dark_urine", "label": "Dark urine", "patient_label": "Dark (brown) pee"},
        {"code": "muscle_weakness", "label": "Muscle weakness", "patient_label": "Weak muscles"},
        {
            "code": "calf_swelling_one_side",
            "label": "One calf swollen",
            "patient_label": "One leg swollen",
        },
        {"code": "night_cramps", "label": "Night-time cramps", "patient_label": "Cramps at night"},
    ],
    "red_flags": [
        {
            "code": "dark_urine_muscle_pain",
            "name": "Dark urine with muscle pain or weakness",
            "symptoms": ["dark_urine", "muscle_weakness"],
            "urgency": "same_day",
            "urgency_with_related_class": "emergency",
            "related_classes": ["statin"],
            "message": "Possible rhabdomyolysis.",
            "patient_text": "Get care today.",
            "references": ["statin_label"],
        },
        {
            "code": "one_sided_calf_swelling",
            "name": "One swollen, painful calf",
            "symptoms": ["calf_swelling_one_side"],
            "urgency": "emergency",
            "related_classes": [],
            "message": "Possible deep vein thrombosis.",
            "patient_text": "Get care now.",
            "references": [],
        },
    ],
    "look_alike_names": [
        {"names": ["metoprolol", "metolazone"], "reference": "ismp_confused_names"},
        {"names": ["hydralazine", "hydroxyzine"], "reference": "ismp_confused_names"},
        {"names": ["Zetia", "Zebeta"], "reference": "ismp_confused_names"},
        {"names": ["Tenormin", "Tenoretic"], "reference": "ismp_confused_names"},
        {"names": ["furosemide", "torsemide"], "reference": "ismp_confused_names"},
    ],
    "advice": [
        {
            "key": "do_not_stop",
            "section": "counselling",
            "when": "always",
            "text": "Do not stop taking any of your medicines on your own.",
        },
        {
            "key": "talk_with_prescriber",
            "section": "counselling",
            "when": "always",
            "text": "Talk with your prescriber about your leg cramps. Bring this list with you.",
        },
        {
            "key": "get_care_for_warning_signs",
            "section": "counselling",
            "when": "red_flags",
            "text": "Get care for the warning signs.",
        },
        {
            "key": "ask_before_supplements",
            "section": "counselling",
            "when": "supplement_cautions",
            "text": "Ask before supplements.",
        },
        {
            "key": "show_unchecked_items",
            "section": "counselling",
            "when": "not_screened",
            "text": "Show the unchecked items.",
        },
        {"key": "keep_list_up_to_date", "section": "counselling", "text": "Keep a list."},
        {"key": "stretch", "section": "self_care", "text": "Stretch before bed."},
        {
            "key": "swollen_leg",
            "section": "warning_signs",
            "urgency": "emergency",
            "text": "One leg is swollen.",
        },
    ],
    "ambiguous_names": [
        {"name": "Urex", "reason": "Furosemide in Australia; methenamine in the US."},
    ],
    "external_names": [
        {"name": "tylenol", "ingredients": ["acetaminophen"]},
        {"name": "acetaminophen", "ingredients": ["acetaminophen"]},
        {"name": "tylenol with codeine", "ingredients": ["acetaminophen", "codeine phosphate"]},
        {"name": "pantoprazole", "ingredients": ["pantoprazole sodium"]},
        {"name": "zanaflex", "ingredients": ["tizanidine hydrochloride"]},
        {"name": "zocor", "ingredients": ["simvastatin"]},
        {"name": "acetaminophene", "ingredients": ["acetaminophen"]},
        # Curated names win over the external vocabulary.
        {"name": "lasix", "ingredients": ["bumetanide"]},
        # One slip from a curated name of another medicine; and another language's
        # spelling of a curated one.
        {"name": "atorvastatim", "ingredients": ["rosuvastatin"]},
        {"name": "spironolactona", "ingredients": ["spironolactone"]},
        # One name for two different medicines: dropped.
        {"name": "triatec", "ingredients": ["ramipril"]},
        {"name": "triatec", "ingredients": ["acetaminophen", "codeine"]},
    ],
}


@pytest.fixture(scope="session")
def snapshot() -> dict:
    return copy.deepcopy(SNAPSHOT)


@pytest.fixture(scope="session")
def index(snapshot):
    return build_index(snapshot, version="test-1")


@pytest.fixture(scope="session")
def read(index):
    """Read one medication line: read("Lasix 40 mg") -> LineResolution."""

    def read_line(text, coding=(), list_kind="medications", terminology=NO_TERMINOLOGY):
        return resolve_line(index, text, coding, list_kind, terminology)

    return read_line


@pytest.fixture(scope="session")
def screen_lists(index):
    """Screen lists given as plain strings: screen_lists(["Lasix"], ["Klor-Con"], patient)."""

    def run(medications, supplements=(), patient=None):
        request = ScreeningRequest(
            medications=tuple(
                LineInput(text) if isinstance(text, str) else text for text in medications
            ),
            supplements=tuple(
                LineInput(text) if isinstance(text, str) else text for text in supplements
            ),
            patient=patient,
        )
        return screen(index, request).stored()

    return run
