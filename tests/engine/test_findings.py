"""Findings: one per cramp-linked drug class on the list."""

import pytest


def _finding(result, drug_class):
    return next(f for f in result["findings"] if f["drug_class"] == drug_class)


@pytest.mark.parametrize(
    ("medications", "expected"),
    [
        (["Lasix 40 mg"], {"loop_diuretic": [0]}),
        (["Zestoretic 20/12.5"], {"thiazide_diuretic": [0]}),
        (["HCTZ 25", "chlorthalidone 25"], {"thiazide_diuretic": [0, 1]}),
        (["co-amilofruse", "metolazone"], {"loop_diuretic": [0], "thiazide_diuretic": [1]}),
        (["Caduet", "Tenoretic"], {"statin": [0], "thiazide_diuretic": [1], "beta_blocker": [1]}),
        (["hydralazine", "ezetimibe", "Tylenol"], {}),
        (["asdfgh"], {}),
    ],
)
def test_each_cramp_linked_class_present_is_one_finding_with_its_lines(
    screen_lists, medications, expected
):
    result = screen_lists(medications)

    assert {f["drug_class"]: f["medication_indexes"] for f in result["findings"]} == expected


def test_classes_that_are_not_cramp_linked_give_no_finding(screen_lists):
    result = screen_lists(["lisinopril 10 mg", "losartan 50 mg", "spironolactone 25 mg"])

    assert result["findings"] == []


def test_a_beta_blocker_is_listed_with_its_honest_evidence(screen_lists):
    finding = _finding(screen_lists(["metoprolol 25 mg"]), "beta_blocker")

    assert finding["evidence"]["strength"] == "none"
    assert finding["evidence"]["summary"] == "Evidence summary for beta_blocker."


def test_findings_are_ordered_strongest_evidence_first(screen_lists):
    result = screen_lists(["metoprolol", "atorvastatin", "HCTZ", "Lasix"])

    assert [f["drug_class"] for f in result["findings"]] == [
        "thiazide_diuretic",
        "loop_diuretic",
        "statin",
        "beta_blocker",
    ]


def test_a_finding_carries_full_reference_objects_and_texts(screen_lists):
    finding = _finding(screen_lists(["HCTZ 25"]), "thiazide_diuretic")

    assert finding["drug_class_name"] == "Thiazide diuretic"
    assert finding["mechanism"] == "Mechanism for thiazide_diuretic."
    assert finding["patient_text"] == "Patient text for thiazide_diuretic."
    assert finding["needs_confirmation"] is False
    assert [r["key"] for r in finding["references"]] == ["garrison2012", "hctz_label"]
    assert finding["references"][0] == {
        "key": "garrison2012",
        "citation": "Citation for garrison2012.",
        "url": "https://example.org/garrison2012",
        "kind": "study",
        "evidence_level": "Observational study",
    }
    assert finding["evidence"]["references"][0]["citation"] == "Citation for garrison2012."


@pytest.mark.parametrize(
    ("medications", "needs_confirmation"),
    [
        (["furosimide"], True),
        (["furosimide", "Lasix"], False),
        (["Lasix"], False),
    ],
)
def test_a_finding_needs_confirmation_only_when_every_line_behind_it_is_probable(
    screen_lists, medications, needs_confirmation
):
    finding = _finding(screen_lists(medications), "loop_diuretic")

    assert finding["needs_confirmation"] is needs_confirmation


def test_a_class_level_atc_code_gives_a_finding_that_needs_confirmation(index):
    from screening.engine import ATC, Coding, LineInput, ScreeningRequest, screen

    result = screen(
        index, ScreeningRequest(medications=(LineInput("", (Coding(ATC, "C03AA"),)),))
    ).stored()

    assert result["findings"][0]["drug_class"] == "thiazide_diuretic"
    assert result["findings"][0]["needs_confirmation"] is True
