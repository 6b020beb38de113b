"""Pharmacists search and edit the knowledge base here; every change is kept (who, when,
what) by django-simple-history, and each saved change makes a new knowledge-base version
so screenings record which content they used."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from rest_framework_api_key.admin import APIKeyModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from screening.knowledge.kinds import STORED_KINDS
from screening.knowledge.validation import handout_languages
from screening.models import (
    Advice,
    AmbiguousName,
    ApiClient,
    CdsClient,
    Decision,
    DrugClass,
    ExternalDrugName,
    Handout,
    Ingredient,
    Interaction,
    KnowledgeBaseVersion,
    LookAlikeGroup,
    Pharmacist,
    Pharmacy,
    Product,
    RedFlag,
    Reference,
    Screening,
    Supplement,
    SupplementCaution,
    Symptom,
    Translation,
)
from screening.services.knowledge import knowledge_base_record_edit

# model -> its patient-facing fields that have a wording per handout language
TRANSLATED_FIELDS = {kind.model: kind.translated for kind in STORED_KINDS if kind.translated}


def can_change_severity(user) -> bool:
    return user.is_superuser or user.groups.filter(name=settings.SEVERITY_EDITORS_GROUP).exists()


class TranslationForm(forms.ModelForm):
    """One field's wording in one handout language; the choices are the entry's own."""

    class Meta:
        model = Translation
        fields = ["field", "language", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2, "cols": 80})}

    def __init__(self, *args, translated=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"] = forms.ChoiceField(choices=[(f, f) for f in translated])
        self.fields["language"] = forms.ChoiceField(
            choices=[(code, code) for code in handout_languages()]
        )


class TranslationInline(GenericTabularInline):
    """Each handout language's wording, edited under its entry (with history)."""

    model = Translation
    form = TranslationForm
    extra = 0


class KnowledgeAdmin(SimpleHistoryAdmin):
    """Base for knowledge-base models: records a new knowledge-base version on change, and
    shows each handout language's wording of the entry's patient-facing texts."""

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if self.model in TRANSLATED_FIELDS:
            inlines.append(TranslationInline)
        return inlines

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, TranslationInline):
            kwargs["form_kwargs"] = {"translated": TRANSLATED_FIELDS[self.model]}
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        knowledge_base_record_edit(source=f"admin edit by {request.user}")

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        knowledge_base_record_edit(source=f"admin delete by {request.user}")

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        knowledge_base_record_edit(source=f"admin delete by {request.user}")


class SeverityGuardedAdmin(KnowledgeAdmin):
    """Severity decides what the pharmacist acts on first: only the named group changes it."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not can_change_severity(request.user):
            fields.append("severity")
        return fields

    def save_model(self, request, obj, form, change):
        if change and "severity" in form.changed_data and not can_change_severity(request.user):
            raise PermissionDenied("Only the severity editors group may change severity.")
        super().save_model(request, obj, form, change)


@admin.register(Reference)
class ReferenceAdmin(KnowledgeAdmin):
    list_display = ["key", "kind", "evidence_level"]
    list_filter = ["kind"]
    search_fields = ["key", "citation", "url"]


@admin.register(DrugClass)
class DrugClassAdmin(KnowledgeAdmin):
    list_display = ["slug", "name", "cramp_linked", "evidence_strength"]
    list_filter = ["cramp_linked", "evidence_strength"]
    search_fields = ["slug", "name", "mechanism"]
    filter_horizontal = ["references", "evidence_references"]


@admin.register(Ingredient)
class IngredientAdmin(KnowledgeAdmin):
    list_display = ["name", "rxcui", "atc", "class_list"]
    list_filter = ["classes"]
    search_fields = ["name", "synonyms", "rxcui", "atc"]
    filter_horizontal = ["classes"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("classes")

    @admin.display(description="Classes")
    def class_list(self, obj) -> str:
        return ", ".join(c.slug for c in obj.classes.all())


@admin.register(Product)
class ProductAdmin(KnowledgeAdmin):
    list_display = ["name", "kind", "release", "ingredient_list", "markets"]
    list_filter = ["kind", "release"]
    search_fields = ["name", "ingredients__name"]
    filter_horizontal = ["ingredients"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("ingredients")

    @admin.display(description="Ingredients")
    def ingredient_list(self, obj) -> str:
        return " + ".join(i.name for i in obj.ingredients.all())


@admin.register(Supplement)
class SupplementAdmin(KnowledgeAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name", "synonyms", "forms", "products"]
    filter_horizontal = ["references"]


@admin.register(SupplementCaution)
class SupplementCautionAdmin(SeverityGuardedAdmin):
    list_display = ["key", "supplement", "severity", "drug_class", "ingredient", "condition"]
    list_filter = ["severity", "supplement"]
    search_fields = ["key", "message", "action"]
    filter_horizontal = ["references"]
    autocomplete_fields = ["ingredient"]


@admin.register(Interaction)
class InteractionAdmin(SeverityGuardedAdmin):
    list_display = ["key", "severity"]
    list_filter = ["severity"]
    search_fields = ["key", "message"]
    filter_horizontal = ["references"]


@admin.register(RedFlag)
class RedFlagAdmin(KnowledgeAdmin):
    list_display = ["code", "name", "urgency", "urgency_with_related_class"]
    search_fields = ["code", "name", "message"]
    filter_horizontal = ["related_classes", "references"]


@admin.register(Symptom)
class SymptomAdmin(KnowledgeAdmin):
    list_display = ["code", "label", "patient_label"]
    search_fields = ["code", "label"]


@admin.register(LookAlikeGroup)
class LookAlikeGroupAdmin(KnowledgeAdmin):
    list_display = ["__str__", "reference"]
    search_fields = ["names"]


@admin.register(AmbiguousName)
class AmbiguousNameAdmin(KnowledgeAdmin):
    list_display = ["name", "reason"]
    search_fields = ["name", "reason"]


@admin.register(Advice)
class AdviceAdmin(KnowledgeAdmin):
    list_display = ["key", "section", "when", "urgency", "position"]
    list_filter = ["section", "when", "urgency"]
    search_fields = ["key", "text"]
    filter_horizontal = ["references"]


@admin.register(Translation)
class TranslationAdmin(KnowledgeAdmin):
    """All wordings at once, to review a language: filter by language and by kind."""

    list_display = ["entry", "content_type", "field", "language", "text"]
    list_filter = ["language", "content_type", "field"]
    search_fields = ["text"]


class ReadOnlyRecordAdmin(admin.ModelAdmin):
    """A record, not a setting: shown, never added, changed or deleted from the admin."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExternalDrugName)
class ExternalDrugNameAdmin(admin.ModelAdmin):
    list_display = ["name", "ingredients", "source"]
    search_fields = ["name"]
    show_full_result_count = False


@admin.register(KnowledgeBaseVersion)
class KnowledgeBaseVersionAdmin(ReadOnlyRecordAdmin):
    """The audit of knowledge-base loads and admin edits."""

    list_display = ["version", "created", "source"]
    readonly_fields = ["version", "content_hash", "created", "source", "counts"]


@admin.register(Pharmacy)
class PharmacyAdmin(admin.ModelAdmin):
    list_display = ["name", "phone"]
    search_fields = ["name"]


@admin.register(Pharmacist)
class PharmacistAdmin(admin.ModelAdmin):
    list_display = ["user", "pharmacy"]
    list_select_related = ["user", "pharmacy"]
    search_fields = ["user__username", "pharmacy__name"]


@admin.register(ApiClient)
class ApiClientAdmin(APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "pharmacy"]


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyRecordAdmin):
    list_display = ["id", "created", "pharmacy", "source", "knowledge_base_version"]
    list_filter = ["source", "pharmacy"]
    readonly_fields = [f.name for f in Screening._meta.fields]


@admin.register(Handout)
class HandoutAdmin(ReadOnlyRecordAdmin):
    list_display = ["id", "created", "language", "status", "attempts"]
    list_filter = ["status", "language"]
    readonly_fields = [f.name for f in Handout._meta.fields]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyRecordAdmin):
    list_display = [
        "created",
        "pharmacy",
        "outcome",
        "issue_kind",
        "issue_title",
        "decided_by_name",
    ]
    list_filter = ["outcome", "issue_kind", "source", "pharmacy"]
    search_fields = ["issue_title", "decided_by_name", "comment"]
    date_hierarchy = "created"


@admin.register(CdsClient)
class CdsClientAdmin(admin.ModelAdmin):
    list_display = ["name", "pharmacy", "issuer", "is_active"]
    list_filter = ["is_active", "pharmacy"]
    search_fields = ["name", "issuer"]
