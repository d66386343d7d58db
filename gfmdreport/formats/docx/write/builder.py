"""Build the Word document of a session summary on a prepared template.

The layout is the genre's: title, session, date-time-venue; numbered paragraphs
(Word's own list numbering, continuous through the document); lettered sub-lists as the
list's second level; section headings; "Question N: text" headings with bullet
takeaways; the closing table. Every paragraph has a contract style; text carries only
bold, italic, code and links.

Each document builds its body one block of the summary at a time and streams it into
the main part (:mod:`gfmdreport.formats.docx.ooxml.stream`: the part is deflated and its
text digested as it is made, so that memory holds one block, not the document), builds
its core properties, and writes them with the template's other parts as prepared once
(see :mod:`.template`).
"""

from __future__ import annotations

import copy
import datetime as _dt
import json
import math
import os
import posixpath
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

from gfmdreport import __version__
from gfmdreport import typography
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import report
from gfmdreport.diagnostics import warning
from gfmdreport.formats.docx.ooxml.body import add_hyperlink
from gfmdreport.formats.docx.ooxml.body import add_paragraph
from gfmdreport.formats.docx.ooxml.body import add_run
from gfmdreport.formats.docx.ooxml.body import append_block
from gfmdreport.formats.docx.ooxml.body import new_table
from gfmdreport.formats.docx.ooxml.body import table_cells
from gfmdreport.formats.docx.ooxml.customxml import model_part_xml
from gfmdreport.formats.docx.ooxml.customxml import model_props_xml
from gfmdreport.formats.docx.ooxml.fields import set_update_fields
from gfmdreport.formats.docx.ooxml.fields import table_of_contents
from gfmdreport.formats.docx.ooxml.ns import CT_CUSTOM_XML_PROPS
from gfmdreport.formats.docx.ooxml.ns import RT_CUSTOM_XML
from gfmdreport.formats.docx.ooxml.ns import RT_CUSTOM_XML_PROPS
from gfmdreport.formats.docx.ooxml.ns import RT_HYPERLINK
from gfmdreport.formats.docx.ooxml.package import Relationships
from gfmdreport.formats.docx.ooxml.package import relationships_xml
from gfmdreport.formats.docx.ooxml.prepared import DOCUMENT_LEVEL
from gfmdreport.formats.docx.ooxml.prepared import assemble
from gfmdreport.formats.docx.ooxml.prepared import core_properties_element
from gfmdreport.formats.docx.ooxml.prepared import free_name
from gfmdreport.formats.docx.ooxml.stream import BodyStream
from gfmdreport.formats.docx.text import clean
from gfmdreport.formats.docx.text import property_words
from gfmdreport.formats.docx.text import runs_once
from gfmdreport.formats.docx.text import strip_unfit
from gfmdreport.formats.docx.text import word_language
from gfmdreport.formats.docx.write.template import Template
from gfmdreport.inline import Run
from gfmdreport.inline import link_target
from gfmdreport.inline import plain
from gfmdreport.labels import format_date
from gfmdreport.labels import format_time_range
from gfmdreport.labels import summary_labels
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

CACHED_TEXT = 50_000
"""Texts longer than this many characters are not kept flattened between documents."""
CACHE_CHARS = 1_000_000
"""How many characters of text, in all, are kept flattened between documents."""

PROPERTY_LIMIT = 255
"""Word keeps no more than 255 characters of a document property."""

MAX_LEVEL = 8
"""Word lists have nine levels (0-8); deeper items stay at the last one."""

_JSON_UNFIT = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Estimates for splitting a long closing table into rows that each fit on a page.
_CHAR_TWIPS = 100  # average character width at 10 pt
_LINE_TWIPS = 240
_ITEM_GAP_TWIPS = 60
_CELL_PADDING_TWIPS = 2 * 108 + 284


class DocumentBuilder:
    """One document being built; :meth:`build` returns its bytes."""

    def __init__(self, summary: SessionSummary, template: Template, *, toc: bool = False,
                 author: str | None = None):
        self.summary = summary
        self.template = template
        self.toc = toc
        self.author = author
        package = template.package
        self.stream = BodyStream(package.document_part, package.document_head,
                                 package.document_tail, DOCUMENT_LEVEL)
        self.body, self.end = self.stream.holder, None
        """Where each block is built before it is streamed."""
        self.rels = Relationships(package.document_rels)
        self.styles = template.styles
        self.lists = template.lists
        self.labels = summary_labels(summary)
        self.language = summary.language
        meta = summary
        self.title = self.typeset(clean(meta.title, meta.location_of("title"), "title"))
        self.session = self.typeset(clean(meta.session, meta.location_of("session"),
                                          "session"))
        self.venue = clean(meta.venue, meta.location_of("venue"), "venue")
        self.date = clean(meta.date, meta.location_of("date"), "date")

    # ---- the whole document -----------------------------------------------------------
    def build(self) -> bytes:
        self.front()
        if self.toc:
            self.table_of_contents()
        paragraphs = self.lists["paragraphs"]
        for block in self.summary.body:
            self.stream.ready()
            if isinstance(block, Paragraph):
                p = self.paragraph("numbered", num_id=paragraphs)
                self.inline(p, block.text, block.loc, "paragraph")
                self.items(block.items, "lettered", paragraphs, 1, block.loc)
            elif isinstance(block, Heading):
                self.inline(self.paragraph("heading"), block.text, block.loc, "heading")
            elif isinstance(block, Question):
                # A question is a heading of the section headings' level (they are
                # siblings in the summary); its words carry the question's look.
                p = self.paragraph("heading")
                look = self.styles["question"]
                add_run(p, self.question_label(block.number), style_id=look)
                self.inline(p, block.text, block.loc, "question", look)
                self.items(block.takeaways, "takeaway", self.lists["bullets"], 0, block.loc)
            elif isinstance(block, SummaryTable):
                self.closing_table(block)
        settings = None
        if self.toc and self.template.package.settings is not None:
            settings = copy.deepcopy(self.template.package.settings)
            set_update_fields(settings)
        document = self.stream.finish()
        extra = self.model_parts()
        return assemble(self.template.package, document=document,
                        document_rels=self.rels.root, core=self.core_properties(),
                        settings=settings, extra=extra)

    def question_label(self, number: int) -> str:
        return self.typeset(f"{self.labels['question']} {number}:") + " "

    def typeset(self, text: str) -> str:
        """Text with the typography of the summary's language (French spacing)."""
        return typography.apply(text, self.language)

    # ---- paragraphs and text ------------------------------------------------------------
    def paragraph(self, key: str, parent=None, num_id: int | None = None, level: int = 0):
        """A new paragraph (``w:p``) of contract style ``key``, at the end of the body or
        of ``parent`` (a table cell)."""
        return add_paragraph(self.body if parent is None else parent, self.styles[key],
                             num_id, min(level, MAX_LEVEL),
                             before=self.end if parent is None else None)

    def inline(self, p, source: str, where: Location | None, what: str,
               look: str | None = None) -> None:
        """Append inline source to a paragraph as runs: bold, italic, code, links; plain
        runs get the character style ``look`` (a question's)."""
        source = clean(source, where, what)
        link_href: str | None = None
        link = None
        code, hyperlink = self.styles["code"], self.styles["hyperlink"]
        for piece in _runs(source):
            if piece.href is not None and piece.href != link_href:
                link = self.hyperlink(p, piece.href, where)
                link_href = piece.href
            elif piece.href is None:
                link, link_href = None, None
            style = code if piece.code else hyperlink if link is not None else look
            add_run(p if link is None else link, self.typeset(piece.text), bold=piece.bold,
                    italic=piece.italic, style_id=style, line_break=piece.line_break)

    def hyperlink(self, p, href: str, where: Location | None):
        """A hyperlink element to put the link's runs in (``None``: text only)."""
        target = link_target(href)
        if target is None:
            report(warning("docx-link", f"link to {href.strip()[:80]!r} written as plain "
                           "text: only http, https and mailto links are kept", where,
                           "give a full http(s):// or mailto: address; the link text is "
                           "kept"))
            return None
        return add_hyperlink(p, self.rels.add(RT_HYPERLINK, target, external=True))

    def items(self, items: Sequence[Item], key: str, num_id: int, level: int,
              where: Location | None, parent=None) -> None:
        """A (nested) list: each item a paragraph of style ``key`` at its list level."""
        for item in items:
            p = self.paragraph(key, parent, num_id, level)
            self.inline(p, item.text, item.loc or where, "list item")
            self.items(item.items, key, num_id, level + 1, item.loc or where, parent)

    # ---- front matter ----------------------------------------------------------------
    def front(self) -> None:
        s = self.summary
        if self.title:
            add_run(self.paragraph("title"), self.title)
        if self.session:
            add_run(self.paragraph("session"), self.session)
        when = []
        if self.date:
            when.append(format_date(self.date, self.language, self.labels))
        if s.time:
            when.append(clean(format_time_range(s.start_time, s.end_time, self.language,
                                                self.labels), s.location_of("time"), "time"))
        if when or self.venue:
            p = self.paragraph("details")
            if when:
                add_run(p, ", ".join(when))
            if self.venue:
                if when:
                    add_run(p, line_break=True)
                add_run(p, self.venue)

    def table_of_contents(self) -> None:
        """Section headings and questions, the outline's second level (the title above
        them, its first, is not listed)."""
        entries = []
        toc = self.template.toc_style
        for block in self.summary.body:
            if isinstance(block, Heading):
                entries.append((toc, self.typeset(plain(block.text))))
            elif isinstance(block, Question):
                entries.append((toc, self.question_label(block.number) +
                                self.typeset(plain(block.text))))
        entries = [(style, strip_unfit(text)) for style, text in entries]
        table_of_contents(self.body, self.labels["contents"], entries,
                          heading_style=self.styles["contents"], levels=(2, 2))

    # ---- the closing table ----------------------------------------------------------
    def closing_table(self, block: SummaryTable) -> None:
        columns = block.columns
        if not columns:
            return
        chunks = self.row_chunks(block)
        width = self.template.text_width
        widths = [width // len(columns)] * len(columns)
        widths[-1] += width - sum(widths)
        tbl = new_table(self.styles["table"], widths, len(chunks))
        append_block(self.body, tbl)
        header, *body = table_cells(tbl)
        for tc, column in zip(header, columns, strict=True):
            p = self.paragraph("table_heading", tc)
            self.inline(p, column.heading, column.loc or block.loc, "table heading")
        for cells, (start, stop) in zip(body, chunks, strict=True):
            for tc, column in zip(cells, columns, strict=True):
                items = column.items[start:stop]
                if not items:
                    self.paragraph("table_text", tc)
                self.items(items, "table_item", self.lists["table-bullets"], 0,
                           column.loc or block.loc, tc)

    def row_chunks(self, block: SummaryTable) -> list[tuple[int, int]]:
        """Split the item rows so that no body row is likely taller than a third of the
        page: rows never split across pages, so a tall one would leave a gap (or, in
        Word, be cut off)."""
        columns = block.columns
        count = max(len(c.items) for c in columns)
        if count == 0:
            return [(0, 0)]
        cell_width = self.template.text_width / len(columns) - _CELL_PADDING_TWIPS
        per_line = max(8, int(cell_width / _CHAR_TWIPS))
        limit = self.template.text_height / 3

        def height(item: Item) -> int:
            return sum(math.ceil(max(len(i.text), 1) / per_line) * _LINE_TWIPS
                       + _ITEM_GAP_TWIPS for i in item.walk())

        chunks = []
        start = 0
        used = [0] * len(columns)
        for i in range(count):
            add = [height(c.items[i]) if i < len(c.items) else 0 for c in columns]
            if i > start and max(u + a for u, a in zip(used, add, strict=True)) > limit:
                chunks.append((start, i))
                start, used = i, [0] * len(columns)
            used = [u + a for u, a in zip(used, add, strict=True)]
        chunks.append((start, count))
        return chunks

    # ---- properties and the model part --------------------------------------------------
    def core_properties(self):
        """The document properties: title, subject (the session), author, keywords and
        category in the summary's language, language, dates."""
        s = self.summary
        author = self.author or "; ".join(p.display_name for p in s.rapporteurs)
        author = _prop(clean(author, None, "author"))
        words = property_words(s.language)
        stamp = _stamp(s)
        return core_properties_element(
            title=_prop(self.title), subject=_prop(self.session), creator=author,
            keywords=words["keywords"], last_modified_by=author, revision="1",
            created=stamp, modified=stamp, category=words["category"],
            language=word_language(s.language))

    def model_parts(self) -> list[tuple[str, bytes, str | None]]:
        """The model as a custom XML part (with its properties part), for reading an
        unedited file back exactly."""
        model = json.dumps(self.summary.to_dict(), ensure_ascii=False, separators=(",", ":"))
        model = _JSON_UNFIT.sub(lambda m: f"\\u{ord(m.group()):04x}", model)
        digest = self.stream.digest.value()
        package = self.template.package
        n = free_name(package, "customXml/item%d.xml")
        item, props = f"customXml/item{n}.xml", f"customXml/itemProps{n}.xml"
        self.rels.add(RT_CUSTOM_XML, posixpath.relpath(
            item, posixpath.dirname(package.document_part) or "."))
        return [
            (item, model_part_xml(model, digest, f"gfmdreport {__version__}"), None),
            (f"customXml/_rels/item{n}.xml.rels", relationships_xml(
                [("rId1", RT_CUSTOM_XML_PROPS, f"itemProps{n}.xml")]), None),
            (props, model_props_xml(model), CT_CUSTOM_XML_PROPS),
        ]


class _RunsCache:
    """The runs of texts flattened lately, least recently used dropped first, holding at
    most :data:`CACHE_CHARS` characters of text in all and no text longer than
    :data:`CACHED_TEXT`: a text met again (a label, a heading in the table of contents,
    the same summary rendered again) is parsed once, and a big document neither fills
    memory nor crowds out the rest."""

    def __init__(self) -> None:
        self._found: OrderedDict[str, tuple[Run, ...]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, source: str) -> tuple[Run, ...]:
        with self._lock:
            found = self._found.get(source)
            if found is not None:
                self._found.move_to_end(source)
                return found
        found = tuple(runs_once(source))
        if len(source) <= CACHED_TEXT:
            with self._lock:
                if source not in self._found:
                    self._found[source] = found
                    self._chars += len(source)
                    while self._chars > CACHE_CHARS:
                        dropped, _ = self._found.popitem(last=False)
                        self._chars -= len(dropped)
        return found


_runs = _RunsCache().get
"""The inline source's runs (:func:`gfmdreport.inline.runs`)."""


def _prop(text: str, limit: int = PROPERTY_LIMIT) -> str:
    """A document property within Word's limit of 255 characters: a longer text is cut
    at the last word that fits, and an ellipsis says so."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


def _stamp(summary: SessionSummary) -> _dt.datetime | None:
    """The document's created and modified time: ``SOURCE_DATE_EPOCH`` when set, else the
    session's date. The same summary always gives the same file, so a re-run of a batch
    or a comparison of two renders shows only real changes; a summary without a date
    gets no time stamp."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).replace(tzinfo=None)
    date = summary.date_value
    return _dt.datetime(date.year, date.month, date.day) if date else None


def render(summary: SessionSummary, template: Template, *, toc: bool = False,
           author: str | None = None) -> bytes:
    """The DOCX bytes of ``summary`` on ``template``."""
    return DocumentBuilder(summary, template, toc=toc, author=author).build()
