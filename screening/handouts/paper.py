"""Paper size: A4 or US Letter, chosen per handout, per site, or by the handout's language."""

from django.conf import settings
from django.utils.translation import override, pgettext

PAPER_SIZES = ("a4", "letter")


def default_paper(language: str) -> str:
    """The site's HANDOUT_DEFAULT_PAPER if set, else the size the language's translators chose."""
    configured = getattr(settings, "HANDOUT_DEFAULT_PAPER", "")
    if configured in PAPER_SIZES:
        return configured
    # A translation choice, so a new language brings its own default with its message file.
    with override(language):
        chosen = pgettext("default paper size for printed handouts: a4 or letter", "letter")
    return chosen if chosen in PAPER_SIZES else "a4"
