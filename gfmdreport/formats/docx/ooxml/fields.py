"""Fields: page numbers (``PAGE``, ``NUMPAGES``) and the table of contents, which Word
computes and the document carries with a provisional result."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from gfmdreport.formats.docx.ooxml.body import PPR
from gfmdreport.formats.docx.ooxml.body import PSTYLE
from gfmdreport.formats.docx.ooxml.body import VAL
from gfmdreport.formats.docx.ooxml.body import XML_SPACE
from gfmdreport.formats.docx.ooxml.body import P
from gfmdreport.formats.docx.ooxml.body import add_paragraph
from gfmdreport.formats.docx.ooxml.body import add_run
from gfmdreport.formats.docx.ooxml.body import append_block
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.schema import element
from gfmdreport.formats.docx.ooxml.schema import get_or_add
from gfmdreport.formats.docx.ooxml.schema import set_val
from gfmdreport.formats.docx.ooxml.schema import sub


def add_field(p, instruction: str, result: str) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES`` …) with its cached result."""
    p.append(_field_char("begin"))
    p.append(_instruction(instruction))
    p.append(_field_char("separate"))
    if result:
        sub(p, "w:r")
        sub(p[-1], "w:t").text = result
    p.append(_field_char("end"))


def _field_char(kind: str):
    r = element("w:r")
    sub(r, "w:fldChar", {"w:fldCharType": kind})
    return r


def _instruction(instruction: str):
    r = element("w:r")
    instr = sub(r, "w:instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    return r


def table_of_contents(body, heading: str, entries: Sequence[tuple[str | None, str]], *,
                      heading_style: str, levels: tuple[int, int]) -> None:
    """Append a table of contents: a ``TOC`` field in a content control, marked to be
    refreshed on opening, with ``entries`` (entry style id, text) as its provisional
    result, and an empty paragraph to part it from the text. ``levels`` are the first and
    last outline levels listed (1-based, as Word's ``\\o`` switch gives them)."""
    sdt = element("w:sdt")
    gallery = sub(sub(sdt, "w:sdtPr"), "w:docPartObj")
    sub(gallery, "w:docPartGallery", {"w:val": "Table of Contents"})
    sub(gallery, "w:docPartUnique")
    content = sub(sdt, "w:sdtContent")
    add_run(add_paragraph(content, heading_style), heading)
    paragraphs = []
    for style, text in list(entries) or [(None, "")]:
        p = etree.SubElement(content, P)
        if style:
            etree.SubElement(etree.SubElement(p, PPR), PSTYLE, {VAL: style})
        paragraphs.append((p, text))
    first, last = paragraphs[0][0], paragraphs[-1][0]
    first.append(_field_char("begin"))
    first[-1][0].set(qn("w:dirty"), "true")
    first.append(_instruction(f'TOC \\o "{levels[0]}-{levels[1]}" \\h \\z \\u'))
    first.append(_field_char("separate"))
    for p, text in paragraphs:
        add_run(p, text)
    last.append(_field_char("end"))
    etree.SubElement(content, P)
    append_block(body, sdt)


def set_update_fields(settings) -> None:
    """Ask Word to refresh the fields (the table of contents) when the file is opened."""
    set_val(get_or_add(settings, "w:updateFields"), "true")
