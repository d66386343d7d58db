"""The Word proceedings: many summaries compiled into the event's report.

Built on the single report's builder (:class:`~gfmdreport.formats.docx.write.builder.
DocumentBuilder`): the same template (the default or ``--reference-doc``), the same
contract styles for everything a session holds, the same paragraph, list, inline and
closing-table code. What the proceedings add:

- a cover (the event, the subtitle, dates and venue, the organisers) on its own page;
- the table of contents: a ``TOC`` field whose provisional result lists every entry with
  a ``PAGEREF`` field to a bookmark on its heading, so that LibreOffice prints the page
  numbers when it converts the file and Word rebuilds the whole when it opens it;
- each session a chapter starting on a new page ("1. GCM Cluster 3: …", outline level
  1), with its date, time and venue, its chairs and rapporteurs, its body and closing
  table, its headings one level below the chapter (outline levels 2 and 3);
- paragraph numbering in Word's own lists: a list instance per chapter restarting at 1
  (``restart``), one list through the report (``continuous``), or a list definition per
  chapter whose numbers carry the chapter's (``prefixed``: 2.1., 2.2., …);
- the annex: the closing tables consolidated, one table per column heading with the
  session each item came from; the index of chairs and rapporteurs; what plugins added.

The styles the proceedings add to the contract (:data:`STYLES`) are taken from a
reference document that defines them, else defined here on the contract's own.
"""

from __future__ import annotations

import copy
import zlib
from collections.abc import Mapping
from typing import Any

from lxml import etree

from gfmdreport.event import Proceedings
from gfmdreport.formats.docx.ooxml.body import PPR
from gfmdreport.formats.docx.ooxml.body import add_paragraph
from gfmdreport.formats.docx.ooxml.body import add_run
from gfmdreport.formats.docx.ooxml.body import append_block
from gfmdreport.formats.docx.ooxml.body import body_of
from gfmdreport.formats.docx.ooxml.body import new_table
from gfmdreport.formats.docx.ooxml.body import table_cells
from gfmdreport.formats.docx.ooxml.fields import add_field
from gfmdreport.formats.docx.ooxml.fields import set_update_fields
from gfmdreport.formats.docx.ooxml.ns import RT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import RT_STYLES
from gfmdreport.formats.docx.ooxml.ns import W
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.package import ZipMember
from gfmdreport.formats.docx.ooxml.package import read_relationships
from gfmdreport.formats.docx.ooxml.package import serialize
from gfmdreport.formats.docx.ooxml.package import zip_bytes
from gfmdreport.formats.docx.ooxml.prepared import DOCUMENT_LEVEL
from gfmdreport.formats.docx.ooxml.prepared import core_properties_element
from gfmdreport.formats.docx.ooxml.schema import add
from gfmdreport.formats.docx.ooxml.schema import element
from gfmdreport.formats.docx.ooxml.schema import get_or_add
from gfmdreport.formats.docx.ooxml.schema import sub
from gfmdreport.formats.docx.ooxml.styles import style_id
from gfmdreport.formats.docx.ooxml.styles import styles_by_name
from gfmdreport.formats.docx.text import clean
from gfmdreport.formats.docx.text import strip_unfit
from gfmdreport.formats.docx.text import word_language
from gfmdreport.formats.docx.write.builder import DocumentBuilder
from gfmdreport.formats.docx.write.builder import _prop
from gfmdreport.formats.docx.write.template import Template
from gfmdreport.formats.docx.write.template import load_template
from gfmdreport.inline import plain
from gfmdreport.labels import format_date
from gfmdreport.labels import format_date_span
from gfmdreport.labels import format_time_range
from gfmdreport.labels import proceedings_labels
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

STYLES: tuple[tuple[str, str, str, str], ...] = (
    # key, name in Word, based on (contract key), what it is for
    ("cover_title", "GFMD Cover Title", "title", "The event's title on the cover."),
    ("cover_subtitle", "GFMD Cover Subtitle", "session",
     "The subtitle on the cover (\"Report of the proceedings\")."),
    ("cover_details", "GFMD Cover Details", "details",
     "The dates, venue and organisers on the cover."),
    ("part", "GFMD Part", "heading",
     "A part heading of the manifest (\"Day 1\"), on a new page; outline level 1."),
    ("chapter", "GFMD Chapter", "heading",
     "A chapter: a session, the front matter, the annex; on a new page; outline level 1."),
    ("text", "GFMD Text", None, "A paragraph of the foreword, introduction or annex."),
)
"""The styles the proceedings add to the house-style contract (docs/docx.md)."""

_STYLE_XML = {
    "cover_title": '<w:pPr><w:spacing w:before="3400" w:after="480"/><w:jc w:val="center"/>'
                   '</w:pPr><w:rPr><w:b/><w:sz w:val="52"/><w:szCs w:val="52"/></w:rPr>',
    "cover_subtitle": '<w:pPr><w:spacing w:before="0" w:after="1200"/><w:jc w:val="center"/>'
                      '</w:pPr><w:rPr><w:b w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
                      '</w:rPr>',
    "cover_details": '<w:pPr><w:spacing w:before="0" w:after="240"/><w:jc w:val="center"/>'
                     '</w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>',
    "part": '<w:pPr><w:pageBreakBefore/><w:spacing w:before="1200" w:after="360"/>'
            '<w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>'
            '<w:rPr><w:caps/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>',
    "chapter": '<w:pPr><w:pageBreakBefore/><w:pBdr><w:bottom w:val="single" w:sz="6" '
               'w:space="4" w:color="1F3864"/></w:pBdr><w:spacing w:before="0" '
               'w:after="240"/><w:outlineLvl w:val="0"/></w:pPr>'
               '<w:rPr><w:color w:val="1F3864"/><w:sz w:val="30"/><w:szCs w:val="30"/>'
               '</w:rPr>',
    "text": '<w:pPr><w:spacing w:before="0" w:after="160"/><w:jc w:val="both"/></w:pPr>',
}

SESSION_HEADING_LEVEL = 1
"""Outline level (0-based) of a session's headings: one below the chapter's."""
QUESTION_LEVEL = 2
"""Outline level of what stands under a session-level heading (the annex's tables)."""
TOC_LEVELS = 2
BOOKMARK = "_Toc_gfmd_{}"


def _member_bytes(template: Template, name: str) -> bytes:
    for member in template.package.members:
        if member.name == name:
            return zlib.decompress(member.data, -15)
    raise KeyError(name)


def _part_name(template: Template, rel_type: str) -> str | None:
    package = template.package
    for rel in read_relationships(package.document_rels, package.document_part):
        if rel.type == rel_type and not rel.external:
            return rel.target
    return None


class Prepared:
    """A template readied for proceedings once: its styles with the proceedings' added
    (when it lacks them), and its numbering, parsed."""

    def __init__(self, template: Template):
        self.template = template
        self.styles_part = _part_name(template, RT_STYLES)
        self.numbering_part = _part_name(template, RT_NUMBERING)
        styles = etree.fromstring(_member_bytes(template, self.styles_part))
        by_name = styles_by_name(styles)
        ids: dict[str, str] = {}
        for key, name, based_on, _ in STYLES:
            found = by_name.get(name.lower())
            if found is not None:
                ids[key] = style_id(found)
                continue
            sid = name.replace(" ", "")
            base = (f'<w:basedOn w:val="{template.styles[based_on]}"/>' if based_on
                    else "")
            styles.append(etree.fromstring(
                f'<w:style xmlns:w="{W[1:-1]}" w:type="paragraph" w:customStyle="1" '
                f'w:styleId="{sid}"><w:name w:val="{name}"/>{base}<w:uiPriority w:val="10"/>'
                f'<w:qFormat/>{_STYLE_XML[key]}</w:style>'))
            ids[key] = sid
        self.ids = ids
        # The contents' first level (chapters, parts) in Word's built-in "toc 1", added
        # when the template lacks it; the second is the template's own "toc 2".
        toc1 = by_name.get("toc 1")
        if toc1 is None:
            normal = by_name.get("normal")
            base = (f'<w:basedOn w:val="{style_id(normal)}"/>' if normal is not None
                    else "")
            styles.append(etree.fromstring(
                f'<w:style xmlns:w="{W[1:-1]}" w:type="paragraph" w:styleId="TOC1">'
                f'<w:name w:val="toc 1"/>{base}<w:uiPriority w:val="39"/>'
                f'<w:unhideWhenUsed/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" '
                f'w:pos="{template.text_width}"/></w:tabs>'
                f'<w:spacing w:before="120" w:after="60"/></w:pPr><w:rPr><w:b/></w:rPr>'
                f'</w:style>'))
            self.toc1 = "TOC1"
        else:
            self.toc1 = style_id(toc1)
        self.styles_xml = serialize(styles)
        self.numbering = etree.fromstring(_member_bytes(template, self.numbering_part))


_prepared_cache: dict[int, Prepared] = {}


def _prepared(template: Template) -> Prepared:
    """The template readied once (templates are cached by :func:`load_template`)."""
    found = _prepared_cache.get(id(template))
    if found is None or found.template is not template:
        if len(_prepared_cache) > 16:
            _prepared_cache.clear()
        found = _prepared_cache[id(template)] = Prepared(template)
    return found


class ProceedingsBuilder(DocumentBuilder):
    """The proceedings' document; :meth:`build` returns its bytes."""

    def __init__(self, proceedings: Proceedings, template: Template, *,
                 author: str | None = None):
        cover = SessionSummary(title=proceedings.title, session=proceedings.subtitle,
                               venue=proceedings.venue, language=proceedings.language,
                               date=proceedings.start_date, source=proceedings.source)
        super().__init__(cover, template, toc=True, author=author)
        # The whole document is held as one tree (the contents are filled in at the end,
        # before the chapters they list), not streamed block by block as a report is.
        self.document = copy.deepcopy(template.package.document)
        self.body, self.end = body_of(self.document)
        self.proceedings = proceedings
        self.prepared = _prepared(template)
        self.pstyles = self.prepared.ids
        self.plabels = proceedings_labels(proceedings.language)
        self.numbering = copy.deepcopy(self.prepared.numbering)
        self.toc_entries: list[tuple[int, str, str]] = []
        """(level, text, bookmark) of every heading the contents list."""
        self.bookmarks = 0

    # ---- the whole ----------------------------------------------------------------------
    def build(self) -> bytes:
        p = self.proceedings
        if self.end is not None and self.end.find(qn("w:titlePg")) is None:
            _title_page(self.end)  # the cover: no page footer
        self.cover()
        toc_anchor = add_paragraph(None, self.styles["details"], before=self.end)
        chapter_lists = self.chapter_lists()
        for key, paragraphs in (("foreword", p.foreword), ("introduction", p.introduction)):
            if paragraphs:
                self.heading("chapter", self.plabels[key], 0)
                for text in paragraphs:
                    self.inline(self.paragraph(self.pstyles["text"], raw=True), text,
                                p.location_of(key), key)
        after_part = False
        for part, chapters in p.parts():
            if part:
                self.heading("part", part, 0)
                after_part = True
            for number, chapter in chapters:
                self.chapter(number, chapter.summary, chapter_lists[number - 1],
                             keep_page=after_part)
                after_part = False
        self.annex()
        self.contents(toc_anchor)
        settings = None
        if self.template.package.settings is not None:
            settings = copy.deepcopy(self.template.package.settings)
            set_update_fields(settings)
        return self.assemble(settings)

    def paragraph(self, key: str, parent=None, num_id: int | None = None, level: int = 0,
                  raw: bool = False):
        """A paragraph of contract style ``key`` (or, with ``raw``, of style id ``key``)."""
        if raw:
            return add_paragraph(self.body if parent is None else parent, key, num_id,
                                 level, before=self.end if parent is None else None)
        return super().paragraph(key, parent, num_id, level)

    def heading(self, key: str, text: str, level: int, *, keep_page: bool = False,
                source: str | None = None):
        """A heading of proceedings style ``key`` listed in the contents at ``level``,
        with a bookmark the contents' page number refers to."""
        p = self.paragraph(self.pstyles[key], raw=True)
        if keep_page:
            add(p.find(PPR), "w:pageBreakBefore", {"w:val": "0"})
        self.bookmarked(p, text if source is None else None, level, source)
        return p

    def bookmarked(self, p, text: str | None, level: int, source: str | None = None,
                   where=None) -> None:
        """Put a bookmark around the paragraph's content (``text``, or inline
        ``source``) and list it in the contents at ``level``."""
        self.bookmarks += 1
        name = BOOKMARK.format(self.bookmarks)
        sub(p, "w:bookmarkStart", {"w:id": self.bookmarks, "w:name": name})
        if source is not None:
            self.inline(p, source, where, "heading")
            shown = plain(source)
        else:
            shown = self.typeset(clean(text or "", where, "heading"))
            add_run(p, shown)
        sub(p, "w:bookmarkEnd", {"w:id": self.bookmarks})
        if level < TOC_LEVELS:
            self.toc_entries.append((level, strip_unfit(" ".join(shown.split())), name))

    # ---- the cover and the contents -----------------------------------------------------
    def cover(self) -> None:
        p = self.proceedings
        add_run(self.paragraph(self.pstyles["cover_title"], raw=True), self.title)
        if p.subtitle:
            add_run(self.paragraph(self.pstyles["cover_subtitle"], raw=True), self.session)
        when = format_date_span(p.start_date, p.end_date, p.language)
        for line in (when, self.venue):
            if line:
                add_run(self.paragraph(self.pstyles["cover_details"], raw=True),
                        self.typeset(line))
        if p.organisers:
            details = self.paragraph(self.pstyles["cover_details"], raw=True)
            add_run(details, self.typeset(self.plabels["organised_by"]), italic=True)
            for organiser in p.organisers:
                add_run(details, line_break=True)
                add_run(details, self.typeset(clean(plain(organiser), None, "organiser")))

    def contents(self, anchor) -> None:
        """The table of contents, where ``anchor`` stands (after the cover)."""
        sdt = element("w:sdt")
        gallery = sub(sub(sdt, "w:sdtPr"), "w:docPartObj")
        sub(gallery, "w:docPartGallery", {"w:val": "Table of Contents"})
        sub(gallery, "w:docPartUnique")
        content = sub(sdt, "w:sdtContent")
        heading = add_paragraph(content, self.styles["contents"])
        add(heading.find(PPR), "w:pageBreakBefore")
        add_run(heading, self.labels["contents"])
        styles = (self.prepared.toc1, self.template.toc_style)
        paragraphs = []
        for level, text, bookmark in self.toc_entries or [(0, "", "")]:
            p = etree.SubElement(content, qn("w:p"))
            style = styles[min(level, len(styles) - 1)]
            if style:
                sub(sub(p, "w:pPr"), "w:pStyle", {"w:val": style})
            paragraphs.append((p, text, bookmark))
        first, last = paragraphs[0][0], paragraphs[-1][0]
        _field_char(first, "begin", dirty=True)
        _instruction(first, f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u')
        _field_char(first, "separate")
        for p, text, bookmark in paragraphs:
            if not bookmark:
                continue
            link = sub(p, "w:hyperlink", {"w:anchor": bookmark, "w:history": "1"})
            add_run(link, text)
            add_run(link, "\t")
            add_field(link, f"PAGEREF {bookmark} \\h", "")
        _field_char(last, "end")
        anchor.addprevious(sdt)
        anchor.getparent().remove(anchor)

    # ---- a chapter -----------------------------------------------------------------------
    def chapter_lists(self) -> list[int]:
        """The list (``w:numId``) each chapter's paragraphs use, by the numbering."""
        base = self.lists["paragraphs"]
        mode = self.proceedings.numbering
        count = len(self.proceedings.chapters)
        if mode == "continuous":
            return [base] * count
        abstract = _abstract_of(self.numbering, base)
        if abstract is None:
            return [base] * count
        out = []
        for number in range(1, count + 1):
            if mode == "prefixed":
                out.append(_add_num(self.numbering, _prefixed_copy(
                    self.numbering, abstract, number)))
            else:
                out.append(_add_num(self.numbering, abstract.get(qn("w:abstractNumId")),
                                    restart=True))
        return out

    def chapter(self, number: int, s: SessionSummary, num_id: int, *,
                keep_page: bool) -> None:
        labels = {**self.plabels, **s.labels}
        where = s.location_of("session")
        title = f"{number}. {clean(s.session or s.title, where, 'session')}"
        self.heading("chapter", title, 0, keep_page=keep_page)
        when = []
        if s.date:
            when.append(format_date(s.date, s.language, labels))
        if s.time:
            when.append(format_time_range(s.start_time, s.end_time, s.language, labels))
        details = [", ".join(when)] if when else []
        if s.venue:
            details.append(clean(s.venue, s.location_of("venue"), "venue"))
        if details:
            p = self.paragraph(self.pstyles["text"], raw=True)
            add_run(p, self.typeset(" — ".join(details)), italic=True)
        for one, many, people in (("chair", "co_chairs", s.chairs),
                                  ("rapporteur", "rapporteurs", s.rapporteurs)):
            if not people:
                continue
            p = self.paragraph(self.pstyles["text"], raw=True)
            add_run(p, self.typeset(f"{labels[one] if len(people) == 1 else labels[many]}: "),
                    bold=True)
            add_run(p, self.typeset(clean("; ".join(
                ", ".join(t for t in (x.display_name, x.role, x.organization) if t)
                for x in people), None, "people")))
        language = self.language
        self.language = s.language
        saved_labels = self.labels
        self.labels = labels
        try:
            self.session_body(s, num_id)
        finally:
            self.language, self.labels = language, saved_labels

    def session_body(self, s: SessionSummary, num_id: int) -> None:
        for block in s.body:
            if isinstance(block, Paragraph):
                p = self.paragraph("numbered", num_id=num_id)
                self.inline(p, block.text, block.loc, "paragraph")
                self.items(block.items, "lettered", num_id, 1, block.loc)
            elif isinstance(block, Heading):
                p = self.paragraph("heading")
                add(p.find(PPR), "w:outlineLvl", {"w:val": SESSION_HEADING_LEVEL})
                self.bookmarked(p, None, SESSION_HEADING_LEVEL, block.text, block.loc)
            elif isinstance(block, Question):
                # a section heading's sibling, as in a report; its words keep their look
                p = self.paragraph("heading")
                add(p.find(PPR), "w:outlineLvl", {"w:val": SESSION_HEADING_LEVEL})
                look = self.styles["question"]
                add_run(p, self.question_label(block.number), style_id=look)
                self.inline(p, block.text, block.loc, "question", look)
                self.items(block.takeaways, "takeaway", self.lists["bullets"], 0, block.loc)
            elif isinstance(block, SummaryTable):
                self.closing_table(block)

    # ---- the annex -----------------------------------------------------------------------
    def annex(self) -> None:
        p = self.proceedings
        labels = self.plabels
        self.heading("chapter", labels["annex"], 0)
        tables = p.annex_tables()
        if tables:
            self.subheading(labels["annex_tables"])
            for table in tables:
                q = self.paragraph("heading")
                add(q.find(PPR), "w:outlineLvl", {"w:val": QUESTION_LEVEL})
                self.inline(q, table.heading, None, "table heading", self.styles["question"])
                self.two_columns((labels["item"], labels["session"]), [
                    ((entry.item,), self.session_name(entry.chapter))
                    for entry in table.entries], (3, 1))
        index = p.people_index()
        if index:
            self.subheading(labels["index"])
            rows = []
            for entry in index:
                person = entry.person
                who = ", ".join(t for t in (person.display_name, person.role,
                                            person.organization) if t)
                rows.append(((Item(_escape(who)),),
                             "; ".join(f"{labels[k]}: {', '.join(map(str, v))}"
                                       for k, v in (("chaired", entry.chaired),
                                                    ("reported", entry.reported)) if v)))
            self.two_columns((labels["name"], labels["session"]), rows, (3, 2),
                             bullets=False)
        for section in p.annexes:
            self.subheading(section.title, source=True)
            for text in section.paragraphs:
                self.inline(self.paragraph(self.pstyles["text"], raw=True), text, None,
                            "annex paragraph")
            self.items(section.items, "takeaway", self.lists["bullets"], 0, None)

    def subheading(self, text: str, source: bool = False) -> None:
        p = self.paragraph("heading")
        add(p.find(PPR), "w:outlineLvl", {"w:val": SESSION_HEADING_LEVEL})
        self.bookmarked(p, None if source else text, SESSION_HEADING_LEVEL,
                        text if source else None)

    def session_name(self, number: int) -> str:
        """How the annex names a session: its number and its name's first part ("2.
        GCM Cluster 4")."""
        s = self.proceedings.chapters[number - 1].summary
        name = " ".join((s.session or s.title).split())
        short = name.split(":", 1)[0]
        if len(short) > 60:
            short = short[:59].rsplit(" ", 1)[0] + "…"
        return f"{number}. {short}" if short else str(number)

    def two_columns(self, headings: tuple[str, str], rows, shares: tuple[int, int], *,
                    bullets: bool = True) -> None:
        """A table of the contract's table style: items (bulleted) beside a text."""
        width = self.template.text_width
        first = width * shares[0] // sum(shares)
        tbl = new_table(self.styles["table"], (first, width - first), len(rows))
        append_block(self.body, tbl)
        header, *body = table_cells(tbl)
        for tc, text in zip(header, headings, strict=True):
            add_run(self.paragraph("table_heading", tc), self.typeset(text))
        for cells, (items, text) in zip(body, rows, strict=True):
            if bullets:
                self.items(items, "table_item", self.lists["table-bullets"], 0, None,
                           cells[0])
            else:
                for item in items:
                    self.inline(self.paragraph("table_text", cells[0]), item.text, None,
                                "index entry")
            add_run(self.paragraph("table_text", cells[1]), self.typeset(text))

    # ---- the package ----------------------------------------------------------------------
    def core_properties(self):
        p = self.proceedings
        author = _prop(clean(self.author or "; ".join(p.organisers), None, "author"))
        from gfmdreport.formats.docx.write.builder import _stamp

        stamp = _stamp(self.summary)
        return core_properties_element(
            title=_prop(self.title), subject=_prop(self.session), creator=author,
            keywords="GFMD; proceedings",
            last_modified_by=author, revision="1", created=stamp, modified=stamp,
            category="Proceedings", language=word_language(p.language))

    def assemble(self, settings) -> bytes:
        package = self.template.package
        changed = {
            package.document_part: serialize(self.document),
            package.document_rels_part: serialize(self.rels.root),
            package.core_part: serialize(self.core_properties()),
            self.prepared.styles_part: self.prepared.styles_xml,
            self.prepared.numbering_part: serialize(self.numbering),
        }
        if settings is not None and package.settings_part:
            changed[package.settings_part] = serialize(settings)
        members = [ZipMember.of(m.name, changed[m.name], DOCUMENT_LEVEL)
                   if m.name in changed else m for m in package.members]
        return zip_bytes(members)


_AFTER_TITLE_PG = tuple(qn(f"w:{t}") for t in (
    "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"))


def _title_page(sect_pr) -> None:
    """Give the section a first page of its own (``w:titlePg``), at its place in the
    schema's order."""
    title = etree.Element(qn("w:titlePg"))
    for child in sect_pr:
        if child.tag in _AFTER_TITLE_PG:
            child.addprevious(title)
            return
    sect_pr.append(title)


def _escape(text: str) -> str:
    """Plain text as inline source (a name with ``*`` or ``_`` stays as written)."""
    return "".join("\\" + c if c in "\\`*_[]<>&" else c for c in text)


def _field_char(p, kind: str, dirty: bool = False) -> None:
    r = sub(p, "w:r")
    char = sub(r, "w:fldChar", {"w:fldCharType": kind})
    if dirty:
        char.set(qn("w:dirty"), "true")


def _instruction(p, instruction: str) -> None:
    r = sub(p, "w:r")
    instr = sub(r, "w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "


def _abstract_of(numbering, num_id: int):
    from gfmdreport.formats.docx.ooxml.numbering import list_definition

    return list_definition(numbering, num_id)


def _add_num(numbering, abstract_id: str, restart: bool = False) -> int:
    """A new list instance of definition ``abstract_id`` (restarting at 1)."""
    nums = numbering.findall(qn("w:num"))
    num_id = max((int(n.get(qn("w:numId"))) for n in nums), default=0) + 1
    num = element("w:num", {"w:numId": num_id})
    sub(num, "w:abstractNumId", {"w:val": abstract_id})
    if restart:
        override = sub(num, "w:lvlOverride", {"w:ilvl": 0})
        sub(override, "w:startOverride", {"w:val": 1})
    if nums:
        nums[-1].addnext(num)
    else:
        numbering.append(num)
    return num_id


def _prefixed_copy(numbering, abstract, chapter: int) -> str:
    """A copy of list definition ``abstract`` whose first level reads ``chapter.N.``;
    returns its id."""
    abstracts = numbering.findall(qn("w:abstractNum"))
    new_id = str(max(int(a.get(qn("w:abstractNumId"))) for a in abstracts) + 1)
    copied = copy.deepcopy(abstract)
    copied.set(qn("w:abstractNumId"), new_id)
    nsid = copied.find(qn("w:nsid"))
    if nsid is not None:
        nsid.set(qn("w:val"), f"{zlib.crc32(f'gfmd-{chapter}'.encode()):08X}")
    for lvl in copied.findall(qn("w:lvl")):
        if lvl.get(qn("w:ilvl")) == "0":
            get_or_add(lvl, "w:lvlText").set(qn("w:val"), f"{chapter}.%1.")
            ind = lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            if ind is not None:
                ind.set(qn("w:hanging"), str(max(int(ind.get(qn("w:hanging"), "0")), 794)))
                ind.set(qn("w:left"), str(max(int(ind.get(qn("w:left"), "0")), 794)))
    abstracts[-1].addnext(copied)
    return new_id


def render_proceedings(proceedings: Proceedings,
                       options: Mapping[str, Any] | None = None) -> bytes:
    """The DOCX bytes of ``proceedings``. ``options``: ``reference_doc`` (path),
    ``author`` (text); ``toc`` does not apply (the proceedings always have contents)."""
    options = options or {}
    template = load_template(options.get("reference_doc") or None, proceedings.language)
    return ProceedingsBuilder(proceedings, template,
                              author=options.get("author") or None).build()


__all__ = ["STYLES", "ProceedingsBuilder", "render_proceedings"]
