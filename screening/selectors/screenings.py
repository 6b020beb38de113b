from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from screening.models import Pharmacy, Screening


def screenings_for_pharmacy(*, pharmacy: Pharmacy) -> QuerySet[Screening]:
    return Screening.objects.filter(pharmacy=pharmacy)


def screening_get(*, pharmacy: Pharmacy | None, screening_id) -> Screening:
    """A screening of the caller's pharmacy; anyone else's is indistinguishable from none."""
    if pharmacy is None:
        raise Http404
    try:
        return screenings_for_pharmacy(pharmacy=pharmacy).get(id=screening_id)
    except (Screening.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
