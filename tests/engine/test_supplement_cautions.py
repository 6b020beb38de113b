"""Supplement cautions: by drug class, by ingredient and by condition; from either list."""

import pytest

from screening.engine import PatientFactors


def _keys(result):
    return [c["key"] for c in result["supplement_cautions"]]


@pytest.mark.parametrize(
    ("medications", "supplements", "expected"),
    [
        # by drug class
        (
            ["spironolactone 25 mg"],
            ["potassium chloride 20 mEq"],
            ["potassium_with_potassium_sparing_diuretic"],
        ),
        (["co-amilofruse"], ["Klor-Con M20"], ["potassium_with_potassium_sparing_diuretic"]),
        (["lisinopril"], ["K-Dur"], ["potassium_with_ace_inhibitor"]),
        (["HCTZ 25"], ["calcium carbonate 500mg"], ["calcium_with_thiazide"]),
        (["atorvastatin"], ["red yeast rice"], ["red_yeast_rice_with_statin"]),
        # by ingredient
        (
            ["ciprofloxacin 500 mg bid"],
            ["Slow-Mag"],
            ["magnesium_evidence", "magnesium_with_ciprofloxacin"],
        ),
        # by condition: any patient
        ([], ["magnesium citrate"], ["magnesium_evidence"]),
    ],
)
def test_a_caution_applies_when_its_drug_ingredient_or_condition_is_present(
    screen_lists, medications, supplements, expected
):
    result = screen_lists(medications, supplements)

    assert sorted(_keys(result)) == sorted(expected)


@pytest.mark.parametrize(
    ("medications", "supplements"),
    [
        (["Lasix"], ["potassium chloride"]),
        (["metoprolol"], ["calcium carbonate"]),
        ([], ["vitamin D3"]),
        (["HCTZ"], []),
    ],
)
def test_no_drug_caution_is_raised_without_the_interacting_drug(
    screen_lists, medications, supplements
):
    assert _keys(screen_lists(medications, supplements)) == []


def test_a_supplement_product_in_the_medications_list_triggers_its_cautions(screen_lists):
    result = screen_lists(["spironolactone 25 mg", "Klor-Con M20 1 tab daily"])

    caution = result["supplement_cautions"][0]
    assert caution["key"] == "potassium_with_potassium_sparing_diuretic"
    assert caution["supplement"] == "potassium"
    assert caution["source"] == {"list": "medications", "index": 1}
    assert caution["medication_indexes"] == [0]
    assert result["medications"][1]["supplement"] == "potassium"


def test_a_caution_says_which_supplement_line_it_came_from(screen_lists):
    result = screen_lists(["Lasix", "Aldactone 25mg"], ["vitamin D3", "potassium citrate"])

    caution = result["supplement_cautions"][0]
    assert caution["source"] == {"list": "supplements", "index": 1}
    assert caution["medication_indexes"] == [1]
    assert caution["severity"] == "critical"
    assert [r["key"] for r in caution["references"]] == ["spironolactone_label"]
    assert caution["references"][0]["citation"] == "Citation for spironolactone_label."
    assert {"message", "mechanism", "action", "patient_text"} <= caution.keys()


def test_a_product_with_also_counts_for_each_of_its_supplements(screen_lists):
    result = screen_lists(["HCTZ 25 mg"], ["Caltrate 600+D"])

    assert _keys(result) == ["calcium_with_thiazide", "vitamin_d_with_thiazide"]
    assert all(
        c["source"] == {"list": "supplements", "index": 0} for c in result["supplement_cautions"]
    )


def test_two_supplements_written_on_one_line_both_count(screen_lists):
    result = screen_lists(["HCTZ 25 mg"], ["calcium carbonate + vitamin D"])

    assert _keys(result) == ["calcium_with_thiazide", "vitamin_d_with_thiazide"]


@pytest.mark.parametrize(
    ("egfr", "expected"),
    [
        (None, []),
        (75, []),
        (60, []),
        (45, ["potassium_with_reduced_egfr"]),
        (29.5, ["potassium_with_low_egfr"]),
        (12, ["potassium_with_low_egfr"]),
    ],
)
def test_a_kidney_caution_follows_the_egfr_and_only_the_stricter_one_is_shown(
    screen_lists, egfr, expected
):
    patient = PatientFactors(egfr=egfr, symptoms=(), language="en")

    result = screen_lists([], ["potassium chloride"], patient)

    assert _keys(result) == expected


def test_cautions_are_sorted_critical_then_warning_then_info_then_by_key(screen_lists):
    patient = PatientFactors(egfr=25, symptoms=(), language=None)

    result = screen_lists(
        ["spironolactone", "lisinopril", "ciprofloxacin"],
        ["potassium chloride", "magnesium oxide"],
        patient,
    )

    assert [(c["severity"], c["key"]) for c in result["supplement_cautions"]] == [
        ("critical", "potassium_with_low_egfr"),
        ("critical", "potassium_with_potassium_sparing_diuretic"),
        ("warning", "magnesium_with_ciprofloxacin"),
        ("warning", "magnesium_with_low_egfr"),
        ("warning", "potassium_with_ace_inhibitor"),
        ("info", "magnesium_evidence"),
    ]


def test_a_caution_lists_every_line_that_triggered_it(screen_lists):
    result = screen_lists(["spironolactone", "Lasix", "co-amilofruse"], ["Klor-Con"])

    assert result["supplement_cautions"][0]["medication_indexes"] == [0, 2]


def test_each_line_with_the_supplement_gets_its_own_caution(screen_lists):
    # given potassium on both lists: two sources of potassium, both worth seeing
    result = screen_lists(["spironolactone", "Klor-Con"], ["potassium chloride", "Slow-K"])

    cautions = result["supplement_cautions"]
    assert _keys(result) == ["potassium_with_potassium_sparing_diuretic"] * 3
    assert [c["source"] for c in cautions] == [
        {"list": "supplements", "index": 0},
        {"list": "supplements", "index": 1},
        {"list": "medications", "index": 1},
    ]
    assert all(c["medication_indexes"] == [0] for c in cautions)


@pytest.mark.parametrize(
    ("medications", "supplements", "needs_confirmation"),
    [
        (["spironolactone"], ["potassium chloride"], False),
        (["spironolacton"], ["potassium chloride"], True),
        (["spironolactone"], ["potasium chloride"], True),
        (["spironolacton", "Aldactone"], ["potassium chloride"], False),
    ],
)
def test_a_caution_needs_confirmation_when_its_drug_or_supplement_is_only_probable(
    screen_lists, medications, supplements, needs_confirmation
):
    result = screen_lists(medications, supplements)

    assert result["supplement_cautions"][0]["needs_confirmation"] is needs_confirmation


def test_an_unrecognized_supplement_line_triggers_nothing_and_is_listed(screen_lists):
    result = screen_lists(["spironolactone"], ["some herbal tea", "Klor-Con"])

    assert result["not_screened_supplements"] == [0]
    assert result["supplements"][0]["status"] == "unrecognized"
    assert _keys(result) == ["potassium_with_potassium_sparing_diuretic"]
