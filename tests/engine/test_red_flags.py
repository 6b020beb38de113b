"""Red flags: symptoms that need medical attention, raised by what the patient reports."""

import pytest

from screening.engine import PatientFactors


def _patient(*symptoms):
    return PatientFactors(egfr=None, symptoms=symptoms, language="en")


def test_a_red_flag_is_raised_by_one_of_its_symptoms(screen_lists):
    result = screen_lists(["Lasix"], patient=_patient("dark_urine"))

    flag = result["red_flags"][0]
    assert flag["code"] == "dark_urine_muscle_pain"
    assert flag["symptoms"] == ["dark_urine"]
    assert flag["urgency"] == "same_day"
    assert flag["medication_indexes"] == []
    assert flag["references"][0]["key"] == "statin_label"
    assert {"name", "message", "patient_text"} <= flag.keys()


def test_a_related_class_on_the_list_raises_the_urgency_and_names_the_line(screen_lists):
    result = screen_lists(
        ["Lasix", "atorvastatin 40mg"], patient=_patient("muscle_weakness", "dark_urine")
    )

    flag = result["red_flags"][0]
    assert flag["urgency"] == "emergency"
    assert flag["medication_indexes"] == [1]
    assert flag["symptoms"] == ["dark_urine", "muscle_weakness"]


def test_a_red_flag_without_related_classes_keeps_its_urgency(screen_lists):
    result = screen_lists(["atorvastatin"], patient=_patient("calf_swelling_one_side"))

    assert [(f["code"], f["urgency"], f["medication_indexes"]) for f in result["red_flags"]] == [
        ("one_sided_calf_swelling", "emergency", [])
    ]


@pytest.mark.parametrize("patient", [None, _patient(), _patient("night_cramps")])
def test_no_red_flag_without_its_symptoms(screen_lists, patient):
    assert screen_lists(["atorvastatin"], patient=patient)["red_flags"] == []


def test_unknown_symptom_codes_are_reported_once_each_in_order(screen_lists):
    result = screen_lists(
        ["Lasix"], patient=_patient("chest_pain", "night_cramps", "Chest_Pain ", "fever")
    )

    assert result["unknown_symptoms"] == ["chest_pain", "fever"]


def test_a_single_symptom_given_as_a_string_is_one_code(screen_lists):
    patient = PatientFactors(symptoms="dark_urine")

    result = screen_lists(["Lasix"], patient=patient)

    assert [f["code"] for f in result["red_flags"]] == ["dark_urine_muscle_pain"]
    assert result["unknown_symptoms"] == []


def test_red_flags_are_ordered_most_urgent_first(screen_lists):
    result = screen_lists(["Lasix"], patient=_patient("dark_urine", "calf_swelling_one_side"))

    assert [f["urgency"] for f in result["red_flags"]] == ["emergency", "same_day"]
