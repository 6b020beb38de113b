"""The handout's own fixed sentences, translated through gettext.

The knowledge base's patient texts are English data. In any other language the handout
says the same things with these reviewed, translated sentences instead: one sentence per
evidence strength, per drug class, per caution severity and per red-flag urgency. A new
language needs only a message file; a new drug class without a sentence here falls back
to a translated sentence around the class's (English) name.
"""

from django.utils.translation import gettext_lazy as _

EVIDENCE_SENTENCES = {
    "strong": _("Studies show a clear link with leg cramps."),
    "moderate": _("Studies show some link with leg cramps."),
    "weak": _("Studies show only a weak link with leg cramps."),
    "none": _("Studies have not found a link with leg cramps."),
}

# Keyed by the knowledge base's drug-class slug (fixtures/knowledge_base/drug_classes.yaml).
DRUG_CLASS_SENTENCES = {
    "thiazide_diuretic": _("This medicine is a thiazide diuretic. It makes you pass more urine."),
    "loop_diuretic": _("This medicine is a loop diuretic. It makes you pass more urine."),
    "potassium_sparing_diuretic": _(
        "This medicine is a potassium-sparing diuretic. It makes you pass more urine."
    ),
    "statin": _("This medicine is a statin. It lowers cholesterol."),
    "fibrate": _("This medicine is a fibrate. It lowers fats in the blood."),
    "laba": _(
        "This medicine opens the airways for many hours. It is a long-acting bronchodilator."
    ),
    "beta_blocker": _(
        "This medicine is a beta blocker. It slows the heart and lowers blood pressure."
    ),
    "ace_inhibitor": _("This medicine is an ACE inhibitor. It lowers blood pressure."),
    "arb": _("This medicine is an ARB. It lowers blood pressure."),
    "calcium_channel_blocker": _(
        "This medicine is a calcium channel blocker. It lowers blood pressure."
    ),
    "renin_inhibitor": _("This medicine is a renin inhibitor. It lowers blood pressure."),
    "proton_pump_inhibitor": _("This medicine lowers stomach acid. It is a proton pump inhibitor."),
    "bisphosphonate": _("This medicine is a bisphosphonate. It helps keep bones strong."),
    "fluoroquinolone": _("This medicine is an antibiotic of the fluoroquinolone group."),
    "tetracycline": _("This medicine is an antibiotic of the tetracycline group."),
}
OTHER_DRUG_CLASS_SENTENCE = _("This medicine belongs to this group: %(class_name)s.")

CAUTION_SENTENCES = {
    "critical": _("Do not take this supplement unless your prescriber says it is safe for you."),
    "warning": _("Ask your pharmacist or prescriber before you take this supplement."),
    "info": _("Tell your pharmacist and prescriber that you take this supplement."),
}

INTERACTION_SENTENCES = {
    "critical": _(
        "These medicines can be risky together. Ask your pharmacist or prescriber about them today."
    ),
    "warning": _("These medicines can affect each other. Ask your pharmacist about them."),
    "info": _("These medicines can affect each other. Tell your prescriber you take both."),
}

# Keyed by the knowledge base's red-flag code (fixtures/knowledge_base/red_flags.yaml). Red
# flags are raised by what the patient reported, hence "You told us".
RED_FLAG_SENTENCES = {
    "dark_urine_possible_rhabdomyolysis": _("You told us your urine is dark."),
    "muscle_pain_or_weakness_on_statin": _(
        "You told us you have muscle pain or weakness with no clear cause."
    ),
    "new_muscle_weakness": _("You told us you have new muscle weakness."),
    "possible_dvt": _("You told us one calf is swollen, red, or warm."),
    "chest_pain_or_breathlessness": _("You told us you have chest pain or trouble breathing."),
    "cramps_persisting_two_weeks": _("You told us your cramps are not better after two weeks."),
    "daytime_cramps_with_weakness": _(
        "You told us you have cramps in the daytime with weakness or twitching."
    ),
    "numbness_or_tingling": _("You told us you have numbness or tingling."),
    "palpitations_possible_electrolyte_disturbance": _(
        "You told us your heart races or skips beats."
    ),
    "confusion": _("You told us about new confusion or sleepiness."),
    "leg_pain_on_walking": _("You told us your legs hurt when you walk."),
    "vomiting_or_diarrhoea_on_diuretic": _("You told us you are vomiting or have diarrhea."),
    "unusual_bleeding_or_bruising": _("You told us about unusual bleeding or bruising."),
    "ringing_in_ears_or_vision_change": _(
        "You told us about ringing in your ears or a change in your vision."
    ),
    "fainting": _("You told us you fainted or collapsed."),
}
OTHER_RED_FLAG_SENTENCE = _("You told us about this sign: %(name)s.")

RED_FLAG_URGENCY_SENTENCES = {
    "emergency": _("Get medical help right away."),
    "same_day": _("See a doctor today."),
    "soon": _("See your doctor soon."),
}
