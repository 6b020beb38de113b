"""Misspelt names: read only when clearly one name, never across look-alike names."""

import pytest

from screening.engine import build_index, resolve_line


@pytest.mark.parametrize(
    ("line", "ingredient", "score"),
    [
        ("furosimide", "furosemide", 0.9),  # a wrong vowel
        ("furosimide 40 mg daily", "furosemide", 0.9),
        ("atorvastatn", "atorvastatin", 0.92),  # a missing letter
        ("spironolacton", "spironolactone", 0.93),
        ("hydro chlorothiazid", "hydrochlorothiazide", 0.95),
        ("lisinoprill 10", "lisinopril", 0.91),  # a doubled letter
        ("atenelol", "atenolol", 0.88),  # one wrong letter in eight (was unread with fuzz.ratio)
        ("lsiinopril", "lisinopril", 0.9),  # two letters swapped
        ("lisinoprik", "lisinopril", 0.9),  # a neighbouring key
        ("amlodipene", "amlodipine", 0.9),  # -ine written -ene
    ],
)
def test_a_clear_misspelling_is_probable_and_says_so(read, line, ingredient, score):
    resolution = read(line)

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == [ingredient]
    assert resolution.match.method == "fuzzy"
    assert resolution.match.score == score
    assert "confirm" in resolution.reason


@pytest.mark.parametrize(
    ("line", "ingredients", "misspelt"),
    [
        ("spironolacton/HCTZ 25/25", ["hydrochlorothiazide", "spironolactone"], "spironolacton"),
        ("lisinopril-hydrochlorthiazide 20/12.5", ["hydrochlorothiazide", "lisinopril"], None),
        ("losartan + metolazon", ["losartan", "metolazone"], "metolazon"),
    ],
)
def test_a_combination_with_one_part_misspelt_counts_both_parts_for_confirmation(
    read, line, ingredients, misspelt
):
    # Read as its known part alone, the line would leave out the misspelt medicine (and the
    # potassium caution a potassium-sparing diuretic raises).
    resolution = read(line)

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ingredients
    assert resolution.match.method == "fuzzy"
    assert "confirm" in resolution.reason
    if misspelt:
        assert f"read '{misspelt}' as" in resolution.reason
    assert resolution.confirmation_choices()[0] == " + ".join(ingredients)


def test_a_combination_part_near_a_look_alike_pair_needs_confirmation(read):
    resolution = read("losartan/hydroxalzine")

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["losartan"]  # the pair member is not guessed
    assert {"hydralazine", "hydroxyzine"} <= {s.name for s in resolution.suggestions}


@pytest.mark.parametrize(
    "line", ["furosemide 40 mg daily for diabetes", "atorvastatin 40 mg as directed by doctor"]
)
def test_ordinary_words_beside_a_name_leave_it_matched(read, line):
    resolution = read(line)

    assert resolution.status == "matched"
    assert "also contains words that are not known names" in resolution.reason


def test_a_misspelt_brand_is_read_as_the_brand(read):
    resolution = read("Zestoretc 20/12.5")

    assert resolution.status == "probable"
    assert resolution.product == "Zestoretic"
    assert list(resolution.ingredients) == ["hydrochlorothiazide", "lisinopril"]


def test_a_misspelt_supplement_is_a_probable_supplement(read):
    resolution = read("magnesiun oxide")

    assert resolution.status == "probable"
    assert resolution.supplement == "magnesium"


@pytest.mark.parametrize(
    ("line", "suggested"),
    [
        # each is about as close to one member of its group as to the other
        ("hydraxazine", {"hydralazine", "hydroxyzine"}),
        ("hydroxalzine 25mg", {"hydralazine", "hydroxyzine"}),
        ("torosemide", {"torsemide", "furosemide"}),
        ("fuorsemide", {"torsemide", "furosemide"}),
    ],
)
def test_a_misspelling_between_look_alike_names_is_not_resolved(read, line, suggested):
    resolution = read(line)

    assert resolution.status == "unrecognized"
    assert resolution.ingredients == ()
    assert suggested <= {s.name for s in resolution.suggestions}
    assert "look-alike" in resolution.reason
    for name in suggested:
        assert name in resolution.reason


def test_look_alike_members_come_first_in_the_suggestions(read):
    resolution = read("torosemide")

    assert [s.name for s in resolution.suggestions][:2] == ["torsemide", "furosemide"]


def test_look_alike_suggestions_carry_their_ingredients_and_scores(read):
    suggestions = {s.name: s for s in read("hydraxazine").suggestions}

    assert suggestions["hydralazine"].ingredients == ("hydralazine",)
    assert suggestions["hydralazine"].score == 0.82
    assert suggestions["hydroxyzine"].score == 0.82


def test_a_misspelt_brand_between_look_alike_brands_is_not_resolved(read):
    resolution = read("Zebetia")

    assert resolution.status == "unrecognized"
    assert {"Zetia", "Zebeta"} <= {s.name for s in resolution.suggestions}


@pytest.mark.parametrize(
    ("line", "ingredient"),
    [
        # furosemide/torsemide, hydralazine/hydroxyzine and metoprolol/metolazone are
        # look-alike pairs, but each typo is far out of reach of the other member
        ("furosimide", "furosemide"),
        ("hydroxyzene", "hydroxyzine"),
        ("metolozone", "metolazone"),
        ("metoprolo", "metoprolol"),
    ],
)
def test_a_look_alike_member_far_from_the_typo_does_not_block_it(read, line, ingredient):
    resolution = read(line)

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == [ingredient]


@pytest.mark.parametrize(
    ("line", "ingredient"),
    [
        ("metolazone", "metolazone"),
        ("metoprolol", "metoprolol"),
        ("hydralazine", "hydralazine"),
        ("hydroxyzine", "hydroxyzine"),
        ("Zetia", "ezetimibe"),
        ("Zebeta", "bisoprolol"),
        ("torsemide", "torsemide"),
    ],
)
def test_an_exact_look_alike_name_always_wins(read, line, ingredient):
    resolution = read(line)

    assert resolution.status == "matched"
    assert list(resolution.ingredients) == [ingredient]


def test_a_misspelling_not_close_enough_to_any_name_is_unrecognized_with_suggestions(read):
    resolution = read("avastatin")

    assert resolution.status == "unrecognized"
    assert [s.name for s in resolution.suggestions] == ["atorvastatin", "simvastatin"]
    assert "not clearly" in resolution.reason


@pytest.mark.parametrize(("line", "unrelated"), [("furosimide", "cefuroxime")])
def test_an_unrelated_name_is_never_suggested(read, line, unrelated):
    assert unrelated not in {s.name for s in read(line).suggestions}


@pytest.mark.parametrize("line", ["alert", "Lasik 20 mg", "water", "glass of milk", "toast"])
def test_an_ordinary_word_is_not_read_as_a_medicine(read, line):
    # "alert" is one letter from Axert, "Lasik" from Lasix, but an x is not a slip for an l
    # or a k: only a neighbouring key, another vowel or a sound-alike letter is.
    assert read(line).status == "unrecognized"


def test_a_misspelling_equally_close_to_two_medicines_is_unrecognized():
    # given two made-up ingredients one letter apart
    index = build_index(
        {
            "ingredients": [{"name": "parametrinex"}, {"name": "parametrinax"}],
            "products": [{"name": "Parametrinex Forte", "ingredients": ["parametrinex"]}],
        },
        version="margin",
    )

    # when a typo is as close to one as to the other
    resolution = resolve_line(index, "parametrinux")

    # then neither is chosen, and both are suggested
    assert resolution.status == "unrecognized"
    assert {s.name for s in resolution.suggestions} >= {"parametrinex", "parametrinax"}


def test_names_of_one_medicine_do_not_compete_with_each_other(read):
    # "chlortalidone" and "chlorthalidone" are both chlorthalidone: no margin is needed
    resolution = read("chlortalidon")

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["chlorthalidone"]


def test_a_sound_alike_spelling_is_read_and_says_so(read):
    resolution = read("furozamyde")

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["furosemide"]
    assert "sounds alike" in resolution.reason


def test_a_weak_resemblance_is_only_a_suggestion(read):
    resolution = read("furoxamida")

    assert resolution.status == "unrecognized"
    assert [s.name for s in resolution.suggestions][:1] == ["furosemide"]
    assert "not clearly" in resolution.reason


@pytest.mark.parametrize("line", ["HCTX", "lasx", "Zeta", "KLC", "atrv", "zeti 10"])
def test_short_words_never_fuzzy_match(read, line):
    resolution = read(line)

    assert resolution.status == "unrecognized"
    assert resolution.suggestions == ()


def test_the_external_vocabulary_is_never_used_for_misspellings(read):
    # "zanaflex" is only in the external vocabulary
    assert read("Zanaflex").status == "matched"
    resolution = read("Zanaflexx")

    assert resolution.status == "unrecognized"
    assert resolution.suggestions == ()


@pytest.mark.parametrize(
    ("line", "ingredient"),
    [("atorvastatn calcium 20mg", "atorvastatin"), ("losartn potassium 50 mg", "losartan")],
)
def test_a_salt_after_a_misspelt_ingredient_is_not_read_as_a_supplement(read, line, ingredient):
    resolution = read(line)

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == [ingredient]
    assert resolution.supplements == ()


def test_a_supplement_after_an_unknown_word_that_is_no_medicine_is_still_a_supplement(read):
    resolution = read("Nature's Bounty calcium 600 mg")

    assert resolution.supplement == "calcium"


def test_two_clear_misspellings_on_one_line_are_both_read(read):
    resolution = read("furosimide 40mg, atorvastatn 20mg")

    assert resolution.status == "probable"
    assert list(resolution.ingredients) == ["atorvastatin", "furosemide"]


def test_the_misspelling_set_reads_right_at_least_95_percent_and_never_as_another_drug():
    # given every kind of typo over the cramp-linked ingredients and a hundred common
    # medicines, read against the curated knowledge base (docs/misspellings.md)
    from tests.engine.typo_report import RIGHT, curated_typo_outcomes

    outcomes = curated_typo_outcomes()

    # then almost all are read as the drug meant, and none as another drug
    assert sum(outcomes.total().values()) > 1500
    assert outcomes.share(RIGHT) >= 0.95
    assert outcomes.wrong == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("furosemde", "missing letter"),
        ("furosemidde", "doubled letter"),
        ("atorvsatatin", "swapped letters"),
        ("furosemidr", "neighbouring key"),
        ("atenelol", "wrong vowel"),
        ("spironolactine", "-ine for -one"),
    ],
)
def test_each_kind_of_slip_is_read_as_the_name_meant(read, line, kind):
    resolution = read(line)

    assert resolution.status == "probable", kind
    assert resolution.match.method == "fuzzy"
