"""How one line of a real, messy list is read: names, combinations, salts and sig text."""

import pytest


@pytest.mark.parametrize(
    ("line", "ingredients", "product", "method"),
    [
        ("Lasix", ["furosemide"], "Lasix", "exact_product"),
        ("Lasix 40 mg 1 po qam", ["furosemide"], "Lasix", "exact_product"),
        (
            "Zestoretic 20/12.5",
            ["hydrochlorothiazide", "lisinopril"],
            "Zestoretic",
            "exact_product",
        ),
        ("Tenoretic", ["atenolol", "chlorthalidone"], "Tenoretic", "exact_product"),
        ("Tenormin", ["atenolol"], "Tenormin", "exact_product"),
        ("Zetia", ["ezetimibe"], "Zetia", "exact_product"),
        ("Zebeta", ["bisoprolol"], "Zebeta", "exact_product"),
        ("Toprol XL", ["metoprolol"], "Toprol XL", "exact_product"),
        ("co-amilofruse 5/40", ["amiloride", "furosemide"], "co-amilofruse", "co_name"),
        ("furosemide", ["furosemide"], None, "exact_ingredient"),
        ("Frusemide 40mg mane", ["furosemide"], None, "exact_ingredient"),
        ("torasemide", ["torsemide"], None, "exact_ingredient"),
        ("HCTZ 25", ["hydrochlorothiazide"], None, "exact_ingredient"),
        ("HCT 12.5mg", ["hydrochlorothiazide"], None, "exact_ingredient"),
        ("hydralazine", ["hydralazine"], None, "exact_ingredient"),
        ("metolazone 2.5 mg", ["metolazone"], None, "exact_ingredient"),
    ],
)
def test_a_known_name_is_matched_with_its_ingredients(read, line, ingredients, product, method):
    resolution = read(line)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ingredients
    assert resolution.product == product
    assert resolution.match.method == method
    assert resolution.match.score == 1.0
    assert resolution.reason is None


@pytest.mark.parametrize(
    ("line", "drug_classes"),
    [
        ("Lasix", ["loop_diuretic"]),
        ("Zestoretic", ["ace_inhibitor", "thiazide_diuretic"]),
        ("hydralazine", []),
        ("Caduet", ["statin"]),
    ],
)
def test_drug_classes_are_the_sorted_slugs_of_every_ingredient(read, line, drug_classes):
    assert list(read(line).drug_classes) == drug_classes


def test_a_brand_hiding_a_thiazide_is_found_through_its_ingredients(read):
    resolution = read("Zestoretic 20/12.5")

    assert "thiazide_diuretic" in resolution.drug_classes


@pytest.mark.parametrize(
    "line",
    [
        "losartan/HCTZ 100/25",
        "losartan-HCTZ",
        "losartan and hydrochlorothiazide",
        "losartan + hydrochlorothiazide",
        "losartan with hydrochlorothiazide",
        "losartan, hydrochlorothiazide",
        "losartan & HCTZ",
        "hydrochlorothiazide and losartan potassium",
        "Losartan potassium/HCTZ 50mg/12.5mg tablet",
        "Hyzaar",
    ],
)
def test_a_combination_resolves_to_all_its_ingredients_whatever_the_separator(read, line):
    resolution = read(line)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["hydrochlorothiazide", "losartan"]
    assert resolution.supplement is None


@pytest.mark.parametrize(
    ("line", "ingredients"),
    [
        ("Amlodipine and atorvastatin 5 mg/10 mg", ["amlodipine", "atorvastatin"]),
        ("simvastatin-ezetimibe", ["ezetimibe", "simvastatin"]),
        ("hydrochlorothiazide and lisinopril", ["hydrochlorothiazide", "lisinopril"]),
        ("metoprolol and hydrochlorothiazide", ["hydrochlorothiazide", "metoprolol"]),
    ],
)
def test_a_combination_written_out_is_reported_as_a_combination(read, line, ingredients):
    resolution = read(line)

    assert list(resolution.ingredients) == ingredients
    assert resolution.match.method == "combination"


@pytest.mark.parametrize(
    "line", ["co-amilofruse", "co amilofruse", "coamilofruse", "CO-AMILOFRUSE 5/40 tabs"]
)
def test_a_uk_co_name_is_matched_however_it_is_hyphenated(read, line):
    resolution = read(line)

    assert list(resolution.ingredients) == ["amiloride", "furosemide"]
    assert resolution.match.method == "co_name"


@pytest.mark.parametrize(
    "line", ["Toprol XL", "Toprol-XL", "toprol xl", "TOPROL XL", "ToprolXL", " toprol   xl "]
)
def test_case_spacing_and_hyphens_do_not_matter(read, line):
    resolution = read(line)

    assert resolution.product == "Toprol XL"
    assert list(resolution.ingredients) == ["metoprolol"]


@pytest.mark.parametrize(
    ("line", "ingredient"),
    [
        ("atorvastatin calcium 40mg tab", "atorvastatin"),
        ("losartan potassium 50 mg", "losartan"),
        ("metoprolol succinate", "metoprolol"),
        ("metoprolol tartrate 25 mg BID", "metoprolol"),
        ("Bisoprolol fumarate 5mg", "bisoprolol"),
        ("amlodipine besylate 10 mg", "amlodipine"),
        ("amiloride HCl 5 mg", "amiloride"),
        ("hydralazine hydrochloride 25mg", "hydralazine"),
        ("furosemide sodium injection", "furosemide"),
        ("ciprofloxacin hydrochloride monohydrate 500 mg", "ciprofloxacin"),
    ],
)
def test_a_salt_after_an_ingredient_is_part_of_that_ingredient(read, line, ingredient):
    resolution = read(line)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == [ingredient]
    assert resolution.supplements == ()
    assert resolution.reason is None


def test_atorvastatin_calcium_is_not_a_calcium_supplement(screen_lists):
    result = screen_lists(["atorvastatin calcium 40mg", "hydrochlorothiazide 25 mg"])

    assert result["medications"][0]["supplement"] is None
    assert result["supplement_cautions"] == []


def test_losartan_potassium_is_not_a_potassium_supplement(screen_lists):
    result = screen_lists(["losartan potassium 50 mg"])

    assert result["medications"][0]["supplement"] is None
    assert [c["key"] for c in result["supplement_cautions"]] == []


@pytest.mark.parametrize(
    ("line", "ingredients", "supplements"),
    [
        # A longer known name starting at the "salt" word wins: it is a second item.
        ("losartan potassium chloride 20 mEq", ["losartan"], ("potassium",)),
        # Not directly after the ingredient: a second item, not a salt.
        ("furosemide 40mg potassium 20 meq", ["furosemide"], ("potassium",)),
        ("furosemide, potassium", ["furosemide"], ("potassium",)),
    ],
)
def test_a_cation_word_is_a_salt_only_directly_after_an_ingredient(
    read, line, ingredients, supplements
):
    resolution = read(line)

    assert list(resolution.ingredients) == ingredients
    assert resolution.supplements == supplements


@pytest.mark.parametrize(
    "line",
    [
        "Lasix 40 mg 1 po qam",
        "Lasix 40mg tab by mouth once daily",
        "Lasix 40 MG Oral Tablet",
        "lasix 40 mg po bid prn",
        "Lasix 20mg nocte",
        "Lasix 40 mg #30 x 3 refills",
        "Lasix take 1 tablet by mouth daily for 30 days",
        "Lasix 10 mg/mL oral solution 4 mL twice a day",
        "Lasix 1 tab qhs as needed",
        "Lasix injection 20 mg iv stat",
        "Lasix 0.5% eye drops",
    ],
)
def test_strengths_forms_routes_and_sig_text_are_noise_around_the_name(read, line):
    resolution = read(line)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["furosemide"]
    assert resolution.reason is None


@pytest.mark.parametrize(
    "line",
    [
        "24 HR metoprolol succinate 50 MG Extended Release Oral Tablet",
        "metoprolol succinate ER 50 mg",
        "metoprolol XL 50",
        "metoprolol SR",
        "metoprolol CR 25mg",
        "metoprolol M/R",
        "metoprolol modified release",
        "metoprolol LA",
        "metoprolol XR once daily",
    ],
)
def test_release_forms_are_noise_unless_part_of_a_product_name(read, line):
    resolution = read(line)

    assert list(resolution.ingredients) == ["metoprolol"]
    assert resolution.product is None
    assert resolution.reason is None


@pytest.mark.parametrize(
    ("line", "supplement", "method_text"),
    [
        ("Klor-Con M20", "potassium", "Klor-Con M20"),
        ("Klor-Con", "potassium", "Klor-Con"),
        ("Potassium chloride ER 20 mEq", "potassium", "Potassium chloride"),
        ("KCl 20 mEq daily", "potassium", "KCl"),
        ("Mag-Ox 400 mg", "magnesium", "Mag-Ox 400"),
        ("magnesium oxide 400 mg", "magnesium", "magnesium oxide"),
        ("Vitamin D3 1000 IU", "vitamin_d", "Vitamin D3"),
        ("Caltrate 600+D", "calcium", "Caltrate 600+D"),
        ("calcium carbonate 500 mg", "calcium", "calcium carbonate"),
    ],
)
def test_a_supplement_in_the_medications_list_is_matched_as_a_supplement(
    read, line, supplement, method_text
):
    resolution = read(line)

    assert resolution.status == "matched"
    assert resolution.supplement == supplement
    assert resolution.ingredients == ()
    assert resolution.match.method == "supplement"
    assert resolution.match.matched_text == method_text


def test_a_combination_supplement_product_is_reported_as_what_it_contains(read):
    resolution = read("Caltrate 600+D")

    assert resolution.supplements == ("calcium", "vitamin_d")
    assert resolution.model_dump(mode="json")["supplements"] == ["calcium", "vitamin_d"]


def test_calcium_with_vitamin_d_written_out_names_both_supplements(read):
    resolution = read("calcium carbonate + vitamin D")

    assert resolution.supplements == ("calcium", "vitamin_d")
    assert resolution.supplement == "calcium"
    assert resolution.match.method == "supplement"


def test_two_unrelated_medicines_pasted_into_one_line_are_both_returned(read):
    resolution = read("Lasix 40mg daily, atorvastatin 20 mg nocte")

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["atorvastatin", "furosemide"]
    assert resolution.match.method == "combination"
    assert resolution.match.matched_text == "Lasix + atorvastatin"


def test_a_medicine_and_a_supplement_on_one_line_are_both_returned(read):
    resolution = read("spironolactone 25mg; potassium chloride 20 mEq")

    assert list(resolution.ingredients) == ["spironolactone"]
    assert resolution.supplement == "potassium"


@pytest.mark.parametrize(
    ("line", "ingredients"),
    [
        ("INH 300 mg daily", ["isoniazid"]),
        ("salbutamol inh 2 puffs prn", ["albuterol"]),
        ("albuterol HFA inhaler", ["albuterol"]),
    ],
)
def test_a_name_that_is_also_a_sig_word_counts_only_when_nothing_else_is_named(
    read, line, ingredients
):
    resolution = read(line)

    assert list(resolution.ingredients) == ingredients
    assert resolution.reason is None


def test_a_brand_and_its_generic_on_one_line_are_one_medicine(read):
    resolution = read("Lasix (furosemide) 40 mg")

    assert list(resolution.ingredients) == ["furosemide"]
    assert resolution.product == "Lasix"
    assert resolution.match.method == "exact_product"


def test_a_generic_product_named_after_its_ingredient_reads_as_the_ingredient(read):
    resolution = read("Furosemide 40 mg")

    assert resolution.match.method == "exact_ingredient"
    assert resolution.product is None


def test_a_misspelt_name_next_to_a_known_one_counts_too_for_confirmation(read):
    resolution = read("Lasix 40mg, metoprolo 25mg")

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["furosemide", "metoprolol"]
    assert "read 'metoprolo' as metoprolol" in resolution.reason
    assert "metoprolol" in [s.name for s in resolution.suggestions]


def test_unknown_words_next_to_a_known_name_are_pointed_out(read):
    resolution = read("Lasix 40mg, quxzorblat")

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ["furosemide"]
    assert "quxzorblat" in resolution.reason


def test_a_long_list_of_unknown_words_is_summarised(read):
    resolution = read("Lasix " + " ".join(f"word{letter}" for letter in "abcdefghij"))

    assert resolution.reason.endswith("and 5 more")


@pytest.mark.parametrize(
    ("line", "ingredients", "product"),
    [
        ("Tylenol PRN", ["acetaminophen"], "tylenol"),
        ("acetaminophen 500 mg", ["acetaminophen"], None),
        ("Tylenol with codeine #3", ["acetaminophen", "codeine"], "tylenol with codeine"),
        ("pantoprazole sodium 40 mg daily", ["pantoprazole"], None),
        # The generic name spelt another way is not a product name.
        ("acetaminophene 500 mg", ["acetaminophen"], None),
    ],
)
def test_a_name_from_the_external_vocabulary_is_matched_exactly(read, line, ingredients, product):
    resolution = read(line)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == ingredients
    assert resolution.product == product
    assert resolution.drug_classes == ()
    assert resolution.match.method == "external_vocabulary"


def test_a_curated_name_wins_over_the_external_vocabulary(read):
    # given an external entry "lasix" -> bumetanide in the test snapshot
    resolution = read("Lasix")

    assert list(resolution.ingredients) == ["furosemide"]
    assert resolution.match.method == "exact_product"


def test_an_external_name_a_slip_from_a_curated_medicine_is_not_guessed_either_way(read):
    # "danizol" is a metronidazole brand in the open list and one letter from danazol
    alone = read("atorvastatim 20 mg")
    beside = read("Lasix 40 mg + atorvastatim 20 mg")

    assert alone.status == "unrecognized"
    assert alone.ingredients == ()
    assert "not resolved: confirm which one is meant" in alone.reason
    assert [s.name for s in alone.suggestions][:2] == ["atorvastatim", "atorvastatin"]
    assert beside.status == "probable"
    assert list(beside.ingredients) == ["furosemide"]
    assert read("spironolactona 25 mg").status == "matched"  # the same medicine


def test_a_brand_meaning_different_medicines_in_different_markets_says_so(read):
    alone = read("Urex 40 mg")
    beside = read("Lasix 40 mg + Urex")

    assert alone.status == "unrecognized"
    assert alone.suggestions == ()  # no near name offered in its place
    assert alone.reason == (
        "'Urex' means different medicines in different markets (Furosemide in Australia; "
        "methenamine in the US): check which one by hand"
    )
    assert beside.status == "probable"
    assert list(beside.ingredients) == ["furosemide"]


def test_an_external_name_that_names_two_medicines_is_not_guessed(read):
    assert read("Triatec").status == "unrecognized"


def test_an_external_name_resolving_to_a_curated_ingredient_gets_its_classes(read):
    resolution = read("Zocor 20mg")

    assert list(resolution.ingredients) == ["simvastatin"]
    assert list(resolution.drug_classes) == ["statin"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", "empty line"),
        ("   ", "empty line"),
        ("take 1 tablet by mouth daily", "no medicine name found"),
        ("1 po qam", "no medicine name found"),
        ("water pill", "no medicine name found"),
        ("asdfgh", "no medicine name found"),
        ("<script>alert(1)</script>", "no medicine name found"),
        ("' OR 1=1 --", "no medicine name found"),
        ("Robert'); DROP TABLE screenings;--", "no medicine name found"),
    ],
)
def test_a_line_without_a_medicine_name_is_unrecognized_with_a_reason(read, line, reason):
    resolution = read(line)

    assert resolution.status == "unrecognized"
    assert resolution.ingredients == ()
    assert resolution.match is None
    assert resolution.reason == reason


def test_the_input_is_echoed_exactly_as_given(read):
    line = "  <b>Lasix</b> 40 mg\t"

    resolution = read(line)

    assert resolution.input == line
    assert resolution.model_dump(mode="json")["input"] == line


def test_matched_text_is_the_part_of_the_line_that_was_read(read):
    assert read("  take LASIX 40mg daily").match.matched_text == "LASIX"
    assert read("atorvastatin calcium 40mg").match.matched_text == "atorvastatin calcium"


def test_accents_are_ignored(read):
    assert list(read("Furosémide 40 mg").ingredients) == ["furosemide"]


def test_a_medicine_in_the_supplements_list_says_it_was_not_screened_as_one(read):
    resolution = read("furosemide 40 mg", list_kind="supplements")

    assert resolution.status == "matched"
    assert resolution.supplement is None
    assert "not a supplement" in resolution.reason


def test_a_line_resolution_is_json_ready(read):
    result = read("Lasix 40mg tab by mouth daily").model_dump(mode="json")

    assert result == {
        "index": None,
        "input": "Lasix 40mg tab by mouth daily",
        "status": "matched",
        "ingredients": ["furosemide"],
        "product": "Lasix",
        "drug_classes": ["loop_diuretic"],
        "supplement": None,
        "supplements": [],
        "match": {"method": "exact_product", "matched_text": "Lasix", "score": 1.0},
        "suggestions": [],
        "reason": None,
        "known_as": "Lasix 40mg",
        "strength": "40mg",
        "route": "oral",
        "route_stated": True,
        "ingredient_names": {},
        "coding": [],
        "source": None,
    }


@pytest.mark.parametrize(
    ("external", "line"),
    [
        ("propranolol (cardiovascular)", "InnoPran XL 80 mg"),
        ("PROPRANOLOL HYDROCHLORIDE", "InnoPran XL 80 mg"),
        ("propranolol hydrochloride extended release", "InnoPran XL 80 mg"),
    ],
)
def test_a_long_tail_name_of_a_curated_ingredient_gets_its_generic_name_and_classes(
    snapshot, external, line
):
    # given the open vocabulary naming propranolol with a qualifier, a salt or a release form
    from screening.engine import build_index, resolve_line

    index = build_index(
        {
            **snapshot,
            "ingredients": [
                *snapshot["ingredients"],
                {"name": "propranolol", "classes": ["beta_blocker"]},
            ],
            "external_names": [{"name": "innopran xl", "ingredients": [external]}],
        },
        version="long-tail",
    )

    # when the brand is read
    resolution = resolve_line(index, line)

    # then it is the curated ingredient, by its US generic name, with its class
    assert resolution.ingredients == ("propranolol",)
    assert resolution.drug_classes == ("beta_blocker",)
    assert resolution.product == "innopran xl"


def test_a_long_tail_ingredient_that_is_not_curated_is_still_named_without_its_salt(read):
    assert read("Zanaflex 4 mg").ingredients == ("tizanidine",)
    assert read("pantoprazole 40 mg").ingredients == ("pantoprazole",)


@pytest.mark.parametrize(
    ("line", "known_as", "strength"),
    [
        ("Lasix 40 mg 1 po qam", "Lasix 40 mg", "40 mg"),
        ("Take Lasix 40mg every morning", "Lasix 40mg", "40mg"),
        ("losartan/HCTZ 100/25 daily", "losartan/HCTZ 100/25", "100/25"),
        ("Zestoretic 20-12.5 mg one tablet", "Zestoretic 20-12.5 mg", "20-12.5 mg"),
        ("metoprolol succinate ER 50 mg daily", "metoprolol succinate ER 50 mg", "50 mg"),
        ("furosemide 40", "furosemide 40", "40"),
        ("Lasix 1 po qam", "Lasix", None),
        ("Lasix 0.5% eye drops", "Lasix 0.5%", "0.5%"),
    ],
)
def test_the_name_and_strength_are_kept_without_the_directions(read, line, known_as, strength):
    resolution = read(line)

    assert resolution.known_as == known_as
    assert resolution.strength == strength


@pytest.mark.parametrize(
    ("line", "route"),
    [
        ("Lasix 0.5% eye drops", "ophthalmic"),
        ("Lasix 40 mg tablet", "oral"),
        ("Lasix 20 mg iv stat", "injection"),
        ("Lasix po", "oral"),
        ("ciprofloxacin 0.3% ophthalmic solution", "ophthalmic"),
        ("ciprofloxacin ear drops", "otic"),
        ("albuterol HFA inhaler", "inhaled"),
        ("Lasix", None),
    ],
)
def test_the_route_written_on_the_line_is_read(read, line, route):
    resolution = read(line)

    assert resolution.route == route
    assert resolution.route_stated is (route is not None)
