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


CONTRACT: tuple[StyleSpec, ...] = (
    StyleSpec("title", "GFMD Title", "paragraph",
              "The event's title, first line of the document."),
    StyleSpec("session", "GFMD Session", "paragraph",
              "The session's name, below the title."),
    StyleSpec("details", "GFMD Session Details", "paragraph",
              "Date, time and venue of the session."),
    StyleSpec("contents", "GFMD Contents Heading", "paragraph",
              "The heading above the table of contents (--toc)."),
    StyleSpec("heading", "GFMD Heading", "paragraph",
              "A section heading; based on Word's Heading 1."),
    StyleSpec("question", "GFMD Question", "paragraph",
              "A guiding question, \"Question N: text\"; based on Word's Heading 2."),
    StyleSpec("numbered", "GFMD Numbered Paragraph", "paragraph",
              "A numbered paragraph (1., 2., … continuous through the document).",
              list="paragraphs", level=0),
    StyleSpec("lettered", "GFMD Lettered Item", "paragraph",
              "An item of a paragraph's lettered sub-list (a), b), …); nested items "
              "use the next list levels (i), ii), …).", list="paragraphs", level=1),
    StyleSpec("takeaway", "GFMD Takeaway", "paragraph",
              "A takeaway under a question: a bullet, nested items one level deeper.",
              list="bullets", level=0),
    StyleSpec("table", "GFMD Summary Table", "table",
              "The closing table; its first row (the headings) is shaded and repeats on "
              "every page."),
    StyleSpec("table_heading", "GFMD Table Heading", "paragraph",
              "A column heading in the closing table."),
    StyleSpec("table_item", "GFMD Table Item", "paragraph",
              "An item in a cell of the closing table: a bullet.",
              list="table-bullets", level=0),
    StyleSpec("table_text", "GFMD Table Text", "paragraph",
              "An empty cell of the closing table."),
    StyleSpec("footer", "GFMD Footer", "paragraph",
              "The footer line \"Page X of Y\" (when the template brings no footer)."),
    StyleSpec("code", "GFMD Code", "character",
              "Inline code in the text."),
    StyleSpec("hyperlink", "Hyperlink", "character",
              "A link in the text (Word's built-in link style)."),
)
"""Every style of the contract, in document order."""

BY_KEY: dict[str, StyleSpec] = {spec.key: spec for spec in CONTRACT}

LISTS: dict[ListName, str] = {
    "paragraphs": "numbered",
    "bullets": "takeaway",
    "table-bullets": "table_item",
}
"""Each list and the style whose numbering defines it."""
