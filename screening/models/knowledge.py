"""The knowledge base: cramp-linked drug classes, the drugs and products in them,
supplement cautions, interactions and red flags, each with its references.

Curated in ``fixtures/knowledge_base/`` (see docs/knowledge_base.md) and loaded by
``manage.py load_knowledge_base``; pharmacists may edit it in the admin, where every
change is kept in the history tables.
"""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from screening.engine import counselling, terms
from screening.knowledge.kinds import look_alike_key

# The engine defines the values (screening.engine.terms); these are their display labels,
# the only ones: the admin, the counter and the audit list all show these.


class Severity(models.TextChoices):
    CRITICAL = terms.Severity.CRITICAL, "Critical"
    WARNING = terms.Severity.WARNING, "Warning"
    INFO = terms.Severity.INFO, "Info"


class EvidenceStrength(models.TextChoices):
    STRONG = terms.EvidenceStrength.STRONG, "Strong"
    MODERATE = terms.EvidenceStrength.MODERATE, "Moderate"
    WEAK = terms.EvidenceStrength.WEAK, "Weak"
    NONE = terms.EvidenceStrength.NONE, "No association found"
    NOT_APPLICABLE = terms.EvidenceStrength.NOT_APPLICABLE, "Not applicable"


class Urgency(models.TextChoices):
    EMERGENCY = terms.Urgency.EMERGENCY, "Emergency: get care now"
    SAME_DAY = terms.Urgency.SAME_DAY, "Same day"
    SOON = terms.Urgency.SOON, "Soon (within days)"


class Translation(models.Model):
    """A patient-facing text of a knowledge-base entry in one handout language.

    The entry's own field holds the knowledge base's language (English); each other
    language's wording is a row here, edited in the admin under its entry, with history."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=40)
    language = models.CharField(max_length=10)
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["content_type", "object_id", "field", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="one_translation_per_field_and_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.field} ({self.language})"


class Reference(models.Model):
    class Kind(models.TextChoices):
        LABEL = "label", "Drug label"
        GUIDELINE = "guideline", "Guideline"
        STUDY = "study", "Study"
        REVIEW = "review", "Review"
        LIST = "list", "Reference list"

    key = models.SlugField(max_length=100, unique=True)
    citation = models.TextField()
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    evidence_level = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class DrugClass(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    atc_codes = models.JSONField(default=list, blank=True)
    cramp_linked = models.BooleanField(default=False)
    evidence_strength = models.CharField(max_length=20, choices=EvidenceStrength.choices)
    evidence_summary = models.TextField(blank=True)
    evidence_references = models.ManyToManyField(Reference, related_name="+", blank=True)
    mechanism = models.TextField(blank=True)
    patient_text = models.TextField(blank=True)
    references = models.ManyToManyField(Reference, related_name="drug_classes", blank=True)
    routes = models.JSONField(
        default=list, blank=True, help_text="Routes a finding applies to; empty: every route."
    )
    translations = GenericRelation(Translation)
    history = HistoricalRecords(m2m_fields=[references, evidence_references])

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "drug classes"

    def __str__(self) -> str:
        return self.name


class Ingredient(models.Model):
    name = models.CharField(max_length=120, unique=True, help_text="US generic name, no salt.")
    synonyms = models.JSONField(
        default=list, blank=True, help_text="International and former names."
    )
    salts = models.JSONField(default=list, blank=True)
    rxcui = models.CharField("RxNorm RxCUI", max_length=20, blank=True, db_index=True)
    atc = models.JSONField("ATC codes", default=list, blank=True)
    classes = models.ManyToManyField(DrugClass, related_name="ingredients", blank=True)
    routes = models.JSONField(default=list, blank=True, help_text="The routes it is given by.")
    translations = GenericRelation(Translation)
    history = HistoricalRecords(m2m_fields=[classes])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class Kind(models.TextChoices):
        BRAND = "brand", "Brand"
        CO_NAME = "co_name", "UK co- name"
        GENERIC = "generic", "Generic product name"

    name = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BRAND)
    markets = models.JSONField(default=list, blank=True)
    release = models.CharField(max_length=20, blank=True)
    rxcui = models.CharField("RxNorm RxCUI", max_length=20, blank=True)
    route = models.CharField(max_length=20, blank=True, help_text="The route it implies.")
    supplements = models.JSONField(
        default=list, blank=True, help_text="Supplement slugs it also contains (vitamin D)."
    )
    ingredients = models.ManyToManyField(Ingredient, related_name="products")
    history = HistoricalRecords(m2m_fields=[ingredients])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Supplement(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    synonyms = models.JSONField(default=list, blank=True)
    forms = models.JSONField(default=list, blank=True)
    products = models.JSONField(default=list, blank=True)
    also = models.JSONField(
        default=list, blank=True, help_text="Other supplement slugs its products contain."
    )
    dose_notes = models.TextField(blank=True)
    cramp_evidence = models.TextField(blank=True)
    references = models.ManyToManyField(Reference, related_name="supplements", blank=True)
    translations = GenericRelation(Translation)
    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class SupplementCaution(models.Model):
    class Condition(models.TextChoices):
        ANY_PATIENT = "any_patient", "Any patient"
        EGFR_BELOW_30 = "egfr_below_30", "eGFR below 30"
        EGFR_BELOW_60 = "egfr_below_60", "eGFR below 60"

    key = models.SlugField(max_length=120, unique=True)
    supplement = models.ForeignKey(Supplement, on_delete=models.PROTECT, related_name="cautions")
    drug_class = models.ForeignKey(
        DrugClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ingredient = models.ForeignKey(
        Ingredient, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    condition = models.CharField(max_length=30, choices=Condition.choices, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    mechanism = models.TextField()
    message = models.TextField()
    action = models.TextField()
    patient_text = models.TextField()
    references = models.ManyToManyField(Reference, related_name="supplement_cautions")
    routes = models.JSONField(
        default=list, blank=True, help_text="Routes of the medicine it applies to; empty: every."
    )
    translations = GenericRelation(Translation)
    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["supplement__slug", "key"]

    def __str__(self) -> str:
        return self.key


class Interaction(models.Model):
    """Two sides, each a set of ingredients and/or classes (see docs/knowledge_base.md)."""

    key = models.SlugField(max_length=120, unique=True)
    left = models.JSONField()
    right = models.JSONField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    mechanism = models.TextField()
    message = models.TextField()
    action = models.TextField()
    patient_text = models.TextField()
    references = models.ManyToManyField(Reference, related_name="interactions")
    translations = GenericRelation(Translation)
    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Symptom(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=200)
    patient_label = models.CharField(max_length=200)
    translations = GenericRelation(Translation)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class RedFlag(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    symptoms = models.JSONField(default=list)
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    urgency_with_related_class = models.CharField(
        max_length=20, choices=Urgency.choices, blank=True
    )
    related_classes = models.ManyToManyField(DrugClass, related_name="red_flags", blank=True)
    message = models.TextField()
    patient_text = models.TextField()
    references = models.ManyToManyField(Reference, related_name="red_flags", blank=True)
    translations = GenericRelation(Translation)
    history = HistoricalRecords(m2m_fields=[related_classes, references])

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LookAlikeGroup(models.Model):
    """Names that are confused with each other; never resolve a typo across them."""

    key = models.CharField(max_length=500, unique=True, editable=False)
    names = models.JSONField()
    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return " / ".join(self.names)

    def save(self, *args, **kwargs):
        self.key = look_alike_key(self.names)
        super().save(*args, **kwargs)


class AmbiguousName(models.Model):
    """A brand that means different medicines in different markets: never read as one."""

    name = models.CharField(max_length=200, unique=True)
    reason = models.CharField(max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Advice(models.Model):
    """A sentence for the patient: counselling, self-care, or a warning sign to get help for."""

    class Section(models.TextChoices):
        COUNSELLING = counselling.COUNSELLING, "Counselling"
        SELF_CARE = counselling.SELF_CARE, "Self-care"
        WARNING_SIGNS = counselling.WARNING_SIGNS, "Warning sign (when to get help)"

    class When(models.TextChoices):
        ALWAYS = counselling.ALWAYS, "Always"
        RED_FLAGS = counselling.WHEN[1], "When a red flag is raised"
        SUPPLEMENT_CAUTIONS = counselling.WHEN[2], "When a supplement caution is raised"
        NOT_SCREENED = counselling.WHEN[3], "When a line could not be screened"

    key = models.SlugField(max_length=80, unique=True)
    section = models.CharField(max_length=20, choices=Section.choices)
    when = models.CharField(max_length=30, choices=When.choices, default=When.ALWAYS)
    text = models.TextField()
    urgency = models.CharField(max_length=20, choices=Urgency.choices, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order on the handout.")
    references = models.ManyToManyField(Reference, related_name="advice", blank=True)
    translations = GenericRelation(Translation)
    history = HistoricalRecords(m2m_fields=[references])

    class Meta:
        ordering = ["position", "key"]
        verbose_name_plural = "advice"

    def __str__(self) -> str:
        return self.key


class ExternalDrugName(models.Model):
    """A medicine name from the open drug vocabulary (exact match only, no cramp link)."""

    name = models.CharField(max_length=255, unique=True)
    ingredients = models.JSONField(default=list)
    source = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KnowledgeBaseVersion(models.Model):
    """One row per distinct content of the knowledge base; screenings record theirs."""

    version = models.CharField(max_length=60, db_index=True)
    content_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=200)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-id"]
        get_latest_by = ["created", "id"]

    def __str__(self) -> str:
        return self.version
