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
    builtin: bool = False
    """One of Word's built-in styles (its name and id are Word's; it is not a custom
    style), which every program reads by its name."""

    @property
    def style_id(self) -> str:
        """The id the default template gives the style: Word's own for a built-in style
        (``Heading1``, ``Heading2``), else the name without spaces."""
        return _BUILTIN_IDS.get(self.name, self.name.replace(" ", ""))

    @property
    def label(self) -> str:
        """The name as Word's style gallery shows it (``Heading 1`` for ``heading 1``)."""
        return self.name[0].upper() + self.name[1:] if self.builtin else self.name


_BUILTIN_IDS = {"heading 1": "Heading1", "heading 2": "Heading2", "Hyperlink": "Hyperlink",
                "toc 2": "TOC2"}


def _paragraph(key: str, name: str, role: str, list: ListName | None = None,
               level: int = 0) -> StyleSpec:
    """A paragraph style of the contract."""
    return StyleSpec(key, name, "paragraph", role, list, level)


CONTRACT: tuple[StyleSpec, ...] = (
    StyleSpec("title", "heading 1", "paragraph", "The event's title, first line of the "
              "document: the top of its outline (Word's built-in Heading 1, a first-level "
              "heading to every reader).", builtin=True),
    _paragraph("session", "GFMD Session", "The session's name, below the title."),
    _paragraph("details", "GFMD Session Details", "Date, time and venue of the session."),
    _paragraph("contents", "GFMD Contents Heading",
               "The heading above the table of contents (--toc)."),
    StyleSpec("heading", "heading 2", "paragraph",
              "A section heading, and a guiding question \"Question N: text\": siblings, "
              "the level below the title (Word's built-in Heading 2, a second-level "
              "heading to every reader).", builtin=True),
    StyleSpec("question", "GFMD Question Text", "character",
              "The words of a question heading, label included: what makes a question "
              "look unlike a section heading."),
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
              "A link in the text (Word's built-in link style).", builtin=True),
)
"""Every style of the contract, in document order."""

RETIRED = {"gfmd title": "Heading 1", "gfmd heading": "Heading 2",
           "gfmd question": "Heading 2 (and GFMD Question Text)"}
"""Styles earlier versions wrote (lower-cased) and the built-in styles that took their
place: a template that restyles them is told to restyle those instead."""

BY_KEY: dict[str, StyleSpec] = {spec.key: spec for spec in CONTRACT}

LISTS: dict[ListName, str] = {spec.list: spec.key for spec in CONTRACT
                              if spec.list is not None and spec.level == 0}
"""Each list and the style whose numbering defines it (the style linked to its first
level)."""
