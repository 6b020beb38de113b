"""Reading a rendered PDF back as a person (or a printer) would meet it, with pypdf."""

import io
import re

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """All the text, line breaks made spaces: sentences wrap across lines on paper."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages)).strip()


def pdf_page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_page_sizes_mm(data: bytes) -> set[tuple[int, int]]:
    pages = PdfReader(io.BytesIO(data)).pages
    return {
        (round(float(p.mediabox.width) / 72 * 25.4), round(float(p.mediabox.height) / 72 * 25.4))
        for p in pages
    }


def pdf_text_sizes(data: bytes) -> set[float]:
    """The font size of every piece of visible text."""
    sizes: set[float] = set()

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            scale = abs(tm[3] * cm[3]) or 1
            sizes.add(round(font_size * scale, 1))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def pdf_text_fonts(data: bytes) -> set[str]:
    """The font of every piece of visible text (ReportLab lists Helvetica on each page as
    its starting state, used or not)."""
    fonts: set[str] = set()

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict:
            fonts.add(str(font_dict["/BaseFont"]))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return fonts
