"""Screenings and the handouts rendered from them. Both belong to a pharmacy."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from screening.engine import terms
from screening.models.accounts import ApiClient, Pharmacy
from screening.models.fields import DocumentJSONField


class LineStatus(models.TextChoices):
    """Display labels of a screened line's status (values: screening.engine.terms)."""

    MATCHED = terms.LineStatus.MATCHED, "Matched"
    PROBABLE = terms.LineStatus.PROBABLE, "Probable: confirm"
    UNRECOGNIZED = terms.LineStatus.UNRECOGNIZED, "Not recognised"


class MatchMethod(models.TextChoices):
    """How a line was read, in the pharmacist's words."""

    EXACT_INGREDIENT = terms.MatchMethod.EXACT_INGREDIENT, "ingredient name"
    EXACT_PRODUCT = terms.MatchMethod.EXACT_PRODUCT, "product name"
    CO_NAME = terms.MatchMethod.CO_NAME, "UK co- name"
    COMBINATION = terms.MatchMethod.COMBINATION, "several names on one line"
    SUPPLEMENT = terms.MatchMethod.SUPPLEMENT, "supplement name"
    FUZZY = terms.MatchMethod.FUZZY, "closest known name to a misspelling"
    EXTERNAL_VOCABULARY = (
        terms.MatchMethod.EXTERNAL_VOCABULARY,
        "medicine name from the open drug vocabulary",
    )
    CODE_RXNORM = terms.MatchMethod.CODE_RXNORM, "RxNorm code"
    CODE_NDC = terms.MatchMethod.CODE_NDC, "NDC code"
    CODE_ATC = terms.MatchMethod.CODE_ATC, "ATC code"
    CODE_ATC_CLASS = terms.MatchMethod.CODE_ATC_CLASS, "ATC class code"
    CODING_DISPLAY = terms.MatchMethod.CODING_DISPLAY, "the code's display name"


class Screening(models.Model):
    class Source(models.TextChoices):
        API = "api", "API"
        COUNTER = "counter", "Counter screen"
        CDS_HOOKS = "cds_hooks", "CDS Hooks"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.PROTECT, related_name="screenings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    api_client = models.ForeignKey(
        ApiClient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    # A keyed hash of who the patient is in the sender's system (services/decisions.py),
    # never the identifier itself: how an acknowledged alert is recognised next time.
    patient_key = models.CharField(max_length=64, blank=True, db_index=True)
    knowledge_base_version = models.CharField(max_length=60)
    request = DocumentJSONField()
    result = DocumentJSONField()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["pharmacy", "-created"])]

    def __str__(self) -> str:
        return f"Screening {self.id}"


def handout_file_path(instance: "Handout", filename: str) -> str:
    """One fixed name per handout and kind, so a re-render replaces its file, never adds one."""
    created = instance.created or timezone.now()
    return f"handouts/{created:%Y/%m}/{instance.id}/{filename}"


class Handout(models.Model):
    """A printable handout; the row is the record of the work, whatever the broker does."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        # Past the retention period: files and patient name deleted, the row kept.
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="handouts")
    language = models.CharField(max_length=10)
    patient_name = models.CharField(max_length=120, blank=True)
    pharmacist_name = models.CharField(max_length=120, blank=True)
    # The pharmacist who released the handout's patient-facing text.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    # A running handout whose lease has expired belongs to a dead worker: it is requeued.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    # When the job's message was last sent: a queued handout whose message is older than a
    # lease was lost by the broker and is sent again (a compare-and-set on this field).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    paper = models.CharField(max_length=10, blank=True)
    pdf = models.FileField(upload_to=handout_file_path, blank=True)
    html = models.FileField(upload_to=handout_file_path, blank=True)
    error = models.TextField(blank=True)
    readability_grade = models.FloatField(null=True, blank=True)
    # The language's own readability formula (handouts/readability.py) and its score.
    readability_formula = models.CharField(max_length=40, blank=True)
    readability_score = models.FloatField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    purged = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["screening", "language", "-created"]),
            models.Index(fields=["status", "lease_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"Handout {self.id} ({self.language}, {self.status})"


class IdempotencyRecord(models.Model):
    """A POST sent with an `Idempotency-Key`: what it created, so a retry of the same
    request (a timeout, a worker killed mid-request) gets that answer instead of a second
    record. The key is the caller's, scoped to its pharmacy (services/idempotency.py)."""

    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    operation = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    object_id = models.UUIDField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pharmacy", "key"], name="one_request_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
