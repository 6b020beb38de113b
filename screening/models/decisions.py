"""What a pharmacist decided about a screening's findings, and the CDS Hooks clients and
cards those decisions may come through. Decisions are a record: written once, never
edited or deleted (the admin shows them read-only)."""

import uuid

from django.conf import settings
from django.db import models

from screening.engine import terms
from screening.models.accounts import ApiClient, Pharmacy
from screening.models.screenings import Screening

# v3 ActCode detected-issue management codes (FHIR R4 value set
# detectedissue-mitigation-action), written into DetectedIssue.mitigation.
MITIGATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


class IssueKind(models.TextChoices):
    RED_FLAG = terms.IssueKind.RED_FLAG, "Red flag"
    SUPPLEMENT_CAUTION = terms.IssueKind.SUPPLEMENT_CAUTION, "Supplement caution"
    INTERACTION = terms.IssueKind.INTERACTION, "Interaction"
    FINDING = terms.IssueKind.FINDING, "Cramp-linked medicine"


class OverrideReason(models.TextChoices):
    """The short list a pharmacist picks from, with the mitigation code each records."""

    BENEFIT_OUTWEIGHS_RISK = "benefit-outweighs-risk", "Benefit outweighs the risk"
    PRESCRIBER_AWARE = "prescriber-aware", "Prescriber consulted or already aware"
    WILL_MONITOR = "will-monitor", "Patient will be monitored"
    NOT_TAKING = "not-taking", "Patient no longer takes one of the medicines"
    DOES_NOT_APPLY = "does-not-apply", "Does not apply to this patient"
    OTHER = "other", "Other (see comment)"


MITIGATIONS = {
    # reason -> (code, display) in v3 ActCode, from HL7's ActDetectedIssueManagementCode
    # value set (terminology.hl7.org/ValueSet/v3-ActDetectedIssueManagementCode).
    "": ("2", "Assessed Patient"),  # acknowledged
    OverrideReason.BENEFIT_OUTWEIGHS_RISK: ("1", "Therapy Appropriate"),
    OverrideReason.PRESCRIBER_AWARE: ("5", "Consulted Prescriber"),
    OverrideReason.WILL_MONITOR: ("9", "Instituted Ongoing Monitoring Program"),
    OverrideReason.NOT_TAKING: ("7", "Interacting Therapy No Longer Active/Planned"),
    OverrideReason.DOES_NOT_APPLY: ("1", "Therapy Appropriate"),
    OverrideReason.OTHER: ("8", "Other Action Taken"),
}


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        OVERRIDDEN = "overridden", "Overridden"
        ACCEPTED = "accepted", "Suggestion accepted"

    class Source(models.TextChoices):
        COUNTER = "counter", "Counter screen"
        API = "api", "API"
        CDS_HOOKS = "cds_hooks", "CDS Hooks feedback"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.PROTECT, related_name="decisions")
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="decisions")
    knowledge_base_version = models.CharField(max_length=60)
    issue_key = models.CharField(max_length=200)
    issue_kind = models.CharField(max_length=30, choices=IssueKind.choices)
    issue_title = models.CharField(max_length=300)
    severity = models.CharField(max_length=10)
    # The ingredients (and classes, supplements) the issue rests on: a later screening of
    # the same patient with the same medicines finds this decision by them.
    medicines = models.JSONField(default=list)
    patient_key = models.CharField(max_length=64, blank=True, db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=40, choices=OverrideReason.choices, blank=True)
    comment = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    api_client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cds_client = models.ForeignKey(
        "CdsClient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who, as shown at the time (a user's name, a system's name, a CDS client's user id).
    decided_by_name = models.CharField(max_length=200)
    card = models.ForeignKey(
        "CdsCard", on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    # CDS Hooks feedback's own timestamp; with the card, what makes a resent report one record.
    outcome_timestamp = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["pharmacy", "patient_key", "issue_key", "-created"])]
        constraints = [
            models.UniqueConstraint(
                fields=["card", "outcome", "outcome_timestamp"],
                condition=models.Q(card__isnull=False),
                name="one_decision_per_feedback_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.issue_title} ({self.decided_by_name})"

    @property
    def mitigation(self) -> tuple[str, str]:
        return MITIGATIONS.get(self.reason, MITIGATIONS[""])


class CdsClient(models.Model):
    """An EHR or pharmacy system calling the CDS Hooks service, for one pharmacy. It signs
    each call with a JWT (`iss` = issuer) whose key is found in its JWK Set: at `jwks_url`,
    or stored in `jwks` when the client publishes none."""

    name = models.CharField(max_length=200)
    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.PROTECT, related_name="cds_clients")
    issuer = models.CharField(max_length=300, unique=True)
    jwks_url = models.URLField(blank=True)
    jwks = models.JSONField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "CDS Hooks client"

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"


class CdsTokenUse(models.Model):
    """A JWT id already seen from a client: the same `jti` again is a replay. Kept until the
    token expires (the spec's tokens live five minutes or less; see cds_hooks/auth.py)."""

    client = models.ForeignKey(CdsClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "jti"], name="one_use_per_jti")]

    def __str__(self) -> str:
        return f"{self.jti} until {self.expires_at:%Y-%m-%d %H:%M}"


class CdsCard(models.Model):
    """A card the service answered with: feedback names it by uuid."""

    uuid = models.UUIDField(primary_key=True)
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="cds_cards")
    issue_key = models.CharField(max_length=200)  # blank for the "not screened" card
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Card {self.uuid} ({self.issue_key or 'notice'})"
