import copy
from pathlib import Path

import pytest
import yaml

from screening.knowledge.validation import handout_languages

MINIMAL_KNOWLEDGE_BASE = {
    "references.yaml": [
        {
            "key": "garrison2012",
            "citation": "Garrison SR et al. Arch Intern Med. 2012;172(2):120-126.",
            "url": "https://doi.org/10.1001/archinternmed.2011.1029",
            "kind": "study",
            "evidence_level": "Observational",
        },
        {"key": "spironolactone_label", "citation": "Aldactone label.", "kind": "label"},
    ],
    "drug_classes.yaml": [
        {
            "slug": "loop_diuretic",
            "name": "Loop diuretics",
            "atc_codes": ["C03C"],
            "cramp_linked": True,
            "evidence": {
                "strength": "weak",
                "summary": "Weak signal.",
                "references": ["garrison2012"],
            },
            "mechanism": "Loss of potassium and magnesium.",
            "patient_text": "It can make cramps more likely.",
            "references": ["garrison2012"],
        },
        {
            "slug": "potassium_sparing_diuretic",
            "name": "Potassium-sparing diuretics",
            "cramp_linked": True,
            "evidence": {
                "strength": "strong",
                "summary": "Signal.",
                "references": ["garrison2012"],
            },
            "mechanism": "Electrolyte shifts.",
            "patient_text": "It can make cramps more likely.",
            "references": ["garrison2012"],
        },
    ],
    "ingredients/test.yaml": [
        {
            "name": "furosemide",
            "synonyms": ["frusemide"],
            "rxcui": "4603",
            "atc": ["C03CA01"],
            "classes": ["loop_diuretic"],
        },
        {
            "name": "amiloride",
            "rxcui": "644",
            "atc": ["C03DB01"],
            "classes": ["potassium_sparing_diuretic"],
        },
    ],
    "products/test.yaml": [
        {"name": "Lasix", "ingredients": ["furosemide"], "kind": "brand", "markets": ["US"]},
        {
            "name": "co-amilofruse",
            "ingredients": ["amiloride", "furosemide"],
            "kind": "co_name",
            "markets": ["UK"],
        },
    ],
    "supplements.yaml": [
        {
            "slug": "potassium",
            "name": "Potassium",
            "forms": ["potassium chloride"],
            "products": ["Klor-Con"],
        },
    ],
    "supplement_cautions.yaml": [
        {
            "key": "potassium_with_potassium_sparing_diuretic",
            "supplement": "potassium",
            "drug_class": "potassium_sparing_diuretic",
            "severity": "critical",
            "mechanism": "Hyperkalaemia.",
            "message": "Potassium with a potassium-sparing diuretic.",
            "action": "Do not take it unprescribed.",
            "patient_text": "Do not take potassium unless your prescriber says so.",
            "references": ["spironolactone_label"],
        },
    ],
    "interactions.yaml": [],
    "symptoms.yaml": [{"code": "dark_urine", "label": "Dark urine", "patient_label": "Dark urine"}],
    "red_flags.yaml": [
        {
            "code": "dark_urine",
            "name": "Dark urine",
            "symptoms": ["dark_urine"],
            "urgency": "same_day",
            "message": "Possible muscle breakdown.",
            "patient_text": "Get help today.",
        },
    ],
    "look_alike_names.yaml": [],
    "ambiguous_names.yaml": [
        {"name": "Triatec", "reason": "Ramipril in France; codeine with paracetamol in Canada."}
    ],
    "advice.yaml": [
        {"key": "do_not_stop", "section": "counselling", "text": "Do not stop your medicines."},
        {
            "key": "talk_with_prescriber",
            "section": "counselling",
            "text": "Talk with your prescriber.",
        },
        {
            "key": "swollen_leg",
            "section": "warning_signs",
            "urgency": "emergency",
            "text": "One leg is swollen.",
            "references": ["garrison2012"],
        },
    ],
    # Every patient-facing text in every handout language (settings.LANGUAGES).
    "translations/es.yaml": {
        "drug_classes": {
            "loop_diuretic": {"patient_text": "Puede hacer más probables los calambres."},
            "potassium_sparing_diuretic": {
                "patient_text": "Puede hacer más probables los calambres."
            },
        },
        "ingredients": {"furosemide": {"name": "furosemida"}},
        "symptoms": {"dark_urine": {"patient_label": "Orina oscura"}},
        "supplement_cautions": {
            "potassium_with_potassium_sparing_diuretic": {
                "patient_text": "No tome potasio a menos que su médico se lo indique."
            }
        },
        "red_flags": {"dark_urine": {"patient_text": "Busque ayuda hoy."}},
        "advice": {
            "do_not_stop": {"text": "No deje de tomar sus medicinas."},
            "talk_with_prescriber": {"text": "Hable con su médico."},
            "swollen_leg": {"text": "Una pierna está hinchada."},
        },
    },
}


def write_knowledge_base(directory: Path, content: dict) -> Path:
    for relative, entries in content.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(entries, sort_keys=False))
    return directory


def with_every_handout_language(content: dict) -> dict:
    """The Spanish wording stands in for every other handout language the site has, so
    the minimal knowledge base stays loadable when a language is added."""
    content = copy.deepcopy(content)
    for language in handout_languages():
        if language != "es":
            content[f"translations/{language}.yaml"] = copy.deepcopy(
                content["translations/es.yaml"]
            )
    return content


@pytest.fixture
def minimal_kb(tmp_path) -> Path:
    return write_knowledge_base(
        tmp_path / "kb", with_every_handout_language(MINIMAL_KNOWLEDGE_BASE)
    )
