"""The handout as one self-contained HTML page, from the same content as the PDF."""

from django.template.loader import render_to_string
from django.utils.translation import override

from screening.handouts.content import HandoutContent

TEMPLATE = "handouts/handout.html"
CSS_PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def render_html(content: HandoutContent, *, paper: str) -> str:
    # Autoescaping is on: names and screening text are data, never markup.
    with override(content.language):
        return render_to_string(TEMPLATE, {"content": content, "page_size": CSS_PAGE_SIZES[paper]})
