"""The handout as a PDF, laid out with ReportLab from the same content as the HTML.

DejaVu Sans is embedded (ReportLab's built-in Helvetica turns ş, ğ, İ into black boxes).
Everything prints in black: safety sections get a heavy border and bold headings, never
a colour that means something. Body text is 12 pt or larger.
"""

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from screening.handouts.content import Entry, HandoutContent, Section

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"
PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN = 15 * mm

BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=15, spaceAfter=2)
ENTRY_HEADING = ParagraphStyle(
    "entry", parent=BODY, fontName=BOLD_FONT, spaceBefore=4, spaceAfter=1
)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD_FONT, fontSize=15, leading=19, spaceBefore=8, spaceAfter=4
)
BOX_HEADING = ParagraphStyle("box-heading", parent=HEADING, spaceBefore=0)
SAFETY = ParagraphStyle("safety", parent=BODY, fontName=BOLD_FONT, fontSize=13, leading=17)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName=BOLD_FONT, fontSize=20, leading=24, spaceAfter=4
)
DETAILS = ParagraphStyle("details", parent=BODY, spaceAfter=0)
FOOTER = ParagraphStyle("footer", parent=BODY, spaceAfter=0)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


def register_fonts() -> None:
    """Once per process: ReportLab keeps registered fonts globally."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD_FONT, italic=FONT, boldItalic=BOLD_FONT
    )


def render_pdf(content: HandoutContent, *, paper: str) -> RenderedPdf:
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZES[paper],
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 8 * mm,
        title=content.title,
        author=content.pharmacy_name,
        lang=content.language,
    )
    pages = _PageCounter()
    document.build(_story(content, document.width), canvasmaker=_numbered_canvas(content, pages))
    return RenderedPdf(data=buffer.getvalue(), page_count=pages.count)


def _text(value: str) -> str:
    # Paragraph reads a small XML dialect: every piece of data is escaped.
    return escape(value)


def _story(content: HandoutContent, width: float) -> list:
    story = [Paragraph(_text(content.title), TITLE)]
    story += [Paragraph(_text(line), DETAILS) for line in content.details]
    story.append(Spacer(1, 4 * mm))
    for section in content.sections:
        story += _boxed(section, width) if section.boxed else _plain(section)
    story.append(Spacer(1, 4 * mm))
    story += [Paragraph(_text(line), FOOTER) for line in content.footer]
    return story


def _section_blocks(section: Section, *, paragraph_style: ParagraphStyle) -> list[list]:
    """The section's body as blocks that each stay on one page (an entry, a bullet list)."""
    blocks = [[Paragraph(_text(p), paragraph_style)] for p in section.paragraphs]
    blocks += [_entry(entry) for entry in section.entries]
    if section.bullets:
        items = [ListItem(Paragraph(_text(b), BODY), leftIndent=14) for b in section.bullets]
        blocks.append(
            [
                ListFlowable(
                    items,
                    bulletType="bullet",
                    bulletFontName=FONT,
                    bulletFontSize=12,
                    leftIndent=14,
                    start="•",
                )
            ]
        )
    blocks += [[Paragraph(_text(p), paragraph_style)] for p in section.closing]
    return blocks


def _entry(entry: Entry) -> list:
    parts = [Paragraph(_text(entry.heading), ENTRY_HEADING)] if entry.heading else []
    return parts + [Paragraph(_text(line), BODY) for line in entry.lines]


def _plain(section: Section) -> list:
    blocks = _section_blocks(section, paragraph_style=BODY) or [[]]
    # The heading stays with its first block, and an introductory sentence with what it
    # introduces. (KeepTogether must not be nested: ReportLab then breaks pages early.)
    leading = 2 if section.paragraphs and len(blocks) > 1 else 1
    first = KeepTogether([Paragraph(_text(section.heading), HEADING), *sum(blocks[:leading], [])])
    return [first, *(KeepTogether(block) for block in blocks[leading:])]


def _boxed(section: Section, width: float) -> list:
    cells = [[Paragraph(_text(section.heading), BOX_HEADING)]]
    style = SAFETY if section.key == "safety" else BODY
    cells += [[block] for block in _section_blocks(section, paragraph_style=style)]
    box = Table(cells, colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2.5, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]
        )
    )
    return [Spacer(1, 3 * mm), box, Spacer(1, 3 * mm)]


class _PageCounter:
    count = 0


def _numbered_canvas(content: HandoutContent, pages: _PageCounter):
    """A canvas that writes "Page n of N" and the pharmacy on every page once N is known."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            pages.count = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_footer()
                super().showPage()
            super().save()

        def _draw_footer(self):
            width, _height = self._pagesize
            self.setFont(FONT, 12)
            label = content.page_label % {"page": self._pageNumber, "pages": pages.count}
            self.drawRightString(width - MARGIN, MARGIN - 2 * mm, label)
            self.drawString(MARGIN, MARGIN - 2 * mm, content.pharmacy_name)

    return NumberedCanvas
