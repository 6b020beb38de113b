"""Drug-drug interactions: present only when both sides are on the list."""

import pytest


def _interactions(result):
    return {i["key"]: i["medication_indexes"] for i in result["interactions"]}


@pytest.mark.parametrize(
    ("medications", "expected"),
    [
        (["simvastatin 40 mg", "clarithromycin 500 mg"], {"simvastatin_strong_cyp3a4": [0, 1]}),
        (["clarithromycin", "Vytorin 10/40"], {"simvastatin_strong_cyp3a4": [0, 1]}),
        (["Lasix", "metolazone"], {"loop_with_thiazide": [0, 1]}),
        (["Lasix", "HCTZ", "Zestoretic"], {"loop_with_thiazide": [0, 1, 2]}),
        (["lisinopril", "spironolactone"], {"ace_inhibitor_with_potassium_sparing": [0, 1]}),
    ],
)
def test_an_interaction_fires_when_both_sides_are_present(screen_lists, medications, expected):
    assert _interactions(screen_lists(medications)) == expected


@pytest.mark.parametrize(
    "medications",
    [
        ["simvastatin 40 mg"],
        ["clarithromycin 500 mg"],
        ["simvastatin", "atorvastatin"],
        ["Lasix", "Lasix 20mg"],
        ["Lasix", "lisinopril"],
        ["simvastatin", "clarithro"],
        ["simvastatin", "asdfgh"],
    ],
)
def test_no_interaction_without_a_partner(screen_lists, medications):
    assert screen_lists(medications)["interactions"] == []


def test_a_combination_line_holding_both_sides_fires_on_its_own(screen_lists):
    # co-amilofruse has no thiazide; a made-up line with both sides pasted together does
    result = screen_lists(["furosemide/hydrochlorothiazide 40/25"])

    assert _interactions(result) == {"loop_with_thiazide": [0]}


def test_an_interaction_carries_its_texts_and_references(screen_lists):
    interaction = screen_lists(["simvastatin", "clarithromycin"])["interactions"][0]

    assert interaction["severity"] == "critical"
    assert interaction["message"] == "Message for simvastatin_strong_cyp3a4."
    assert interaction["action"] == "Action for simvastatin_strong_cyp3a4."
    assert interaction["needs_confirmation"] is False
    assert interaction["references"][0]["key"] == "simvastatin_label"
    assert interaction["references"][0]["citation"] == "Citation for simvastatin_label."


def test_interactions_are_sorted_by_severity_then_key(screen_lists):
    result = screen_lists(
        ["lisinopril", "spironolactone", "Lasix", "HCTZ", "simvastatin", "clarithromycin"]
    )

    assert [(i["severity"], i["key"]) for i in result["interactions"]] == [
        ("critical", "simvastatin_strong_cyp3a4"),
        ("warning", "ace_inhibitor_with_potassium_sparing"),
        ("warning", "loop_with_thiazide"),
    ]


@pytest.mark.parametrize(
    ("medications", "needs_confirmation"),
    [
        (["simvastatin", "clarithromycin"], False),
        (["simvastatin", "clarithromicin"], True),
        (["simvastatin", "clarithromicin", "clarithromycin"], False),
    ],
)
def test_an_interaction_needs_confirmation_unless_one_pair_is_fully_matched(
    screen_lists, medications, needs_confirmation
):
    assert screen_lists(medications)["interactions"][0]["needs_confirmation"] is needs_confirmation
