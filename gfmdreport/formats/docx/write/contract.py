"""The house-style contract: the named styles every DOCX gfmdreport writes is made of.

Each element of the document uses one of these styles and no direct formatting beyond
bold, italic and links inside the text, so a secretariat's template (``--reference-doc``)
restyles the whole document without code. docs/docx.md documents the contract; the
default template (gfmdreport/formats/docx/reference.docx) defines every style in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

StyleType = Literal["paragraph", "character", "table"]
ListName = Literal["paragraphs", "bullets", "table-bullets"]


@dataclass(frozen=True)
class StyleSpec:
    """One style of the contract."""

    key: str
    """How the writer refers to the style."""
    name: str
    """The style's name in Word (what a template must call it)."""
    type: StyleType
    role: str
    """What the style is used for (documentation and ``docx-template --check``)."""
    list: ListName | None = None
    """The list (numbering definition) the style is linked to, if any."""
    level: int = 0
    """The list level (0-based) the style is linked to."""

    @property
    def style_id(self) -> str:
        """The id the default template gives the style (the name without spaces)."""
        return self.name.replace(" ", "")


def _paragraph(key: str, name: str, role: str, list: ListName | None = None,
               level: int = 0) -> StyleSpec:
    """A paragraph style of the contract."""
    return StyleSpec(key, name, "paragraph", role, list, level)


CONTRACT: tuple[StyleSpec, ...] = (
    _paragraph("title", "GFMD Title", "The event's title, first line of the document."),
    _paragraph("session", "GFMD Session", "The session's name, below the title."),
    _paragraph("details", "GFMD Session Details", "Date, time and venue of the session."),
    _paragraph("contents", "GFMD Contents Heading",
               "The heading above the table of contents (--toc)."),
    _paragraph("heading", "GFMD Heading", "A section heading; based on Word's Heading 1."),
    _paragraph("question", "GFMD Question",
               "A guiding question, \"Question N: text\"; based on Word's Heading 2."),
    _paragraph("numbered", "GFMD Numbered Paragraph",
               "A numbered paragraph (1., 2., … continuous through the document).",
               "paragraphs", 0),
    _paragraph("lettered", "GFMD Lettered Item",
               "An item of a paragraph's lettered sub-list (a), b), …); nested items use "
               "the next list levels (i), ii), …).", "paragraphs", 1),
    _paragraph("takeaway", "GFMD Takeaway",
               "A takeaway under a question: a bullet, nested items one level deeper.",
               "bullets", 0),
    StyleSpec("table", "GFMD Summary Table", "table",
              "The closing table; its first row (the headings) is shaded and repeats on "
              "every page."),
    _paragraph("table_heading", "GFMD Table Heading", "A column heading in the closing table."),
    _paragraph("table_item", "GFMD Table Item",
               "An item in a cell of the closing table: a bullet.", "table-bullets", 0),
    _paragraph("table_text", "GFMD Table Text", "An empty cell of the closing table."),
    _paragraph("footer", "GFMD Footer",
               "The footer line \"Page X of Y\" (when the template brings no footer)."),
    StyleSpec("code", "GFMD Code", "character", "Inline code in the text."),
    StyleSpec("hyperlink", "Hyperlink", "character",
              "A link in the text (Word's built-in link style)."),
)
"""Every style of the contract, in document order."""

BY_KEY: dict[str, StyleSpec] = {spec.key: spec for spec in CONTRACT}

LISTS: dict[ListName, str] = {spec.list: spec.key for spec in CONTRACT
                              if spec.list is not None and spec.level == 0}
"""Each list and the style whose numbering defines it (the style linked to its first
level)."""
