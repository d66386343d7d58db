"""The main document's body: paragraphs, runs, hyperlinks, tables and the section's
text area.

Paragraphs, runs and tables are copied from prototypes built once per set of
properties (lxml's ``__copy__`` is a deep copy), several times faster than building
each element by element.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from lxml import etree

from gfmdreport.formats.docx.ooxml.ns import W
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.schema import element
from gfmdreport.formats.docx.ooxml.schema import get_or_add
from gfmdreport.formats.docx.ooxml.schema import sub

BODY, SECT_PR = W + "body", W + "sectPr"
P, PPR, PSTYLE, NUMPR, ILVL, NUMID = (W + t for t in (
    "p", "pPr", "pStyle", "numPr", "ilvl", "numId"))
R, RPR, RSTYLE, BOLD, ITALIC, T, TAB, BR = (W + t for t in (
    "r", "rPr", "rStyle", "b", "i", "t", "tab", "br"))
TBL, TR, TC, SDT = W + "tbl", W + "tr", W + "tc", W + "sdt"
VAL = W + "val"
XML_SPACE = qn("xml:space")
_TEXT_SPLIT = re.compile(r"(\t|\n)")


def body_of(document):
    """The ``w:body`` of a main document's root, and its final section properties (or
    ``None``)."""
    body = document.find(BODY)
    return body, body.find(SECT_PR)


def clear_body(body) -> None:
    """Remove the body's content, keeping the final section properties."""
    for child in list(body):
        if child.tag != SECT_PR:
            body.remove(child)


def append_block(body, block) -> None:
    """Append a block (paragraph, table) to the body, before its section properties."""
    last = body[-1] if len(body) else None
    if last is not None and last.tag == SECT_PR:
        last.addprevious(block)
    else:
        body.append(block)


# ---- paragraphs and runs -------------------------------------------------------------------

def add_paragraph(parent, style_id: str, num_id: int | None = None, level: int = 0,
                  before=None):
    """Append a paragraph of style ``style_id`` (an item of list ``num_id`` at ``level``
    when given) to ``parent`` (a table cell), or insert it before ``before`` (the body's
    section properties)."""
    p = _paragraph_prototype(style_id, num_id, level).__copy__()
    if before is not None:
        before.addprevious(p)
    else:
        parent.append(p)
    return p


@lru_cache(maxsize=512)
def _paragraph_prototype(style_id: str, num_id: int | None, level: int):
    p = element("w:p")
    ppr = etree.SubElement(p, PPR)
    etree.SubElement(ppr, PSTYLE, {VAL: style_id})
    if num_id is not None:
        num_pr = etree.SubElement(ppr, NUMPR)
        etree.SubElement(num_pr, ILVL, {VAL: str(level)})
        etree.SubElement(num_pr, NUMID, {VAL: str(num_id)})
    return p


def set_paragraph_style(p, style_id: str) -> None:
    """Give a paragraph the style ``style_id``."""
    get_or_add(get_or_add(p, "w:pPr"), "w:pStyle").set(VAL, style_id)


def add_run(parent, text: str = "", *, bold: bool = False, italic: bool = False,
            style_id: str | None = None, line_break: bool = False):
    """Append a run to a paragraph or hyperlink: ``text`` (tabs and newlines become
    ``w:tab`` and ``w:br``), or a line break."""
    if line_break or "\t" in text or "\n" in text or not text:
        r = _run_prototype(bold, italic, style_id, None).__copy__()
        if line_break:
            etree.SubElement(r, BR)
        for piece in _TEXT_SPLIT.split(text) if text else ():
            if piece == "\t":
                etree.SubElement(r, TAB)
            elif piece == "\n":
                etree.SubElement(r, BR)
            elif piece:
                t = etree.SubElement(r, T)
                t.text = piece
                if piece[0] == " " or piece[-1] == " ":
                    t.set(XML_SPACE, "preserve")
    else:
        r = _run_prototype(bold, italic, style_id,
                           text[0] == " " or text[-1] == " ").__copy__()
        r[-1].text = text
    parent.append(r)
    return r


@lru_cache(maxsize=64)
def _run_prototype(bold: bool, italic: bool, style_id: str | None, spaced: bool | None):
    """A run with its properties and, unless ``spaced`` is ``None``, an empty ``w:t``
    (keeping its edge spaces when ``spaced``)."""
    r = element("w:r")
    if style_id or bold or italic:
        rpr = etree.SubElement(r, RPR)
        if style_id:
            etree.SubElement(rpr, RSTYLE, {VAL: style_id})
        if bold:
            etree.SubElement(rpr, BOLD)
        if italic:
            etree.SubElement(rpr, ITALIC)
    if spaced is not None:
        t = etree.SubElement(r, T)
        if spaced:
            t.set(XML_SPACE, "preserve")
    return r


def add_hyperlink(p, r_id: str):
    """Append a ``w:hyperlink`` to the external target of relationship ``r_id`` to
    paragraph ``p`` and return it, to receive runs."""
    return sub(p, "w:hyperlink", {"r:id": r_id, "w:history": "1"})


# ---- tables -----------------------------------------------------------------------------

def new_table(style_id: str, widths: Sequence[int], body_rows: int):
    """A table of style ``style_id`` with fixed column widths (twips) filling the text
    area, the style's first-row formatting on, a header row that repeats on every page
    and ``body_rows`` rows; no row splits across pages. Cells are empty: each needs at
    least one paragraph."""
    return _table_prototype(style_id, tuple(widths), body_rows).__copy__()


@lru_cache(maxsize=64)
def _table_prototype(style_id: str, widths: tuple[int, ...], body_rows: int):
    tbl = element("w:tbl")
    tbl_pr = sub(tbl, "w:tblPr")
    sub(tbl_pr, "w:tblStyle", {"w:val": style_id})
    sub(tbl_pr, "w:tblW", {"w:w": 5000, "w:type": "pct"})
    sub(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
    sub(tbl_pr, "w:tblLook", {"w:val": "0620", "w:firstRow": 1, "w:lastRow": 0,
                              "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1,
                              "w:noVBand": 1})
    grid = sub(tbl, "w:tblGrid")
    for width in widths:
        sub(grid, "w:gridCol", {"w:w": width})
    for header in [True] + [False] * body_rows:
        tr = sub(tbl, "w:tr")
        tr_pr = sub(tr, "w:trPr")
        sub(tr_pr, "w:cantSplit")
        if header:
            sub(tr_pr, "w:tblHeader")
        for width in widths:
            sub(sub(sub(tr, "w:tc"), "w:tcPr"), "w:tcW", {"w:w": width, "w:type": "dxa"})
    return tbl


def table_cells(tbl) -> list[list]:
    """The cells (``w:tc``) of a table, row by row."""
    return [tr.findall(TC) for tr in tbl.iterchildren(TR)]


# ---- the section ----------------------------------------------------------------------------

def text_area(sect_pr) -> tuple[int, int]:
    """Width and height (twips) of the text area of a section."""
    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))

    def get(el, attr: str, default: int) -> int:
        try:
            return int(el.get(qn(attr))) if el is not None and el.get(qn(attr)) else default
        except ValueError:
            return default

    width = get(size, "w:w", 11906) - get(margins, "w:left", 1440) - \
        get(margins, "w:right", 1440) - get(margins, "w:gutter", 0)
    height = get(size, "w:h", 16838) - abs(get(margins, "w:top", 1440)) - \
        abs(get(margins, "w:bottom", 1440))
    return max(width, 1440), max(height, 1440)
