from screening.models.accounts import ApiClient, Pharmacist, Pharmacy
from screening.models.knowledge import (
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
)
from screening.models.screenings import Handout, Screening

__all__ = [
    "ApiClient",
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
    "Screening",
    "Supplement",
    "SupplementCaution",
    "Symptom",
]
