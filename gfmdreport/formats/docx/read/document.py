"""The text of a Word document as a sequence of paragraphs and tables, each paragraph with
its style, its list numbering and its formatted text.

This is all the WordprocessingML the reader looks at: styles (names, the styles they are
based on, the lists they are linked to), list definitions (each level's format), and in
the body the paragraphs, tables, content controls, runs, hyperlinks, fields and tracked
changes. Tracked changes are read as if accepted. Pictures, footnotes, comments, text
boxes and hidden text are left out (and counted, so the reader can say so).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from gfmdreport.formats.docx.ooxml.body import SDT
from gfmdreport.formats.docx.ooxml.body import TBL
from gfmdreport.formats.docx.ooxml.body import TC
from gfmdreport.formats.docx.ooxml.body import TR
from gfmdreport.formats.docx.ooxml.body import P
from gfmdreport.formats.docx.ooxml.body import R
from gfmdreport.formats.docx.ooxml.body import T
from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import RT_HYPERLINK
from gfmdreport.formats.docx.ooxml.ns import RT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import RT_STYLES
from gfmdreport.formats.docx.ooxml.ns import W as _W
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.package import Package

QUESTION_LOOK = "gfmd question text"
"""The character style of a question's words (docs/docx.md), lower-cased."""
_R_ID = qn("r:id")
_MC = qn("mc:AlternateContent")
_MATH = f"{{{NS['m']}}}"

_FALSE = {"0", "false", "off", "none"}
_DESCEND = {_W + t for t in ("ins", "moveTo", "smartTag", "customXml", "dir", "bdo",
                             "fldSimple")}
_SKIP_IN_PARAGRAPH = {_W + t for t in ("del", "moveFrom", "proofErr", "bookmarkStart",
                                       "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                                       "permStart", "permEnd", "pPr", "rPr")}
_DECIMAL = {"decimal", "decimalZero", "decimalEnclosedCircle", "decimalFullWidth",
            "decimalEnclosedFullstop", "decimalEnclosedParen", "ordinal", "cardinalText",
            "ordinalText"}


@dataclass(frozen=True)
class Piece:
    """A stretch of text with one formatting. ``text`` is ``"\\n"`` for a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None

    @property
    def style(self) -> tuple[bool, bool, bool, str | None]:
        return (self.bold, self.italic, self.code, self.href)


@dataclass(frozen=True)
class Numbering:
    """A paragraph's place in a Word list."""

    num_id: str
    level: int
    """0-based list level (``w:ilvl``)."""
    format: str
    """The level's ``w:numFmt``: ``decimal``, ``lowerLetter``, ``bullet`` …"""
    text: str
    """The level's ``w:lvlText``: ``%1.``, ``%2)``, ``•`` …"""
    first_format: str
    """The format of the list's first level."""
    value: int = 1
    """The number Word shows at this paragraph (counted through the document)."""

    @property
    def bullet(self) -> bool:
        return self.format in ("bullet", "none")

    @property
    def decimal(self) -> bool:
        return self.format in _DECIMAL


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
    style_names: set[str] = field(default_factory=set)
    """Every paragraph or table style the document defines, lower-cased."""
    body: object = None
    """The ``w:body`` element."""

    def note(self, kind: str) -> None:
        self.skipped[kind] = self.skipped.get(kind, 0) + 1


# ---- styles and lists --------------------------------------------------------------------

@dataclass
class _Style:
    id: str
    name: str
    label: str
    type: str
    based_on: str | None
    num_id: str | None
    level: int | None
    outline: int | None
    bold: bool | None
    italic: bool | None


def _val(el, default: str | None = None) -> str | None:
    if el is None:
        return default
    return el.get(_W + "val", default)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _toggle(rpr, tag: str) -> bool | None:
    if rpr is None:
        return None
    el = rpr.find(_W + tag)
    if el is None:
        return None
    return (el.get(_W + "val") or "true").lower() not in _FALSE


class Styles:
    """The styles part: names, inheritance, linked lists, bold and italic."""

    def __init__(self, root):
        self.by_id: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        self.language = ""
        if root is None:
            return
        lang = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang")
        self.language = _val(lang, "") or ""
        for el in root.iterchildren(_W + "style"):
            sid = el.get(_W + "styleId") or ""
            ppr = el.find(_W + "pPr")
            rpr = el.find(_W + "rPr")
            num = ppr.find(_W + "numPr") if ppr is not None else None
            label = _val(el.find(_W + "name"), sid) or sid
            style = _Style(
                id=sid,
                name=label.lower(),
                label=label,
                type=el.get(_W + "type") or "paragraph",
                based_on=_val(el.find(_W + "basedOn")),
                num_id=_val(num.find(_W + "numId")) if num is not None else None,
                level=_int(_val(num.find(_W + "ilvl"))) if num is not None else None,
                outline=_int(_val(ppr.find(_W + "outlineLvl"))) if ppr is not None else None,
                bold=_toggle(rpr, "b"),
                italic=_toggle(rpr, "i"),
            )
            self.by_id.setdefault(sid, style)
            if style.type == "paragraph" and (el.get(_W + "default") or "").lower() in \
                    ("1", "true", "on"):
                self.default_paragraph = sid

    def chain(self, style_id: str | None) -> list[_Style]:
        """The style and those it is based on, nearest first."""
        found: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(found) < 20:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                break
            found.append(style)
            style_id = style.based_on
        return found

    def names(self) -> set[str]:
        return {s.name for s in self.by_id.values() if s.type in ("paragraph", "table")}


class Lists:
    """The numbering part: each list level's format and text."""

    def __init__(self, root):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._nums: dict[str, str] = {}
        self._counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        links: dict[str, str] = {}
        for el in root.iterchildren(_W + "abstractNum"):
            aid = el.get(_W + "abstractNumId") or ""
            abstract[aid] = _levels(el)
            link = _val(el.find(_W + "numStyleLink"))
            if link:
                links[aid] = link
        self._abstract = abstract
        self._links = links
        nums: dict[str, str] = {}
        overrides: dict[str, dict[int, tuple[str, str, int]]] = {}
        for el in root.iterchildren(_W + "num"):
            nid = el.get(_W + "numId") or ""
            nums[nid] = _val(el.find(_W + "abstractNumId"), "") or ""
            found = {}
            for override in el.iterchildren(_W + "lvlOverride"):
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    found.update(_levels_of([lvl]))
            overrides[nid] = found
        self._nums = nums
        for nid, aid in nums.items():
            levels = dict(abstract.get(aid, {}))
            levels.update(overrides.get(nid, {}))
            self.levels[nid] = levels

    def resolve_links(self, styles: Styles) -> None:
        """Lists defined through a numbering style (``w:numStyleLink``) take that style's
        list's levels."""
        if not getattr(self, "_links", None):
            return
        for nid, aid in self._nums.items():
            link = self._links.get(aid)
            if not link or self.levels.get(nid):
                continue
            style = styles.by_id.get(link)
            target = style.num_id if style else None
            if target and target in self._nums:
                self.levels[nid] = dict(self._abstract.get(self._nums[target], {}))

    def numbering(self, num_id: str, level: int) -> Numbering | None:
        """The list level of the next paragraph of list ``num_id`` at ``level``, with the
        number Word shows for it (lists of one definition count together, as in Word)."""
        levels = self.levels.get(num_id)
        if not levels:
            return None
        fmt, text, start = levels.get(level, levels.get(max(levels), ("decimal", "", 1)))
        first = levels.get(0, ("decimal", "", 1))[0]
        counters = self._counters.setdefault(self._nums.get(num_id, num_id), [None] * 9)
        value = start if counters[level] is None else counters[level] + 1
        counters[level] = value
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        return Numbering(num_id, level, fmt, text, first, value)


def _levels(abstract) -> dict[int, tuple[str, str, int]]:
    return _levels_of(abstract.iterchildren(_W + "lvl"))


def _levels_of(lvls) -> dict[int, tuple[str, str, int]]:
    found = {}
    for lvl in lvls:
        ilvl = _int(lvl.get(_W + "ilvl"))
        if ilvl is None or not 0 <= ilvl <= 8:
            continue
        found[ilvl] = (_val(lvl.find(_W + "numFmt"), "decimal") or "decimal",
                       _val(lvl.find(_W + "lvlText"), "") or "",
                       _int(_val(lvl.find(_W + "start"))) or 1)
    return found


# ---- the body --------------------------------------------------------------------------

class _Walker:
    def __init__(self, package: Package, styles: Styles, lists: Lists):
        self.package = package
        self.styles = styles
        self.lists = lists
        self.links = package.targets(package.main)
        self.ordinal = 0
        self.document = Document([], language=styles.language, style_names=styles.names())

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
                if gallery is not None and "contents" in (_val(gallery, "") or "").lower():
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
        style_id = _val(tbl.find(f"{_W}tblPr/{_W}tblStyle"))
        chain = self.styles.chain(style_id)
        rows: list[list[list[Para]]] = []
        for tr in tbl.iterchildren(TR):
            row: list[list[Para]] = []
            for tc in _cells(tr):
                span = _int(_val(tc.find(f"{_W}tcPr/{_W}gridSpan"))) or 1
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
        style_id = _val(ppr.find(_W + "pStyle")) if ppr is not None else None
        style_id = style_id or self.styles.default_paragraph
        chain = self.styles.chain(style_id)
        pieces: list[Piece] = []
        self.fields: list[str] = []
        self.question_look = False
        self.inline(p, pieces, None)
        outline = _int(_val(ppr.find(_W + "outlineLvl"))) if ppr is not None else None
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        ind = ppr.find(_W + "ind") if ppr is not None else None
        indent = 0
        if ind is not None:
            indent = _int(ind.get(_W + "left") or ind.get(_W + "start")) or 0
        own = ppr.find(f"{_W}numPr/{_W}ilvl") if ppr is not None else None
        own_num = ppr.find(f"{_W}numPr/{_W}numId") if ppr is not None else None
        off = own_num is not None and _val(own_num) == "0" and \
            any(style.num_id not in (None, "0") for style in chain)
        return Para(self.ordinal, chain[0].name if chain else "",
                    chain[0].label if chain else "", tuple(s.name for s in chain),
                    self.numbering(ppr, chain), pieces, indent,
                    outline if outline is not None and outline < 9 else None,
                    _int(_val(own)) if own is not None else None, off,
                    self.question_look)

    def numbering(self, ppr, chain: list[_Style]) -> Numbering | None:
        num = ppr.find(_W + "numPr") if ppr is not None else None
        num_id = _val(num.find(_W + "numId")) if num is not None else None
        level = _int(_val(num.find(_W + "ilvl"))) if num is not None else None
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
    def inline(self, parent, pieces: list[Piece], href: str | None) -> None:
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

    def run(self, r, pieces: list[Piece], href: str | None) -> None:
        rpr = r.find(_W + "rPr")
        if rpr is not None and _toggle(rpr, "vanish"):
            if any(c.tag == T for c in r):
                self.document.note("hidden text")
            return
        bold, italic, code, look = self.formatting(rpr)
        for child in r:
            tag = child.tag
            if tag == _W + "fldChar":
                kind = child.get(_W + "fldCharType")
                if kind == "begin":
                    self.fields.append("instruction")
                elif kind == "separate" and self.fields:
                    self.fields[-1] = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if self.fields and self.fields[-1] == "instruction":
                continue
            text = None
            if tag == T:
                text = child.text or ""
            elif tag == _W + "tab" or tag == _W + "ptab":
                text = "\t"
            elif tag in (_W + "br", _W + "cr"):
                if (child.get(_W + "type") or "textWrapping") == "textWrapping":
                    text = "\n"
            elif tag == _W + "noBreakHyphen":
                text = "-"
            elif tag == _W + "sym":
                char = child.get(_W + "char") or ""
                try:
                    text = chr(int(char, 16))
                except ValueError:
                    text = None
            elif tag in (_W + "footnoteReference", _W + "endnoteReference"):
                self.document.note("footnotes")
            elif tag == _W + "commentReference":
                self.document.note("comments")
            elif tag in (_W + "drawing", _W + "pict", _W + "object"):
                self.document.note("pictures")
            elif tag == _MC:
                self.document.note("text boxes or drawings")
            if text:
                if look and text.strip():
                    self.question_look = True
                if text in ("\n", "\t"):
                    pieces.append(Piece(text, False, False, False, href))
                else:
                    pieces.append(Piece(text, bold, italic, code, href))

    def formatting(self, rpr) -> tuple[bool, bool, bool, bool]:
        """Bold, italic, inline code, and whether the run has a question's look."""
        if rpr is None:
            return False, False, False, False
        bold = _toggle(rpr, "b")
        italic = _toggle(rpr, "i")
        code = look = False
        style_id = _val(rpr.find(_W + "rStyle"))
        if style_id:
            for style in self.styles.chain(style_id):
                if style.name == "gfmd code":
                    code = True
                elif style.name == QUESTION_LOOK:
                    look = True
                if bold is None and style.bold is not None:
                    bold = style.bold
                if italic is None and style.italic is not None:
                    italic = style.italic
        return bool(bold), bool(italic), code, look


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


def read_document(package: Package) -> Document:
    """The body of the package's main document, with styles and lists resolved."""
    main = package.main
    root = package.xml(main)
    styles_part = package.related(main, RT_STYLES)
    numbering_part = package.related(main, RT_NUMBERING)
    styles = Styles(package.xml(styles_part[0]) if styles_part else None)
    lists = Lists(package.xml(numbering_part[0]) if numbering_part else None)
    lists.resolve_links(styles)
    walker = _Walker(package, styles, lists)
    body = root.find(_W + "body")
    if body is not None:
        walker.blocks(body, walker.document.blocks)
    walker.document.body = body
    walker.document.paragraphs = walker.ordinal
    return walker.document
