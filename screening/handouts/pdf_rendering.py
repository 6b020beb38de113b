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
MARGIN = 12 * mm

BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=14.5, spaceAfter=1.5)
ENTRY_HEADING = ParagraphStyle(
    "entry", parent=BODY, fontName=BOLD_FONT, spaceBefore=3, spaceAfter=1
)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD_FONT, fontSize=15, leading=19, spaceBefore=6, spaceAfter=3
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
        bottomMargin=MARGIN + 7 * mm,
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


def _section_blocks(section: Section) -> list[list]:
    """The section's body as blocks that each stay on one page (an entry, a bullet list)."""
    blocks = [
        [Paragraph(_text(p), SAFETY if n < section.emphasis else BODY)]
        for n, p in enumerate(section.paragraphs)
    ]
    for entry in section.entries:
        # An entry may run on to the next page, but its heading never stays behind alone.
        head, *rest = _entry(entry)
        blocks.append([head, *rest[:1]])
        blocks += [[part] for part in rest[1:]]
    if section.bullets and section.columns > 1:
        blocks.append([_bullet_columns(section)])
    elif section.bullets:
        blocks.append([_bullet_list(section.bullets)])
    blocks += [[Paragraph(_text(p), BODY)] for p in section.closing]
    return blocks


def _bullet_columns(section: Section) -> Table:
    """Short bullets side by side, filled down each column in reading order."""
    per_column = -(-len(section.bullets) // section.columns)
    columns = [
        section.bullets[start : start + per_column]
        for start in range(0, len(section.bullets), per_column)
    ]
    rows = [
        [
            Paragraph(f"• {_text(column[row])}", BODY) if row < len(column) else ""
            for column in columns
        ]
        for row in range(per_column)
    ]
    table = Table(rows, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _entry(entry: Entry) -> list:
    parts = [Paragraph(_text(entry.heading), ENTRY_HEADING)] if entry.heading else []
    if entry.bulleted:
        return parts + [_bullet_list(entry.lines)]
    return parts + [Paragraph(_text(line), BODY) for line in entry.lines]


def _bullet_list(lines: tuple[str, ...]) -> ListFlowable:
    return ListFlowable(
        [ListItem(Paragraph(_text(line), BODY), leftIndent=14) for line in lines],
        bulletType="bullet",
        bulletFontName=FONT,
        bulletFontSize=12,
        leftIndent=14,
        start="•",
    )


def _plain(section: Section) -> list:
    blocks = _section_blocks(section) or [[]]
    # The heading stays with its first block, and an introductory sentence with what it
    # introduces. (KeepTogether must not be nested: ReportLab then breaks pages early.)
    leading = 2 if section.paragraphs and len(blocks) > 1 else 1
    first = KeepTogether([Paragraph(_text(section.heading), HEADING), *sum(blocks[:leading], [])])
    return [first, *(KeepTogether(block) for block in blocks[leading:])]


def _boxed(section: Section, width: float) -> list:
    cells = [[Paragraph(_text(section.heading), BOX_HEADING)]]
    cells += [[block] for block in _section_blocks(section)]
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
