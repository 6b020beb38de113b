"""Who may see what: every pharmacist and every API client belongs to one pharmacy."""

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey


class Pharmacy(models.Model):
    name = models.CharField(max_length=200, unique=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "pharmacies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Pharmacist(models.Model):
    """Links a Django login to its pharmacy."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pharmacist"
    )
    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.PROTECT, related_name="pharmacists")

    def __str__(self) -> str:
        return f"{self.user} ({self.pharmacy})"


class ApiClient(AbstractAPIKey):
    """A pharmacy system calling the API. Only a hash of its token is stored."""

    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.PROTECT, related_name="api_clients")

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API client"
        verbose_name_plural = "API clients"
