from screening.models.accounts import ApiClient, Pharmacist, Pharmacy
from screening.models.decisions import CdsCard, CdsClient, CdsTokenUse, Decision
from screening.models.knowledge import (
    Advice,
    DrugClass,
    ExternalDrugName,
    Ingredient,
    Interaction,
    KnowledgeBaseVersion,
    LookAlikeGroup,
    Product,
    RedFlag,
    Reference,
    Supplement,
    SupplementCaution,
    Symptom,
    Translation,
)
from screening.models.screenings import Handout, Screening
from screening.models.terminology import RxNormConcept, RxNormNdc, RxNormRelease

__all__ = [
    "Advice",
    "ApiClient",
    "CdsCard",
    "CdsClient",
    "CdsTokenUse",
    "Decision",
    "DrugClass",
    "ExternalDrugName",
    "Handout",
    "Ingredient",
    "Interaction",
    "KnowledgeBaseVersion",
    "LookAlikeGroup",
    "Pharmacist",
    "Pharmacy",
    "Product",
    "RedFlag",
    "Reference",
    "RxNormConcept",
    "RxNormNdc",
    "RxNormRelease",
    "Screening",
    "Supplement",
    "SupplementCaution",
    "Symptom",
    "Translation",
]
