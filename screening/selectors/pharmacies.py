"""The one access rule: every lookup of pharmacy data is scoped by the caller's pharmacy."""

from screening.models import Pharmacy


def caller_pharmacy(user) -> Pharmacy | None:
    """The pharmacy a request acts for, or None if the caller belongs to none."""
    if user is None or not user.is_authenticated:
        return None
    pharmacy = getattr(user, "pharmacy", None)  # ApiClientPrincipal
    if isinstance(pharmacy, Pharmacy):
        return pharmacy
    pharmacist = getattr(user, "pharmacist", None)
    return pharmacist.pharmacy if pharmacist is not None else None
