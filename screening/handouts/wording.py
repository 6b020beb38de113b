"""The handout's own fixed sentences, translated through gettext.

The knowledge base's patient texts come in every handout language with the screening
result; these are the few general sentences the handout adds around them, one per value
of a vocabulary (evidence strength, severity, urgency). A new language needs only its
message file (and its knowledge-base wording).
"""

from django.utils.translation import gettext_lazy as _

from screening.engine.terms import EvidenceStrength, Severity, Urgency

EVIDENCE_SENTENCES = {
    EvidenceStrength.STRONG: _("Studies show a clear link with leg cramps."),
    EvidenceStrength.MODERATE: _("Studies show some link with leg cramps."),
    EvidenceStrength.WEAK: _("Studies show only a weak link with leg cramps."),
    EvidenceStrength.NONE: _("Studies have not found a link with leg cramps."),
}

CAUTION_SENTENCES = {
    Severity.CRITICAL: _(
        "Do not take this supplement unless your prescriber says it is safe for you."
    ),
    Severity.WARNING: _("Ask your pharmacist or prescriber before you take this supplement."),
    Severity.INFO: _("Tell your pharmacist and prescriber that you take this supplement."),
}

INTERACTION_SENTENCES = {
    Severity.CRITICAL: _(
        "These medicines can be risky together. Ask your pharmacist or prescriber about them today."
    ),
    Severity.WARNING: _("These medicines can affect each other. Ask your pharmacist about them."),
    Severity.INFO: _("These medicines can affect each other. Tell your prescriber you take both."),
}

RED_FLAG_URGENCY_SENTENCES = {
    Urgency.EMERGENCY: _("Get medical help right away."),
    Urgency.SAME_DAY: _("See a doctor today."),
    Urgency.SOON: _("See your doctor soon."),
}

# Lead-ins of the warning signs printed on every handout, by how soon to act.
WARNING_SIGN_LEADS = {
    Urgency.EMERGENCY: _("Get medical help right away if:"),
    Urgency.SAME_DAY: _("See a doctor today if:"),
    Urgency.SOON: _("See your doctor soon if:"),
}
