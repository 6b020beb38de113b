from rest_framework.permissions import BasePermission

from screening.selectors.pharmacies import caller_pharmacy


class IsPharmacyMember(BasePermission):
    """Every caller acts for exactly one pharmacy: an API client's, or a pharmacist's."""

    message = "Sign in as a pharmacist or use an API client token."

    def has_permission(self, request, view) -> bool:
        return caller_pharmacy(request.user) is not None
