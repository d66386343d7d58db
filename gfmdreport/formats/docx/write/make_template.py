"""Build the default template, gfmdreport/formats/docx/reference.docx: a lean package holding just
the contract's styles and lists, A4 portrait (python-docx's own default template carries
some 800 KB of style XML that would cost time on every document).

Run ``python -m gfmdreport.formats.docx.write.make_template`` after changing the house style below;
the test suite checks that the shipped file is what this script builds.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from gfmdreport.formats.docx.ooxml.numbering import Level
from gfmdreport.formats.docx.ooxml.numbering import add_list
from gfmdreport.formats.docx.ooxml.package import write_zip
from gfmdreport.formats.docx.ooxml.package import zip_parts
from gfmdreport.formats.docx.ooxml.skeleton import PageSetup
from gfmdreport.formats.docx.ooxml.skeleton import TextDefaults
from gfmdreport.formats.docx.ooxml.skeleton import skeleton_parts
from gfmdreport.formats.docx.ooxml.styles import set_outline_level
from gfmdreport.formats.docx.ooxml.styles import set_run_font
from gfmdreport.formats.docx.ooxml.styles import set_style_numbering
from gfmdreport.formats.docx.ooxml.styles import set_table_style_properties
from gfmdreport.formats.docx.write.contract import BY_KEY
from gfmdreport.formats.docx.write.contract import CONTRACT

SHIPPED = Path(__file__).resolve().parent.parent / "reference.docx"

CM = 567  # twips in a centimetre (rounded as Word does)

PAGE = PageSetup(width=11906, height=16838, top=1418, right=1418, bottom=1418, left=1418,
                 header=709, footer=567)
"""A4 portrait, 2.5 cm margins."""

TEXT = TextDefaults(font="Arial", size=22, language="en-GB", space_after=120, line=240)
"""Arial 11 pt, single spacing, 6 pt after each paragraph, widow and orphan control."""

HEADER_FILL = "DCE6F0"
HEADING_COLOR = "1F3864"
"""Section headings: 12 pt bold, dark blue, 18 pt above them."""
HEADING_SIZE = 12
HEADING_BEFORE = 18
QUESTION_COLOR = "000000"
"""Questions: the heading's paragraph, 11 pt bold in black (their character style)."""
QUESTION_SIZE = 11
BORDER = "808080"


def _levels(formats, indent: int, hanging: int, first_style: str | None = None,
            second_style: str | None = None) -> list[Level]:
    levels = []
    for i, (fmt, text) in enumerate(formats):
        style = first_style if i == 0 else second_style if i == 1 else None
        levels.append(Level(fmt, text, indent * (i + 1), hanging, style))
    return levels


PARAGRAPH_LEVELS = [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3)"),
                    ("decimal", "(%4)"), ("lowerLetter", "(%5)"), ("lowerRoman", "(%6)"),
                    ("decimal", "%7."), ("lowerLetter", "%8."), ("lowerRoman", "%9.")]
BULLET_LEVELS = [("bullet", c) for c in "•–◦•–◦•–◦"]


def build_template() -> bytes:
    """The default template's bytes (deterministic: same input, same bytes)."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.enum.text import WD_TAB_LEADER
    from docx.shared import Pt
    from docx.shared import RGBColor
    from docx.shared import Twips

    doc = Document(io.BytesIO(write_zip(skeleton_parts(PAGE, TEXT))))
    styles = doc.styles
    normal = styles["Normal"]
    numbering = doc.part.numbering_part.element
    P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE

    def paragraph(name: str, style_id: str, *, base=normal, size: float | None = None,
                  bold: bool = False, align=None, before: float | None = 0,
                  after: float | None = None, keep_next: bool = False,
                  keep_lines: bool = False, outline: int | None = None, quick: bool = True,
                  color: str | None = None, priority: int = 10, builtin: bool = False):
        style = styles.add_style(name, P, builtin=builtin)
        style.element.styleId = style_id
        style.base_style = base
        style.quick_style = quick
        style.priority = priority
        if size:
            style.font.size = Pt(size)
        if bold:
            style.font.bold = True
        if color:
            style.font.color.rgb = RGBColor.from_string(color)
        fmt = style.paragraph_format
        if align is not None:
            fmt.alignment = align
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if keep_next:
            fmt.keep_with_next = True
        if keep_lines:
            fmt.keep_together = True
        if outline is not None:
            set_outline_level(style.element, outline)
        return style

    def contract(key: str, **kwargs):
        spec = BY_KEY[key]
        return paragraph(spec.name, spec.style_id, builtin=spec.builtin, **kwargs)

    # The structure is carried by Word's built-in headings, which every program reads:
    # Heading 1 for the title (the top of the outline), Heading 2 for section headings
    # and questions alike (they are siblings in the summary, one level below the title).
    # A question looks unlike a section heading through its character style, GFMD
    # Question Text.
    title = contract("title", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6,
                     keep_next=True, outline=0, priority=9)
    title.unhide_when_used = True
    session = contract("session", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                       after=6, keep_next=True)
    details = contract("details", align=WD_ALIGN_PARAGRAPH.CENTER, after=24)
    title.next_paragraph_style = session
    session.next_paragraph_style = details
    contract("contents", size=12, bold=True, after=6, keep_next=True)
    heading = contract("heading", size=HEADING_SIZE, bold=True, color=HEADING_COLOR,
                       before=HEADING_BEFORE, after=6, keep_next=True, keep_lines=True,
                       outline=1, priority=9)
    heading.unhide_when_used = True
    # Word and LibreOffice leave the larger of two facing spaces between paragraphs: the
    # space before a numbered paragraph parts it from a lettered list above it as much
    # as from another paragraph.
    numbered = contract("numbered", align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=8, after=8)
    lettered = contract("lettered", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=4)
    takeaway = contract("takeaway", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    heading.next_paragraph_style = numbered
    contract("table_heading", size=10, bold=True, after=0, keep_next=True, quick=False)
    table_item = contract("table_item", size=10, after=3, quick=False)
    contract("table_text", size=10, after=0, quick=False)
    contract("footer", size=9, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, quick=False,
             color="595959")

    question = styles.add_style(BY_KEY["question"].name, C)
    question.element.styleId = BY_KEY["question"].style_id
    question.base_style = styles["Default Paragraph Font"]
    question.font.size = Pt(QUESTION_SIZE)
    question.font.color.rgb = RGBColor.from_string(QUESTION_COLOR)
    question.quick_style = True
    question.priority = 10
    code = styles.add_style(BY_KEY["code"].name, C)
    code.element.styleId = BY_KEY["code"].style_id
    code.base_style = styles["Default Paragraph Font"]
    set_run_font(code.element, "Courier New")
    code.font.size = Pt(10)
    link = styles.add_style(BY_KEY["hyperlink"].name, C, builtin=True)
    link.element.styleId = BY_KEY["hyperlink"].style_id
    link.base_style = styles["Default Paragraph Font"]
    link.font.underline = True
    link.font.color.rgb = RGBColor.from_string("0563C1")
    link.unhide_when_used = True

    table = styles.add_style(BY_KEY["table"].name, T)
    table.element.styleId = BY_KEY["table"].style_id
    table.base_style = styles["Normal Table"]
    set_table_style_properties(table.element, border_color=BORDER, border_size=4,
                               header_fill=HEADER_FILL, cell_margin=(57, 108))

    text_width = PAGE.width - PAGE.left - PAGE.right
    toc = paragraph("toc 2", "TOC2", after=3, quick=False, priority=39, builtin=True)
    toc.next_paragraph_style = normal
    toc.unhide_when_used = True
    toc.paragraph_format.tab_stops.add_tab_stop(
        Twips(text_width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    paragraphs = add_list(numbering, "GFMD Paragraphs", _levels(
        PARAGRAPH_LEVELS, CM, CM, numbered.style_id, lettered.style_id))
    bullets = add_list(numbering, "GFMD Takeaways", _levels(
        BULLET_LEVELS, CM, CM // 2, takeaway.style_id))
    cell_bullets = add_list(numbering, "GFMD Table Items", _levels(
        BULLET_LEVELS, CM // 2, CM // 2, table_item.style_id))
    set_style_numbering(numbered.element, paragraphs, 0)
    set_style_numbering(lettered.element, paragraphs, 1)
    set_style_numbering(takeaway.element, bullets, 0)
    set_style_numbering(table_item.element, cell_bullets, 0)

    missing = [spec.name for spec in CONTRACT if spec.name.lower() not in
               {s.name.lower() for s in styles}]
    assert not missing, missing
    out = io.BytesIO()
    doc.save(out)
    return write_zip(zip_parts(out.getvalue()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=SHIPPED,
                        help=f"where to write it (default: {SHIPPED})")
    args = parser.parse_args(argv)
    args.output.write_bytes(build_template())


if __name__ == "__main__":
    main()
