"""The whole screen: every line back in order, the v1 result shape, counselling."""

import json

import pytest

from screening.engine import PatientFactors
from screening.engine.result import ScreeningResult

RESULT_KEYS = {
    "medications",
    "supplements",
    "findings",
    "interactions",
    "supplement_cautions",
    "red_flags",
    "counselling",
    "not_screened",
    "not_screened_supplements",
    "unknown_symptoms",
}
LINE_KEYS = {
    "index",
    "input",
    "status",
    "ingredients",
    "product",
    "drug_classes",
    "supplement",
    "supplements",
    "match",
    "suggestions",
    "reason",
}


def test_every_line_comes_back_in_input_order_with_its_index(screen_lists):
    medications = ["asdfgh", "Lasix 40 mg", "", "furosimide", "Lasix 40 mg"]

    result = screen_lists(medications, ["Mag-Ox 400", "???"])

    assert [line["input"] for line in result["medications"]] == medications
    assert [line["index"] for line in result["medications"]] == [0, 1, 2, 3, 4]
    assert [line["status"] for line in result["medications"]] == [
        "unrecognized",
        "matched",
        "unrecognized",
        "probable",
        "matched",
    ]
    assert [line["input"] for line in result["supplements"]] == ["Mag-Ox 400", "???"]


def test_unrecognized_lines_are_listed_as_not_screened(screen_lists):
    result = screen_lists(["asdfgh", "Lasix", "metoprozone"], ["Slow-Mag", "zzzz"])

    assert result["not_screened"] == [0, 2]
    assert result["not_screened_supplements"] == [1]


def test_a_medicine_typed_in_the_supplements_list_is_listed_for_checking_by_hand(screen_lists):
    # It is read (and told to move), but not screened as a medicine: with spironolactone
    # and potassium, lisinopril there would otherwise raise nothing and say nothing.
    result = screen_lists(["spironolactone 25 mg"], ["lisinopril 10 mg", "Klor-Con"])

    assert result["supplements"][0]["status"] == "matched"
    assert "list it with the medicines" in result["supplements"][0]["reason"]
    assert result["not_screened_supplements"] == [0]
    unscreened = ScreeningResult.from_stored(result).unscreened()
    assert [(kind, index) for kind, index, _ in unscreened] == [("supplements", 0)]


def test_the_result_has_the_v1_shape_and_is_json_ready(screen_lists):
    patient = PatientFactors(egfr=25.0, symptoms=("dark_urine", "made_up"), language="es")

    result = screen_lists(
        ["Lasix 40 mg", "simvastatin", "clarithromycin", "spironolactone", "atorvastatn"],
        ["potassium chloride", "Caltrate 600+D"],
        patient,
    )

    # API v1 changes only by addition: every v1 field is still there.
    assert RESULT_KEYS <= set(result)
    assert all(LINE_KEYS <= set(line) for line in result["medications"] + result["supplements"])
    assert json.loads(json.dumps(result)) == result
    assert result["findings"] and result["interactions"] and result["supplement_cautions"]
    assert result["red_flags"] and result["unknown_symptoms"] == ["made_up"]


def test_an_empty_request_is_a_valid_screen(screen_lists):
    result = screen_lists([])

    assert result["medications"] == []
    assert result["findings"] == []
    assert result["not_screened"] == []


@pytest.mark.parametrize(
    ("medications", "supplements", "patient"),
    [
        ([], [], None),
        (["Lasix"], [], None),
        (["asdfgh"], ["potassium chloride"], PatientFactors(symptoms=("dark_urine",))),
    ],
)
def test_counselling_always_starts_with_do_not_stop_and_talk_with_prescriber(
    screen_lists, medications, supplements, patient
):
    counselling = screen_lists(medications, supplements, patient)["counselling"]

    assert [point["key"] for point in counselling[:2]] == ["do_not_stop", "talk_with_prescriber"]
    assert counselling[0]["text"] == "Do not stop taking any of your medicines on your own."
    assert counselling[1]["text"].startswith("Talk with your prescriber")


def test_counselling_adds_advice_the_screen_calls_for(screen_lists):
    patient = PatientFactors(symptoms=("dark_urine",))

    counselling = screen_lists(["spironolactone", "asdfgh"], ["Klor-Con"], patient)["counselling"]

    keys = [point["key"] for point in counselling]
    assert {"get_care_for_warning_signs", "ask_before_supplements", "show_unchecked_items"} <= set(
        keys
    )


def test_the_result_records_the_knowledge_base_version(index):
    from screening.engine import ScreeningRequest, screen

    assert screen(index, ScreeningRequest(medications=())).knowledge_base_version == "test-1"


def test_a_realistic_list_screens_as_a_pharmacist_would_expect(screen_lists):
    # given a messy list pasted from a discharge letter
    medications = [
        "Lasix 40 mg 1 po qam",
        "losartan/HCTZ 100/25",
        "24 HR metoprolol succinate 50 MG Extended Release Oral Tablet",
        "atorvastatin calcium 40mg tab",
        "Klor-Con M20",
        "Tylenol PRN",
    ]

    # when it is screened
    result = screen_lists(medications, ["magnesium oxide 400mg"])

    # then every medicine is read, and the cramp-linked classes are found
    assert result["not_screened"] == []
    assert [f["drug_class"] for f in result["findings"]] == [
        "thiazide_diuretic",
        "loop_diuretic",
        "statin",
        "beta_blocker",
    ]
    assert _index_of(result, "thiazide_diuretic") == [1]
    assert [i["key"] for i in result["interactions"]] == ["loop_with_thiazide"]
    assert [c["key"] for c in result["supplement_cautions"]] == [
        "potassium_with_arb",
        "magnesium_evidence",
    ]
    assert result["supplement_cautions"][0]["source"] == {"list": "medications", "index": 4}


def _index_of(result, drug_class):
    return next(
        f["medication_indexes"] for f in result["findings"] if f["drug_class"] == drug_class
    )
