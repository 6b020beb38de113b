"""The part of an RxNorm release screening needs, imported by `manage.py import_rxnorm`.

Product-level RxNorm codes (clinical and branded drugs, packs, components, forms) and
NDCs are read through these tables: each concept keeps its name, term type and the
ingredients RxNorm's relationships lead to; each NDC the concept it is a package of.
One release at a time: an import replaces the previous one in one transaction.
"""

from django.db import models


class RxNormRelease(models.Model):
    version = models.CharField(max_length=40)  # as NLM names it: the file date, "11062017"
    released_on = models.DateField()
    imported_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=300)  # the file or folder it was imported from
    concepts = models.PositiveIntegerField()
    ndcs = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at", "-id"]
        get_latest_by = ["imported_at", "id"]

    def __str__(self) -> str:
        return f"RxNorm {self.released_on.isoformat()}"


class RxNormConcept(models.Model):
    rxcui = models.CharField(max_length=12, primary_key=True)
    tty = models.CharField(max_length=8)
    name = models.TextField()
    # [[ingredient RxCUI, ingredient name], ...], sorted by RxCUI
    ingredients = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.rxcui} {self.name}"


class RxNormNdc(models.Model):
    ndc = models.CharField(max_length=11, primary_key=True)  # 11 digits, 5-4-2, no hyphens
    rxcui = models.CharField(max_length=12, db_index=True)

    def __str__(self) -> str:
        return f"{self.ndc} -> {self.rxcui}"
