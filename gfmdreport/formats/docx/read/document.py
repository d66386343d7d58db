"""The text of a Word document as a sequence of paragraphs and tables, each paragraph with
its style, its list numbering and its formatted text.

This is all the WordprocessingML the reader looks at: styles (names, the styles they are
based on, the lists they are linked to), list definitions (each level's format), and in
the body the paragraphs, tables, content controls, runs, hyperlinks, fields and tracked
changes. Tracked changes are read as if accepted. Pictures, footnotes, comments, text
boxes and hidden text are left out (and counted, so the reader can say so).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from dataclasses import field
from typing import NamedTuple

from lxml import etree

from gfmdreport.formats.docx.ooxml.body import SDT
from gfmdreport.formats.docx.ooxml.body import TBL
from gfmdreport.formats.docx.ooxml.body import TC
from gfmdreport.formats.docx.ooxml.body import TR
from gfmdreport.formats.docx.ooxml.body import P
from gfmdreport.formats.docx.ooxml.body import R
from gfmdreport.formats.docx.ooxml.body import T
from gfmdreport.formats.docx.ooxml.customxml import BodyDigest
from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import RT_HYPERLINK
from gfmdreport.formats.docx.ooxml.ns import RT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import RT_STYLES
from gfmdreport.formats.docx.ooxml.ns import W as _W
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.package import SAFE_PARSING
from gfmdreport.formats.docx.ooxml.package import Package
from gfmdreport.formats.docx.read.definitions import FALSE
from gfmdreport.formats.docx.read.definitions import Lists
from gfmdreport.formats.docx.read.definitions import Numbering
from gfmdreport.formats.docx.read.definitions import StyleDef
from gfmdreport.formats.docx.read.definitions import Styles
from gfmdreport.formats.docx.read.definitions import as_int
from gfmdreport.formats.docx.read.definitions import val

QUESTION_LOOK = "gfmd question text"
"""The character style of a question's words (docs/docx.md), lower-cased."""
_R_ID = qn("r:id")
_BODY = qn("w:body")
_RPR, _BOLD, _ITALIC, _RSTYLE, _VANISH, _VAL = (_W + t for t in (
    "rPr", "b", "i", "rStyle", "vanish", "val"))
_FLD_CHAR, _FLD_CHAR_TYPE, _TYPE, _CHAR = (_W + t for t in (
    "fldChar", "fldCharType", "type", "char"))
_TABS = {_W + "tab", _W + "ptab"}
_BREAKS = {_W + "br", _W + "cr"}
_NO_BREAK_HYPHEN, _SYM, _COMMENT_REFERENCE = (_W + t for t in (
    "noBreakHyphen", "sym", "commentReference"))
_NOTES = {_W + "footnoteReference", _W + "endnoteReference"}
_PICTURES = {_W + "drawing", _W + "pict", _W + "object"}
_MC = qn("mc:AlternateContent")
_MATH = f"{{{NS['m']}}}"

_DESCEND = {_W + t for t in ("ins", "moveTo", "smartTag", "customXml", "dir", "bdo",
                             "fldSimple")}
_SKIP_IN_PARAGRAPH = {_W + t for t in ("del", "moveFrom", "proofErr", "bookmarkStart",
                                       "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                                       "permStart", "permEnd", "pPr", "rPr")}


class Piece(NamedTuple):
    """A stretch of text with one formatting. ``text`` is ``"\\n"`` for a line break.
    (A named tuple: a document holds one per stretch of formatting, millions in a big
    one.)"""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None

    @property
    def style(self) -> tuple[bool, bool, bool, str | None]:
        return self[1:]


MAX_PIECES = 2_000
"""A paragraph whose formatting changes more often than this (a real one changes it a
few dozen times) keeps its text without its formatting, with a warning: the work and
memory of reading it stay in proportion to its text."""


class _Pieces:
    """A paragraph's pieces as its runs come: neighbours of one formatting joined (Word
    splits runs for its own reasons), line breaks and tabs kept apart; past
    :data:`MAX_PIECES`, the text alone."""

    def __init__(self) -> None:
        self.done: list[Piece] = []
        self._texts: list[str] = []
        self._style: tuple | None = None
        self.flattened = False

    def add(self, text: str, style: tuple) -> None:
        if text in ("\n", "\t"):
            self._close()
            self.done.append(Piece(text, False, False, False,
                                   None if self.flattened else style[3]))
            return
        if self.flattened:
            style = (False, False, False, None)
        if style != self._style:
            self._close()
            self._style = style
        self._texts.append(text)

    def _close(self) -> None:
        if self._texts:
            self.done.append(Piece("".join(self._texts), *self._style))
            self._texts = []
        if not self.flattened and len(self.done) > MAX_PIECES:
            self.flattened = True
            self.done = [p if p.text in ("\n", "\t") else Piece(p.text)
                         for p in self.done]
            self._style = None

    def pieces(self) -> list[Piece]:
        self._close()
        if self.flattened:  # the text alone, its neighbours joined
            joined: list[Piece] = []
            for piece in self.done:
                if joined and piece.text not in ("\n", "\t") and \
                        joined[-1].text not in ("\n", "\t"):
                    joined[-1] = Piece(joined[-1].text + piece.text)
                else:
                    joined.append(piece)
            return joined
        return self.done


@dataclass
class Para:
    """One paragraph of the document."""

    ordinal: int
    """Its place among all the document's paragraphs, from 1 (the line of its
    diagnostics)."""
    style: str
    """The name of its paragraph style, lower-cased (``"gfmd takeaway"``,
    ``"heading 1"``), or ``""``."""
    style_label: str
    styles: tuple[str, ...]
    """That style and the styles it is based on, lower-cased names."""
    numbering: Numbering | None
    pieces: list[Piece]
    indent: int = 0
    """Left indentation in twips (for typed bullets, whose nesting it shows)."""
    outline: int | None = None
    """Outline level (0 for a level-1 heading), from the paragraph or its style."""
    own_level: int | None = None
    """The list level the paragraph sets itself (``w:ilvl``), not from its style."""
    numbering_off: bool = False
    """The paragraph switches off the list its style gives it (``w:numId`` 0, as Word
    writes when numbering or bullets are turned off on a paragraph)."""
    question_look: bool = False
    """Some of its text is in the character style of a question (``GFMD Question
    Text``), as the writer puts a question's words."""
    flattened: bool = False
    """Its formatting changed more than :data:`MAX_PIECES` times: its text is kept
    without it."""

    @property
    def text(self) -> str:
        """The plain text, with ``\\n`` for line breaks and ``\\t`` for tabs."""
        return "".join(p.text for p in self.pieces)

    def has_style(self, *names: str) -> bool:
        return any(name in self.styles for name in names)


@dataclass
class Table:
    """A table: rows of cells, each cell the paragraphs in it."""

    ordinal: int
    """The ordinal of its first paragraph."""
    style: str
    style_label: str
    rows: list[list[list[Para]]]


@dataclass
class Document:
    """What the reader needs of a Word document."""

    blocks: list[Para | Table]
    language: str = ""
    """The document's default language (``w:lang`` of its defaults), e.g. ``en-GB``."""
    paragraphs: int = 0
    """How many paragraphs there are, in all."""
    skipped: dict[str, int] = field(default_factory=dict)
    """What was left out, by kind (``pictures``, ``footnotes``, ``text boxes``,
    ``tracked changes`` …), and how many."""
    flattened: list[tuple[int, int]] = field(default_factory=list)
    """The paragraphs whose formatting was too much to keep: ordinal, and how many
    stretches of formatting they had at least."""
    style_names: set[str] = field(default_factory=set)
    """Every paragraph or table style the document defines, lower-cased."""
    digest: str = ""
    """The digest of the body's text, as the writer computes it
    (:func:`~gfmdreport.formats.docx.ooxml.customxml.body_digest`)."""

    def note(self, kind: str) -> None:
        self.skipped[kind] = self.skipped.get(kind, 0) + 1


# ---- the body --------------------------------------------------------------------------

class _Walker:
    def __init__(self, package: Package, styles: Styles, lists: Lists):
        self.package = package
        self.styles = styles
        self.lists = lists
        self.links = package.targets(package.main)
        self.ordinal = 0
        self.document = Document([], language=styles.language, style_names=styles.names())
        self._run_styles: dict[str, tuple] = {}

    # -- blocks --------------------------------------------------------------------------
    def blocks(self, container, into: list) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                into.append(self.paragraph(child))
            elif tag == TBL:
                into.append(self.table(child))
            elif tag == SDT:
                content = child.find(_W + "sdtContent")
                gallery = child.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
                if content is None:
                    continue
                if gallery is not None and "contents" in (val(gallery, "") or "").lower():
                    self.ordinal += sum(1 for _ in content.iter(P))
                    self.document.note("table of contents")
                    continue
                if child.find(f"{_W}sdtPr/{_W}showingPlcHdr") is not None:
                    self.ordinal += sum(1 for _ in content.iter(P))
                    continue  # a form field's prompt ("Click here to enter text")
                self.blocks(content, into)
            elif tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
                self.blocks(child, into)
            elif tag == _W + "altChunk":
                self.document.note("imported content (altChunk)")

    def table(self, tbl) -> Table:
        first = self.ordinal + 1
        style_id = val(tbl.find(f"{_W}tblPr/{_W}tblStyle"))
        chain = self.styles.chain(style_id)
        rows: list[list[list[Para]]] = []
        for tr in tbl.iterchildren(TR):
            row: list[list[Para]] = []
            for tc in _cells(tr):
                span = as_int(val(tc.find(f"{_W}tcPr/{_W}gridSpan"))) or 1
                paragraphs: list = []
                self.blocks(tc, paragraphs)
                row.append(list(_flatten(paragraphs)))
                row.extend([] for _ in range(max(0, min(span, 63) - 1)))
            rows.append(row)
        return Table(first, chain[0].name if chain else "",
                     chain[0].label if chain else "", rows)

    def paragraph(self, p) -> Para:
        self.ordinal += 1
        ppr = p.find(_W + "pPr")
        style_id = val(ppr.find(_W + "pStyle")) if ppr is not None else None
        style_id = style_id or self.styles.default_paragraph
        chain = self.styles.chain(style_id)
        found = _Pieces()
        self.fields: list[str] = []
        self.question_look = False
        self.inline(p, found, None)
        pieces = found.pieces()
        if found.flattened:
            self.document.flattened.append((self.ordinal, MAX_PIECES))
        outline = as_int(val(ppr.find(_W + "outlineLvl"))) if ppr is not None else None
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        ind = ppr.find(_W + "ind") if ppr is not None else None
        indent = 0
        if ind is not None:
            indent = as_int(ind.get(_W + "left") or ind.get(_W + "start")) or 0
        own = ppr.find(f"{_W}numPr/{_W}ilvl") if ppr is not None else None
        own_num = ppr.find(f"{_W}numPr/{_W}numId") if ppr is not None else None
        off = own_num is not None and val(own_num) == "0" and \
            any(style.num_id not in (None, "0") for style in chain)
        return Para(self.ordinal, chain[0].name if chain else "",
                    chain[0].label if chain else "", tuple(s.name for s in chain),
                    self.numbering(ppr, chain), pieces, indent,
                    outline if outline is not None and outline < 9 else None,
                    as_int(val(own)) if own is not None else None, off,
                    self.question_look, found.flattened)

    def numbering(self, ppr, chain: list[StyleDef]) -> Numbering | None:
        num = ppr.find(_W + "numPr") if ppr is not None else None
        num_id = val(num.find(_W + "numId")) if num is not None else None
        level = as_int(val(num.find(_W + "ilvl"))) if num is not None else None
        if num_id is None:
            for style in chain:
                if style.num_id is not None:
                    num_id = style.num_id
                    if level is None:
                        level = style.level
                    break
        if not num_id or num_id == "0":
            return None
        return self.lists.numbering(num_id, max(0, min(level or 0, 8)))

    # -- runs ----------------------------------------------------------------------------
    def inline(self, parent, pieces: _Pieces, href: str | None) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                self.run(child, pieces, href)
            elif tag == _W + "hyperlink":
                self.inline(child, pieces, self.hyperlink(child) or href)
            elif tag in _DESCEND:
                if tag == _W + "ins" or tag == _W + "moveTo":
                    self.document.note("tracked changes")
                self.inline(child, pieces, href)
            elif tag == SDT:
                content = child.find(_W + "sdtContent")
                placeholder = child.find(f"{_W}sdtPr/{_W}showingPlcHdr")
                if content is not None and placeholder is None:
                    self.inline(content, pieces, href)
            elif tag in (_W + "del", _W + "moveFrom"):
                self.document.note("tracked changes")
            elif tag == _MC:
                self.document.note("text boxes or drawings")
            elif tag in _SKIP_IN_PARAGRAPH:
                continue
            elif tag.startswith(_MATH):
                self.document.note("equations")

    def hyperlink(self, el) -> str | None:
        r_id = el.get(_R_ID)
        if r_id:
            found = self.links.get(r_id)
            if found and found[0] == RT_HYPERLINK:
                target = found[1]
                anchor = el.get(_W + "anchor")
                return f"{target}#{anchor}" if anchor and "#" not in target else target
            return None
        anchor = el.get(_W + "anchor")
        return f"#{anchor}" if anchor else None

    def run(self, r, pieces: _Pieces, href: str | None) -> None:
        first = r[0] if len(r) else None
        if first is not None and first.tag == _RPR:
            bold, italic, code, look, hidden = self.formatting(first)
            if hidden:
                if any(c.tag == T for c in r):
                    self.document.note("hidden text")
                return
        else:
            bold = italic = code = look = False
        style = (bold, italic, code, href)
        fields = self.fields
        for child in r:
            tag = child.tag
            if tag == T:
                if fields and fields[-1] == "instruction":
                    continue
                text = child.text
                if text:
                    if look and text.strip():
                        self.question_look = True
                    pieces.add(text, style)
                continue
            if tag == _RPR:
                continue
            if tag == _FLD_CHAR:
                kind = child.get(_FLD_CHAR_TYPE)
                if kind == "begin":
                    fields.append("instruction")
                elif kind == "separate" and fields:
                    fields[-1] = "result"
                elif kind == "end" and fields:
                    fields.pop()
                continue
            if fields and fields[-1] == "instruction":
                continue
            text = None
            if tag in _TABS:
                text = "\t"
            elif tag in _BREAKS:
                if (child.get(_TYPE) or "textWrapping") == "textWrapping":
                    text = "\n"
            elif tag == _NO_BREAK_HYPHEN:
                text = "-"
            elif tag == _SYM:
                char = child.get(_CHAR) or ""
                try:
                    text = chr(int(char, 16))
                except ValueError:
                    text = None
            elif tag in _NOTES:
                self.document.note("footnotes")
            elif tag == _COMMENT_REFERENCE:
                self.document.note("comments")
            elif tag in _PICTURES:
                self.document.note("pictures")
            elif tag == _MC:
                self.document.note("text boxes or drawings")
            if text:
                pieces.add(text, style)

    def formatting(self, rpr) -> tuple[bool, bool, bool, bool, bool]:
        """Bold, italic, inline code, whether the run has a question's look, and whether
        it is hidden; its properties read in one pass."""
        bold = italic = style_id = None
        hidden = False
        for child in rpr:
            tag = child.tag
            if tag == _BOLD:
                bold = (child.get(_VAL) or "true").lower() not in FALSE
            elif tag == _ITALIC:
                italic = (child.get(_VAL) or "true").lower() not in FALSE
            elif tag == _RSTYLE:
                style_id = child.get(_VAL)
            elif tag == _VANISH:
                hidden = (child.get(_VAL) or "true").lower() not in FALSE
        code = look = False
        if style_id:
            code, look, style_bold, style_italic = self._run_style(style_id)
            if bold is None:
                bold = style_bold
            if italic is None:
                italic = style_italic
        return bool(bold), bool(italic), code, look, hidden

    def _run_style(self, style_id: str) -> tuple[bool, bool, bool | None, bool | None]:
        """What a character style gives a run: code, a question's look, bold, italic
        (each style resolved once per document)."""
        found = self._run_styles.get(style_id)
        if found is None:
            code = look = False
            bold = italic = None
            for style in self.styles.chain(style_id):
                if style.name == "gfmd code":
                    code = True
                elif style.name == QUESTION_LOOK:
                    look = True
                if bold is None and style.bold is not None:
                    bold = style.bold
                if italic is None and style.italic is not None:
                    italic = style.italic
            found = self._run_styles[style_id] = (code, look, bold, italic)
        return found


def _cells(tr):
    for child in tr:
        if child.tag == TC:
            yield child
        elif child.tag in (SDT, _W + "customXml"):
            content = child.find(_W + "sdtContent") if child.tag == SDT else child
            if content is not None:
                yield from (c for c in content if c.tag == TC)


def _flatten(blocks) -> list[Para]:
    for block in blocks:
        if isinstance(block, Para):
            yield block
        else:  # a table inside a cell: its paragraphs, row by row
            for row in block.rows:
                for cell in row:
                    yield from cell


_BODY_CHILDREN = tuple(_W + t for t in ("p", "tbl", "sdt", "customXml", "ins", "moveTo",
                                          "altChunk"))


def read_document(package: Package) -> Document:
    """The body of the package's main document, with styles and lists resolved.

    The main part is parsed as a stream: each block of the body (a paragraph, a table, a
    content control) is read, counted in the text's digest and dropped as soon as it is
    complete, so that a big document is never held whole as a tree."""
    main = package.main
    styles_part = package.related(main, RT_STYLES)
    numbering_part = package.related(main, RT_NUMBERING)
    styles = Styles(package.xml(styles_part[0]) if styles_part else None)
    lists = Lists(package.xml(numbering_part[0]) if numbering_part else None)
    lists.resolve_links(styles)
    walker = _Walker(package, styles, lists)
    digest = BodyDigest()
    blob = package.read(main)
    events = etree.iterparse(io.BytesIO(blob), events=("end",), tag=_BODY_CHILDREN,
                             **SAFE_PARSING)
    del blob
    try:
        for _event, el in events:
            parent = el.getparent()
            if parent is None or parent.tag != _BODY:
                continue
            digest.add(el)
            walker.blocks((el,), walker.document.blocks)
            el.clear()
            while el.getprevious() is not None:
                del parent[0]
        root = events.root
    except etree.XMLSyntaxError as exc:
        raise package.error(f"the part {main} is not well-formed XML ({exc})",
                            "open it in Word or LibreOffice and save it again") from None
    docinfo = root.getroottree().docinfo if root is not None else None
    if docinfo is not None and (docinfo.doctype or docinfo.internalDTD is not None):
        raise package.error(f"the part {main} declares a document type or entities, "
                            "which Word never writes; refused",
                            "save the document again from Word")
    walker.document.digest = digest.value()
    walker.document.paragraphs = walker.ordinal
    return walker.document
