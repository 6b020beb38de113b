"""Hand-written screening results in the engine's result shape (docs/api.md), so the
handout tests do not depend on the engine or the knowledge base being loaded."""

import copy

KB_VERSION = "2026.11-test"


def _line(
    index, text, *, status="matched", ingredients=(), classes=(), product=None, supplement=None
):
    return {
        "index": index,
        "input": text,
        "status": status,
        "ingredients": list(ingredients),
        "product": product,
        "drug_classes": list(classes),
        "supplement": supplement,
        "match": None if status == "unrecognized" else {"kind": "name", "score": 100},
        "suggestions": [],
        "reason": "No medicine matched this line." if status == "unrecognized" else None,
    }


REFERENCE = {
    "key": "garrison2012",
    "citation": "Garrison SR et al. Arch Intern Med. 2012;172(2):120-126.",
    "url": "https://doi.org/10.1001/archinternmed.2011.1029",
    "kind": "study",
    "evidence_level": "Observational",
}

COUNSELLING = [
    {"key": "do_not_stop", "text": "Do not stop any medicine on your own."},
    {"key": "talk_with_prescriber", "text": "Talk with your prescriber about your cramps."},
]

THIAZIDE_FINDING = {
    "drug_class": "thiazide_diuretic",
    "drug_class_name": "Thiazide and thiazide-like diuretics",
    "medication_indexes": [1],
    "needs_confirmation": False,
    "evidence": {
        "strength": "strong",
        "summary": "Sequence symmetry analysis.",
        "references": [REFERENCE],
    },
    "mechanism": "Urinary loss of potassium and magnesium.",
    "patient_text": "This water pill makes you lose salts in your urine. Low salts can cause cramps.",
    "references": [REFERENCE],
}

STATIN_FINDING = {
    "drug_class": "statin",
    "drug_class_name": "Statins",
    "medication_indexes": [2],
    "needs_confirmation": False,
    "evidence": {"strength": "weak", "summary": "Mixed trial data.", "references": [REFERENCE]},
    "mechanism": "Myopathy.",
    "patient_text": "Some people get sore or tight muscles on this cholesterol pill.",
    "references": [REFERENCE],
}

TYPICAL = {
    "id": "00000000-0000-0000-0000-000000000001",
    "created": "2026-11-21T10:00:00+00:00",
    "knowledge_base": {"version": KB_VERSION},
    "medications": [
        _line(0, "metformin 500 mg bid", ingredients=["metformin"]),
        _line(
            1,
            "Hidroclorotiazida 25 mg",
            ingredients=["hydrochlorothiazide"],
            classes=["thiazide_diuretic"],
        ),
        _line(
            2, "Lipitor 40 mg", ingredients=["atorvastatin"], classes=["statin"], product="Lipitor"
        ),
        _line(3, "lisinopril 10 mg", ingredients=["lisinopril"], classes=["ace_inhibitor"]),
        _line(4, "Zumo de ñame", status="unrecognized"),
    ],
    "supplements": [
        _line(0, "Slow-Mag", ingredients=[], supplement="magnesium"),
        _line(1, "Potasio 99 mg", ingredients=[], supplement="potassium"),
    ],
    "findings": [THIAZIDE_FINDING, STATIN_FINDING],
    "interactions": [],
    "supplement_cautions": [
        {
            "key": "magnesium_any_patient",
            "supplement": "magnesium",
            "source": {"list": "supplements", "index": 0},
            "medication_indexes": [],
            "severity": "info",
            "message": "Magnesium has not been shown to prevent cramps in older adults.",
            "mechanism": "",
            "action": "Ask us if it is still worth taking.",
            "patient_text": "Magnesium does not help most people with night cramps.",
            "needs_confirmation": False,
            "references": [REFERENCE],
        },
        {
            "key": "potassium_with_ace_inhibitor",
            "supplement": "potassium",
            "source": {"list": "supplements", "index": 1},
            "medication_indexes": [3],
            "severity": "critical",
            "message": "ACE inhibitors raise potassium; extra potassium risks hyperkalaemia.",
            "mechanism": "Reduced aldosterone.",
            "action": "Do not take potassium unless your doctor tells you to.",
            "patient_text": "Your blood pressure pill keeps potassium in your body. Too much can harm your heart.",
            "needs_confirmation": False,
            "references": [REFERENCE],
        },
    ],
    "red_flags": [],
    "counselling": COUNSELLING,
    "not_screened": [4],
    "not_screened_supplements": [],
    "unknown_symptoms": [],
}

NO_FINDINGS = {
    **copy.deepcopy(TYPICAL),
    "medications": [_line(0, "metformin 500 mg bid", ingredients=["metformin"])],
    "supplements": [],
    "findings": [],
    "supplement_cautions": [],
    "not_screened": [],
}

UNRECOGNISED_ONLY = {
    **copy.deepcopy(TYPICAL),
    "medications": [
        _line(0, "the little white pill", status="unrecognized"),
        _line(1, "<b>asdfgh</b>", status="unrecognized"),
    ],
    "supplements": [_line(0, "herbal tea", status="unrecognized")],
    "findings": [],
    "supplement_cautions": [],
    "not_screened": [0, 1],
    "not_screened_supplements": [0],
}


def _many_findings():
    result = copy.deepcopy(TYPICAL)
    result["medications"] = [
        _line(
            0, "Lasix 40 mg", ingredients=["furosemide"], classes=["loop_diuretic"], product="Lasix"
        ),
        _line(
            1,
            "losartan/HCTZ 100/25",
            ingredients=["losartan", "hydrochlorothiazide"],
            classes=["arb", "thiazide_diuretic"],
        ),
        _line(2, "simvastatin 40 mg", ingredients=["simvastatin"], classes=["statin"]),
        _line(3, "Ventolin inhaler", ingredients=["salbutamol"], classes=[]),
        _line(4, "salmeterol", ingredients=["salmeterol"], classes=["laba"]),
        _line(
            5,
            "spironolactone 25 mg",
            ingredients=["spironolactone"],
            classes=["potassium_sparing_diuretic"],
        ),
        _line(
            6,
            "clarithromycin 500 mg",
            ingredients=["clarithromycin"],
            classes=["strong_cyp3a4_inhibitor"],
        ),
        _line(
            7,
            "pregabalin",
            status="probable",
            ingredients=["pregabalin"],
            classes=["gabapentinoid"],
        ),
    ]
    result["findings"] = [
        {**THIAZIDE_FINDING, "medication_indexes": [1]},
        {
            **THIAZIDE_FINDING,
            "drug_class": "loop_diuretic",
            "drug_class_name": "Loop diuretics",
            "medication_indexes": [0],
            "evidence": {**THIAZIDE_FINDING["evidence"], "strength": "moderate"},
            "patient_text": "This strong water pill makes you pass more urine. You can lose salts that muscles need.",
        },
        {**STATIN_FINDING, "medication_indexes": [2]},
        {
            **STATIN_FINDING,
            "drug_class": "laba",
            "drug_class_name": "Long-acting beta-2 agonists",
            "medication_indexes": [4],
            "evidence": {**STATIN_FINDING["evidence"], "strength": "strong"},
            "patient_text": "This inhaler can lower the potassium in your blood. That can cause cramps.",
        },
        {
            **STATIN_FINDING,
            "drug_class": "potassium_sparing_diuretic",
            "drug_class_name": "Potassium-sparing diuretics",
            "medication_indexes": [5],
            "evidence": {**STATIN_FINDING["evidence"], "strength": "none"},
            "patient_text": "This water pill keeps potassium in. Studies do not tie it to cramps.",
        },
        {
            **STATIN_FINDING,
            "drug_class": "gabapentinoid",
            "drug_class_name": "Gabapentinoids",
            "medication_indexes": [7],
            "needs_confirmation": True,
            "patient_text": "This nerve pain pill can cause muscle aches in a few people.",
        },
    ]
    result["interactions"] = [
        {
            "key": "simvastatin_strong_cyp3a4",
            "severity": "critical",
            "medication_indexes": [2, 6],
            "message": "Clarithromycin raises simvastatin levels: rhabdomyolysis risk.",
            "mechanism": "CYP3A4 inhibition.",
            "action": "Contact the prescriber today.",
            "patient_text": "Taking these two together can hurt your muscles. Call your doctor today.",
            "needs_confirmation": False,
            "references": [REFERENCE],
        }
    ]
    result["red_flags"] = [
        {
            "code": "dark_urine_possible_rhabdomyolysis",
            "name": "Dark urine with muscle pain or weakness",
            "urgency": "emergency",
            "symptoms": ["dark_urine"],
            "medication_indexes": [2],
            "message": "Possible rhabdomyolysis.",
            "patient_text": "You said your urine is dark. With your statin this can mean muscle harm.",
            "references": [REFERENCE],
        }
    ]
    result["counselling"] = [
        *COUNSELLING,
        {"key": "bring_your_list", "text": "Bring all your pill bottles to each visit."},
    ]
    result["not_screened"] = []
    return result


MANY_FINDINGS = _many_findings()

ALL_PATHS = {
    "typical": TYPICAL,
    "no findings": NO_FINDINGS,
    "unrecognised only": UNRECOGNISED_ONLY,
    "many findings": MANY_FINDINGS,
}
