"""The curated knowledge base covers what a clinical pharmacist would sign off."""

from collections import Counter, defaultdict
from pathlib import Path

import pytest

from screening.knowledge.files import read_knowledge_base
from screening.knowledge.validation import validate_knowledge_base

KB = read_knowledge_base(Path(__file__).resolve().parents[2] / "fixtures" / "knowledge_base")
ENTRIES = KB.entries
INGREDIENTS = {i["name"]: i for i in ENTRIES["ingredients"]}
PRODUCTS = {p["name"]: p for p in ENTRIES["products"]}
CLASS_MEMBERS: dict[str, set[str]] = defaultdict(set)
for _ingredient in ENTRIES["ingredients"]:
    for _slug in _ingredient.get("classes") or []:
        CLASS_MEMBERS[_slug].add(_ingredient["name"])


def test_the_curated_files_pass_validation():
    validate_knowledge_base(KB)


@pytest.mark.parametrize(
    ("slug", "at_least", "must_include"),
    [
        ("loop_diuretic", 4, {"furosemide", "bumetanide", "torsemide", "ethacrynic acid"}),
        (
            "thiazide_diuretic",
            8,
            {
                "hydrochlorothiazide",
                "chlorthalidone",
                "indapamide",
                "metolazone",
                "bendroflumethiazide",
                "chlorothiazide",
            },
        ),
        (
            "potassium_sparing_diuretic",
            4,
            {"spironolactone", "eplerenone", "amiloride", "triamterene"},
        ),
        (
            "statin",
            7,
            {
                "atorvastatin",
                "simvastatin",
                "rosuvastatin",
                "pravastatin",
                "lovastatin",
                "fluvastatin",
                "pitavastatin",
            },
        ),
        (
            "beta_blocker",
            15,
            {
                "metoprolol",
                "atenolol",
                "bisoprolol",
                "carvedilol",
                "propranolol",
                "nebivolol",
                "labetalol",
                "nadolol",
                "sotalol",
                "timolol",
                "acebutolol",
                "betaxolol",
                "pindolol",
                "esmolol",
                "oxprenolol",
                "celiprolol",
            },
        ),
        ("laba", 5, {"salmeterol", "formoterol", "vilanterol", "olodaterol", "indacaterol"}),
        ("ace_inhibitor", 10, {"lisinopril", "enalapril", "ramipril", "perindopril", "captopril"}),
        (
            "arb",
            8,
            {"losartan", "valsartan", "candesartan", "irbesartan", "olmesartan", "telmisartan"},
        ),
    ],
)
def test_every_class_has_its_marketed_members(slug, at_least, must_include):
    assert len(CLASS_MEMBERS[slug]) >= at_least
    assert must_include <= CLASS_MEMBERS[slug]


@pytest.mark.parametrize(
    ("product", "ingredients"),
    [
        ("Lasix", {"furosemide"}),
        ("Zestoretic", {"lisinopril", "hydrochlorothiazide"}),
        ("Hyzaar", {"losartan", "hydrochlorothiazide"}),
        ("Diovan HCT", {"valsartan", "hydrochlorothiazide"}),
        ("Exforge HCT", {"amlodipine", "valsartan", "hydrochlorothiazide"}),
        ("Tenoretic", {"atenolol", "chlorthalidone"}),
        ("Tenormin", {"atenolol"}),
        ("Ziac", {"bisoprolol", "hydrochlorothiazide"}),
        ("Lopressor HCT", {"metoprolol", "hydrochlorothiazide"}),
        ("Dyazide", {"triamterene", "hydrochlorothiazide"}),
        ("Aldactazide", {"spironolactone", "hydrochlorothiazide"}),
        ("co-amilofruse", {"amiloride", "furosemide"}),
        ("co-amilozide", {"amiloride", "hydrochlorothiazide"}),
        ("co-tenidone", {"atenolol", "chlorthalidone"}),
        ("Vytorin", {"simvastatin", "ezetimibe"}),
        ("Caduet", {"amlodipine", "atorvastatin"}),
        ("Roszet", {"rosuvastatin", "ezetimibe"}),
        ("Advair", {"fluticasone", "salmeterol"}),
        ("Symbicort", {"budesonide", "formoterol"}),
        ("Toprol-XL", {"metoprolol"}),
        ("Zebeta", {"bisoprolol"}),
        ("Zetia", {"ezetimibe"}),
    ],
)
def test_brands_and_combinations_resolve_to_every_ingredient(product, ingredients):
    assert set(PRODUCTS[product]["ingredients"]) == ingredients


def test_every_product_names_known_ingredients():
    unknown = {
        (p["name"], i)
        for p in ENTRIES["products"]
        for i in p["ingredients"]
        if i not in INGREDIENTS
    }
    assert unknown == set()


def test_products_cover_every_market():
    markets = Counter(m for p in ENTRIES["products"] for m in p.get("markets") or [])
    for market in ("US", "UK", "CA", "AU", "EU"):
        assert markets[market] >= 100, market


def test_every_caution_interaction_and_cramp_link_cites_a_reference():
    references = {r["key"] for r in ENTRIES["references"]}
    for entry in ENTRIES["supplement_cautions"] + ENTRIES["interactions"]:
        assert entry["references"] and set(entry["references"]) <= references, entry["key"]
    for drug_class in ENTRIES["drug_classes"]:
        if drug_class["cramp_linked"]:
            assert drug_class["evidence"]["references"], drug_class["slug"]
            assert set(drug_class["evidence"]["references"]) <= references


def test_the_evidence_is_stated_honestly():
    strength = {c["slug"]: c["evidence"]["strength"] for c in ENTRIES["drug_classes"]}
    # Garrison 2012's three clear signals share one grade
    assert strength["thiazide_diuretic"] == "moderate"
    assert strength["potassium_sparing_diuretic"] == "moderate"
    assert strength["laba"] == "moderate"
    assert strength["loop_diuretic"] == "weak"
    assert strength["statin"] == "weak"
    assert strength["beta_blocker"] == "none"


@pytest.mark.parametrize(
    ("supplement", "target"),
    [
        ("potassium", "potassium_sparing_diuretic"),
        ("potassium", "ace_inhibitor"),
        ("potassium", "arb"),
        ("magnesium", "fluoroquinolone"),
        ("magnesium", "tetracycline"),
        ("magnesium", "bisphosphonate"),
        ("magnesium", "thyroid_hormone"),
        ("magnesium", "integrase_inhibitor"),
        ("calcium", "fluoroquinolone"),
        ("calcium", "tetracycline"),
        ("calcium", "bisphosphonate"),
        ("calcium", "thyroid_hormone"),
        ("calcium", "integrase_inhibitor"),
        ("calcium", "thiazide_diuretic"),
        ("vitamin_d", "thiazide_diuretic"),
        ("vitamin_e", "anticoagulant"),
        ("vitamin_e", "antiplatelet"),
        ("red_yeast_rice", "statin"),
        ("potassium", "loop_diuretic"),
        ("magnesium", "thiazide_diuretic"),
    ],
)
def test_the_required_supplement_cautions_exist(supplement, target):
    assert any(
        c["supplement"] == supplement and c.get("drug_class") == target
        for c in ENTRIES["supplement_cautions"]
    )


def test_condition_and_ingredient_cautions_exist():
    cautions = {
        (c["supplement"], c.get("ingredient") or c.get("condition"))
        for c in ENTRIES["supplement_cautions"]
    }
    assert ("potassium", "trimethoprim") in cautions
    assert ("magnesium", "egfr_below_30") in cautions
    assert ("quinine", "any_patient") in cautions
    quinine = next(c for c in ENTRIES["supplement_cautions"] if c["key"] == "quinine_any_patient")
    assert quinine["severity"] == "critical"


def test_separation_times_are_stated_for_binding_cautions():
    for caution in ENTRIES["supplement_cautions"]:
        if caution.get("drug_class") in {
            "fluoroquinolone",
            "tetracycline",
            "levothyroxine",
            "thyroid_hormone",
            "integrase_inhibitor",
        }:
            assert any(
                word in caution["action"] for word in ("hour", " h ", "h before", "h after")
            ), caution["key"]


def test_supplement_products_are_supplements_not_medicines():
    supplement_names = {
        n.lower()
        for s in ENTRIES["supplements"]
        for n in (s.get("products") or []) + (s.get("forms") or [])
    }
    assert {"klor-con", "potassium chloride", "magnesium oxide", "mag-ox 400"} <= supplement_names
    assert not supplement_names & {i.lower() for i in INGREDIENTS}


def test_the_look_alike_list_holds_the_known_dangerous_pairs():
    groups = [set(g["names"]) for g in ENTRIES["look_alike_names"]]
    for pair in (
        {"metoprolol", "metolazone"},
        {"hydralazine", "hydrochlorothiazide"},
        {"chlorthalidone", "chlorpromazine"},
        {"Zebeta", "Zetia"},
        {"Tenormin", "Tenoretic"},
    ):
        assert any(pair <= group for group in groups), pair


def test_well_over_a_few_hundred_common_medicines_are_known():
    assert len(INGREDIENTS) >= 600
    no_cramp_link = [i for i in ENTRIES["ingredients"] if not i.get("classes")]
    assert len(no_cramp_link) >= 300
    for common in (
        "metformin",
        "acetaminophen",
        "gabapentin",
        "sertraline",
        "levothyroxine",
        "omeprazole",
        "albuterol",
        "tamsulosin",
    ):
        assert common in INGREDIENTS
