"""The pharmacist's audit, written from the pharmacist's side: a list as it arrives at the
counter, and what the screen must say about it — against the curated knowledge base.
"""

from pathlib import Path

import pytest

from screening.engine import LineInput, PatientFactors, ScreeningRequest, build_index, screen
from screening.engine.terms import EvidenceStrength, Severity, Urgency

KNOWLEDGE_BASE = Path(__file__).resolve().parents[2] / "fixtures" / "knowledge_base"


@pytest.fixture(scope="module")
def curated():
    from screening.knowledge.files import read_knowledge_base

    return build_index(read_knowledge_base(KNOWLEDGE_BASE).engine_snapshot(), version="audit")


@pytest.fixture(scope="module")
def screened(curated):
    def run(medications, supplements=(), **patient):
        return screen(
            curated,
            ScreeningRequest(
                medications=tuple(LineInput(text) for text in medications),
                supplements=tuple(LineInput(text) for text in supplements),
                patient=PatientFactors(**patient) if patient else None,
            ),
        )

    return run


def interactions(result) -> dict[str, Severity]:
    return {alert.key: alert.severity for alert in result.interactions}


def cautions(result) -> dict[str, Severity]:
    return {alert.key: alert.severity for alert in result.supplement_cautions}


# --- Critical: contraindicated pairs ---------------------------------------------------------


@pytest.mark.parametrize("partner", ["Noxafil 300 mg daily", "posaconazole 100mg DR tablet"])
def test_atorvastatin_with_posaconazole_is_contraindicated(screened, partner):
    result = screened(["Lipitor 20 mg", partner])

    assert interactions(result) == {"atorvastatin_posaconazole": Severity.CRITICAL}
    alert = result.interactions[0]
    assert "CONTRAINDICATED" in alert.message and "Noxafil" in alert.message
    assert {r.key for r in alert.references} >= {"noxafil_label", "fda_posaconazole_statins_2012"}


def test_atorvastatin_with_another_strong_cyp3a4_inhibitor_stays_a_dose_limit(screened):
    assert interactions(screened(["atorvastatin 40 mg", "clarithromycin 500 mg"])) == {
        "atorvastatin_strong_cyp3a4": Severity.WARNING
    }


@pytest.mark.parametrize("statin", ["simvastatin 20 mg", "Zocor 40mg", "lovastatin 20 mg"])
def test_simvastatin_and_lovastatin_with_posaconazole_are_contraindicated(screened, statin):
    assert (
        interactions(screened([statin, "Noxafil"]))["simvastatin_lovastatin_strong_cyp3a4"]
        == Severity.CRITICAL
    )


def test_danazol_is_known_and_contraindicated_with_simvastatin(screened):
    result = screened(["simvastatin 40 mg", "Danocrine 200 mg bid"])

    assert result.medications[1].ingredients == ("danazol",)
    assert interactions(result) == {"simvastatin_danazol": Severity.CRITICAL}


def test_lovastatin_with_danazol_is_capped_at_20_mg(screened):
    result = screened(["lovastatin 40 mg", "danazol 100mg"])

    assert interactions(result) == {"lovastatin_dose_limit_20mg": Severity.WARNING}
    assert "20 mg" in result.interactions[0].message


# --- Major ------------------------------------------------------------------------------------


def test_the_three_clear_signals_share_a_grade_and_findings_follow_the_grades(screened):
    result = screened(
        [
            "metoprolol succinate 50 mg",
            "atorvastatin 20 mg",
            "furosemide 40 mg",
            "Serevent Diskus",
            "spironolactone 25 mg",
            "chlorthalidone 25 mg",
        ]
    )

    grades = {f.drug_class: f.evidence.strength for f in result.findings}
    assert grades == {
        "thiazide_diuretic": EvidenceStrength.MODERATE,
        "potassium_sparing_diuretic": EvidenceStrength.MODERATE,
        "laba": EvidenceStrength.MODERATE,
        "loop_diuretic": EvidenceStrength.WEAK,
        "statin": EvidenceStrength.WEAK,
        "beta_blocker": EvidenceStrength.NONE,
    }
    ranks = [f.evidence.strength.rank for f in result.findings]
    assert ranks == sorted(ranks)


def test_finerenone_gives_no_cramp_finding_but_keeps_the_potassium_caution(screened):
    result = screened(["Kerendia 20 mg daily"], ["potassium chloride 20 mEq"])

    assert result.findings == ()
    assert cautions(result) == {"potassium_with_nonsteroidal_mra": Severity.WARNING}
    assert "water pill" not in result.supplement_cautions[0].patient_text


def test_new_sudden_confusion_is_an_emergency(screened):
    result = screened(["hydrochlorothiazide 25 mg"], symptoms=("confusion",))

    assert [(f.code, f.urgency) for f in result.red_flags] == [("confusion", Urgency.EMERGENCY)]
    assert "nhs_confusion" in {r.key for r in result.red_flags[0].references}


@pytest.mark.parametrize("bisphosphonate", ["etidronate 400 mg", "Didronel", "clodronate 800mg"])
def test_bisphosphonate_separation_names_etidronate_and_clodronate_and_the_longest_wait(
    screened, bisphosphonate
):
    result = screened([bisphosphonate], ["calcium carbonate 600 mg"])

    caution = next(c for c in result.supplement_cautions if c.key == "calcium_with_bisphosphonate")
    assert "etidronate" in caution.action and "clodronate" in caution.action
    assert "longest interval" in caution.action and "2 hours" in caution.action


def test_the_simvastatin_cyp3a4_advice_gives_rosuvastatin_only_with_its_own_limit(screened):
    result = screened(["simvastatin 40 mg", "clarithromycin 500 mg"])

    action = result.interactions[0].action
    assert "rosuvastatin" not in action or "10 mg" in action


@pytest.mark.parametrize("partner", ["atazanavir 300 mg", "Kaletra 200/50"])
def test_rosuvastatin_with_boosted_atazanavir_or_lopinavir_is_capped_at_10_mg(screened, partner):
    result = screened(["Crestor 20 mg", partner])

    assert interactions(result)["rosuvastatin_hiv_protease_dose_limit_10mg"] == Severity.WARNING


@pytest.mark.parametrize("statin", ["simvastatin 80 mg", "lovastatin 40 mg"])
def test_ticagrelor_with_simvastatin_or_lovastatin_warns_above_40_mg(screened, statin):
    result = screened([statin, "Brilinta 90 mg bid"])

    assert interactions(result)["statin_ticagrelor_dose_limit_40mg"] == Severity.WARNING
    assert "40 mg" in result.interactions[0].message


@pytest.mark.parametrize(
    ("antacid", "supplements"),
    [
        ("Maalox", {"aluminium", "magnesium"}),
        ("Mylanta", {"antacid"}),
        ("Gaviscon", {"antacid"}),
        ("Peptac", {"calcium"}),
        ("Acidex", {"calcium"}),
        ("Mucogel", {"aluminium", "magnesium"}),
        ("magnesium trisilicate mixture", {"magnesium"}),
        ("co-magaldrox 195/220", {"aluminium", "magnesium"}),
        ("co-simalcite", {"aluminium", "magnesium"}),
    ],
)
def test_antacids_are_read_as_the_minerals_they_contain_and_bind_ciprofloxacin(
    screened, antacid, supplements
):
    # given ciprofloxacin and an antacid, in either list
    for result in (
        screened(["ciprofloxacin 500 mg bid"], [antacid]),
        screened(["ciprofloxacin 500 mg bid", antacid]),
    ):
        # then each mineral it contains carries its chelation caution, with the separation
        found = {
            c.supplement
            for c in result.supplement_cautions
            if c.key.endswith("_with_fluoroquinolone")
        }
        assert found == supplements
        for caution in result.supplement_cautions:
            if caution.key.endswith("_with_fluoroquinolone"):
                assert caution.severity == Severity.WARNING
                assert "2 h before or 6 h after" in caution.action


def test_baloxavir_gets_the_chelation_cautions(screened):
    result = screened(["Xofluza 40 mg once"], ["calcium 500 mg", "Maalox"])

    assert {
        "calcium_with_baloxavir",
        "aluminium_with_baloxavir",
        "magnesium_with_baloxavir",
    } <= set(cautions(result))


@pytest.mark.parametrize(
    ("symptom", "code"),
    [
        ("cramp_over_ten_minutes", "prolonged_cramp"),
        ("cramps_after_dirty_wound", "possible_tetanus"),
    ],
)
def test_a_long_cramp_and_a_possible_tetanus_infection_need_a_same_day_check(
    screened, symptom, code
):
    result = screened(["metformin 500 mg"], symptoms=(symptom,))

    assert [(f.code, f.urgency) for f in result.red_flags] == [(code, Urgency.SAME_DAY)]
    assert {r.key for r in result.red_flags[0].references} & {"nhs_inform_leg_cramps"}


def test_every_warning_sign_and_red_flag_threshold_has_a_source(curated):
    for sign in (a for a in curated.advice if a.section == "warning_signs"):
        assert sign.advice.references, sign.advice.key
    for flag in curated.red_flags:
        assert flag.references, flag.code
    assert not any("two weeks" in flag.patient_texts["en"] for flag in curated.red_flags)


# --- Minor ------------------------------------------------------------------------------------


def test_omadacycline_has_its_4_hour_rule(screened):
    result = screened(["Nuzyra 300 mg"], ["magnesium oxide"])

    caution = next(c for c in result.supplement_cautions if c.key == "magnesium_with_tetracycline")
    assert "Omadacycline" in caution.action and "4 hours" in caution.action


@pytest.mark.parametrize("injection", ["Cabenuva 600/900 mg IM monthly", "Apretude 600 mg"])
def test_long_acting_injectable_cabotegravir_gets_no_mineral_caution(screened, injection):
    result = screened([injection], ["magnesium oxide 400 mg", "calcium 600 mg"])

    assert not [c for c in result.supplement_cautions if "integrase" in c.key]


def test_oral_cabotegravir_keeps_the_mineral_caution(screened):
    result = screened(["Vocabria 30 mg tablet"], ["magnesium oxide 400 mg"])

    assert "magnesium_with_integrase_inhibitor" in cautions(result)


def test_a_route_not_written_on_the_line_is_said_in_the_finding(screened):
    result = screened(["cabotegravir"], ["magnesium oxide 400 mg"])

    caution = next(c for c in result.supplement_cautions if "integrase" in c.key)
    assert caution.route_note and "oral" in caution.route_note


@pytest.mark.parametrize(
    "eye_drops", ["timolol 0.5% eye drops", "Timoptic", "Cosopt 1 drop OU bid"]
)
def test_beta_blocker_eye_drops_are_not_heart_pills(screened, eye_drops):
    result = screened([eye_drops])

    assert result.medications[0].route == "ophthalmic"
    assert result.findings == ()


def test_beta_blocker_tablets_still_get_the_honest_finding(screened):
    result = screened(["timolol 10 mg tablet"])

    assert [f.drug_class for f in result.findings] == ["beta_blocker"]
    assert result.findings[0].evidence.strength == EvidenceStrength.NONE


@pytest.mark.parametrize("local", ["Fucithalmic eye drops", "fusidic acid 2% cream"])
def test_topical_fusidic_acid_does_not_trigger_the_statin_interaction(screened, local):
    assert "statin_fusidic_acid" not in interactions(screened(["atorvastatin 20 mg", local]))


def test_systemic_fusidic_acid_with_a_statin_is_critical(screened):
    result = screened(["atorvastatin 20 mg", "fusidic acid 500mg tablets tds"])

    assert interactions(result)["statin_fusidic_acid"] == Severity.CRITICAL


def test_cyclosporine_eye_drops_do_not_trigger_the_statin_interaction(screened):
    assert interactions(screened(["simvastatin 20 mg", "Restasis 1 drop bid"])) == {}
    unstated = screened(["simvastatin 20 mg", "cyclosporine"])
    assert interactions(unstated) == {"statin_cyclosporine_contraindicated_or_avoid": "critical"}
    assert unstated.interactions[0].route_note


def test_bambuterol_tablets_are_a_laba_without_inhaler_wording(screened):
    result = screened(["Bambec 10 mg tablet nocte"])

    assert [f.drug_class for f in result.findings] == ["laba"]
    assert "inhaler" not in result.findings[0].patient_text


@pytest.mark.parametrize(
    ("product", "supplement"),
    [("Fosamax Plus D 70 mg/2800 IU", "vitamin_d"), ("Diumide-K Continus", "potassium")],
)
def test_combination_products_record_the_supplement_they_contain(screened, product, supplement):
    line = screened([product]).medications[0]

    assert supplement in line.supplements and line.ingredients


def test_red_yeast_rice_with_a_strong_cyp3a4_inhibitor_is_as_grave_as_lovastatin(screened):
    result = screened(["clarithromycin 500 mg"], ["red yeast rice 600 mg"])

    assert cautions(result)["red_yeast_rice_with_strong_cyp3a4_inhibitor"] == Severity.CRITICAL


def test_patient_wording_is_calm(curated):
    texts = [
        text
        for rules in curated.cautions_by_supplement.values()
        for rule in rules
        for text in rule.advice.patient_texts.values()
    ]
    assert texts and not any("stop your heart" in text for text in texts)


@pytest.mark.parametrize(
    ("code", "ingredient"), [("N02BF01", "gabapentin"), ("N02BF02", "pregabalin")]
)
def test_gabapentinoids_carry_the_current_atc_codes(curated, code, ingredient):
    assert curated.atc[code].ingredients == (ingredient,)


@pytest.mark.parametrize(
    ("brand", "ingredient"),
    [
        ("Lipex 20 mg", "simvastatin"),
        ("Simvar", "simvastatin"),
        ("Simvacor", "simvastatin"),
        ("Lorstat 40", "atorvastatin"),
        ("Cholstat 20mg", "pravastatin"),
        ("Diulo 5 mg", "metolazone"),
        ("Dithiazide", "hydrochlorothiazide"),
        ("Altocor", "lovastatin"),
        ("Foradile", "formoterol"),
        ("APO-Simvastatin 20mg", "simvastatin"),
    ],
)
def test_old_and_australian_brands_are_recognised(screened, brand, ingredient):
    line = screened([brand]).medications[0]

    assert line.status == "matched" and ingredient in line.ingredients
    assert line.reason is None


def test_nifedipine_and_short_acting_beta_agonists_are_stated_honestly(curated, screened):
    assert "nifedipine" in curated.drug_classes["calcium_channel_blocker"].evidence_summary
    result = screened(["Ventolin HFA 2 puffs prn"])
    assert [(f.drug_class, f.evidence.strength) for f in result.findings] == [
        ("saba", EvidenceStrength.WEAK)
    ]


@pytest.mark.parametrize(
    "combination", ["triamterine/HCTZ 37.5/25", "spirolactone/HCTZ 25/25", "HCTZ-amilorid 50/5"]
)
def test_a_misspelt_potassium_sparing_part_of_a_combination_still_raises_the_potassium_caution(
    screened, combination
):
    result = screened([combination], ["Klor-Con 20 mEq"])

    line = result.medications[0]
    assert line.status == "probable"
    assert "potassium_sparing_diuretic" in line.drug_classes
    caution = next(
        c
        for c in result.supplement_cautions
        if c.key == "potassium_with_potassium_sparing_diuretic"
    )
    assert caution.severity == Severity.CRITICAL
    assert caution.needs_confirmation


@pytest.mark.parametrize("written", ["NoSalt", "Morton Lite Salt", "KCl 20 mEq"])
def test_a_potassium_salt_substitute_or_kcl_counts_as_potassium(screened, written):
    # The lisinopril label warns against potassium-containing salt substitutes.
    result = screened(["lisinopril 20 mg"], [written])

    assert result.supplements[0].supplements == ("potassium",)
    assert "potassium_with_ace_inhibitor" in {c.key for c in result.supplement_cautions}


@pytest.mark.parametrize(
    ("written", "supplement"), [("MgO 400", "magnesium"), ("CaCO3", "calcium")]
)
def test_a_chemical_formula_names_its_supplement(screened, written, supplement):
    assert screened(["levothyroxine 50 mcg"], [written]).supplements[0].supplements == (supplement,)


@pytest.mark.parametrize(
    "partner", ["amiodarone 200 mg", "sotalol 80 mg bid", "citalopram 40 mg", "methadone 60 mg"]
)
def test_quinine_with_a_qt_prolonging_medicine_is_a_warning(screened, partner):
    # MHRA Drug Safety Update: quinine's QT effect is dose-dependent; caution with others.
    result = screened([partner], ["Qualaquin 324 mg qhs"])

    caution = next(c for c in result.supplement_cautions if c.key == "quinine_with_qt_prolonging")
    assert caution.severity == Severity.WARNING
    assert caution.medication_indexes == (0,)


@pytest.mark.parametrize("partner", ["carbamazepine 200 mg bid", "phenobarbital 60 mg"])
def test_quinine_raises_carbamazepine_and_phenobarbital(screened, partner):
    result = screened([partner], ["quinine sulfate 324 mg"])

    assert {c.key for c in result.supplement_cautions} >= {f"quinine_with_{partner.split()[0]}"}


@pytest.mark.parametrize(
    "partner",
    ["erythromycin 500 mg qid", "cyclosporine (Neoral) 100 mg bid", "gemfibrozil 600 mg bid"],
)
def test_red_yeast_rice_is_treated_as_lovastatin_with_its_contraindicated_partners(
    screened, partner
):
    result = screened([partner], ["red yeast rice 1200 mg"])

    cautions = {c.key: c for c in result.supplement_cautions}
    key = f"red_yeast_rice_with_{partner.split()[0]}"
    assert cautions[key].severity == Severity.CRITICAL


def test_red_yeast_rice_with_cyclosporine_eye_drops_is_not_raised(screened):
    result = screened(["Restasis 0.05% eye drops"], ["red yeast rice"])

    assert "red_yeast_rice_with_cyclosporine" not in {c.key for c in result.supplement_cautions}
