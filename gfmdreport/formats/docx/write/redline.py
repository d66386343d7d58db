"""The redline: the new version of a summary as its Word document, with every
difference from the old version as Word tracked changes (docs/diff.md).

The document is the new version's, built by the same builder on the same template
(styles, numbering, a ``--reference-doc``); the blocks come from
:func:`gfmdreport.diff.align` and each text from :func:`gfmdreport.redline.run_changes`:

- words inserted and deleted inside a text are ``w:ins`` and ``w:del`` runs; words whose
  bold, italic or code changed keep their text and record their old look
  (``w:rPrChange``); a link whose target changed is deleted and inserted;
- a paragraph, item, question, takeaway, table item or header line added or removed is
  a paragraph whose mark is inserted or deleted as well as its words, so that accepting
  or rejecting it removes the paragraph and Word renumbers the list; a block moved is
  deleted where it was and inserted where it is;
- a closing table added or removed (or whose columns changed) is rows inserted or
  deleted.

Every revision carries the author and the date. The model embedded is the new
version's, with the digest of the text with every change accepted: read back, the
redline is the new version (as a reader takes tracked changes as accepted).
"""

from __future__ import annotations

import copy
import datetime as _dt
from collections.abc import Sequence

from gfmdreport import typography
from gfmdreport.diff import Pair
from gfmdreport.diff import align
from gfmdreport.formats.docx.ooxml.body import TR
from gfmdreport.formats.docx.ooxml.body import add_run
from gfmdreport.formats.docx.ooxml.body import append_block
from gfmdreport.formats.docx.ooxml.body import new_table
from gfmdreport.formats.docx.ooxml.body import table_cells
from gfmdreport.formats.docx.ooxml.customxml import BodyDigest
from gfmdreport.formats.docx.ooxml.prepared import assemble
from gfmdreport.formats.docx.ooxml.revisions import DEL
from gfmdreport.formats.docx.ooxml.revisions import INS
from gfmdreport.formats.docx.ooxml.revisions import RPR
from gfmdreport.formats.docx.ooxml.revisions import Marks
from gfmdreport.formats.docx.ooxml.revisions import accept_all
from gfmdreport.formats.docx.ooxml.revisions import deleted
from gfmdreport.formats.docx.text import clean
from gfmdreport.formats.docx.write.builder import MAX_LEVEL
from gfmdreport.formats.docx.write.builder import DocumentBuilder
from gfmdreport.formats.docx.write.builder import _runs
from gfmdreport.formats.docx.write.template import Template
from gfmdreport.inline import Run
from gfmdreport.labels import format_date
from gfmdreport.labels import format_time_range
from gfmdreport.labels import summary_labels
from gfmdreport.model import Heading
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable
from gfmdreport.redline import Edit
from gfmdreport.redline import default_author
from gfmdreport.redline import revision_date
from gfmdreport.redline import run_changes


class _Side:
    """What one version writes its texts with: language and labels."""

    def __init__(self, summary: SessionSummary):
        self.summary = summary
        self.language = summary.language
        self.labels = summary_labels(summary)

    def typeset(self, text: str) -> str:
        return typography.apply(text, self.language)

    def runs(self, source: str | None, what: str, where=None) -> list[Run]:
        if source is None:
            return []
        source = clean(source, where, what)
        return [Run(self.typeset(r.text), r.bold, r.italic, r.code, r.href, r.line_break)
                for r in _runs(source)]

    def question_label(self, number: int) -> str:
        return self.typeset(f"{self.labels['question']} {number}:") + " "

    def front(self) -> tuple[list[Run], list[Run], list[Run]]:
        """The title, session and details lines as runs (empty when absent)."""
        s = self.summary
        title = self.typeset(clean(s.title, s.location_of("title"), "title"))
        session = self.typeset(clean(s.session, s.location_of("session"), "session"))
        venue = clean(s.venue, s.location_of("venue"), "venue")
        date = clean(s.date, s.location_of("date"), "date")
        when = []
        if date:
            when.append(format_date(date, self.language, self.labels))
        if s.time:
            when.append(clean(format_time_range(s.start_time, s.end_time, self.language,
                                                self.labels), s.location_of("time"), "time"))
        details: list[Run] = []
        if when:
            details.append(Run(", ".join(when)))
        if venue:
            if when:
                details.append(Run("", line_break=True))
            details.append(Run(venue))
        return ([Run(title)] if title else [], [Run(session)] if session else [], details)


class RedlineBuilder(DocumentBuilder):
    """The new version's document with the changes from the old one tracked."""

    def __init__(self, old: SessionSummary, new: SessionSummary, template: Template, *,
                 author: str | None = None, date: _dt.datetime | None = None):
        super().__init__(new, template)
        self.marks = Marks(author or default_author(), date or revision_date())
        self.before, self.after = _Side(old), _Side(new)
        self.old = old
        self.accepted = BodyDigest()

    # ---- the whole document ------------------------------------------------------------
    def build(self) -> bytes:
        self.redline_front()
        self.flush()
        for pair in align(self.old, self.summary):
            self.redline_block(pair)
            self.flush()
        document = self.stream.finish()
        self.stream.digest = self.accepted  # the model is the new version's
        extra = self.model_parts()
        return assemble(self.template.package, document=document,
                        document_rels=self.rels.root, core=self.core_properties(),
                        settings=None, extra=extra)

    def flush(self) -> None:
        """Count the blocks built, with their changes accepted, in the digest stored
        with the model; then stream them."""
        for block in self.body:
            shown = copy.deepcopy(block)
            holder = self.body.makeelement(self.body.tag)
            holder.append(shown)
            accept_all(holder)
            for child in holder:
                self.accepted.add(child)
        self.stream.flush()

    # ---- texts ----------------------------------------------------------------------------
    def redline_paragraph(self, key: str, old: list[Run] | None, new: list[Run] | None,
                          *, parent=None, num_id: int | None = None, level: int = 0,
                          look: str | None = None, where=None,
                          label: tuple[list[Run] | None, list[Run] | None] = (None, None)):
        """A paragraph of style ``key`` showing ``old`` changed to ``new`` (runs; ``None``
        on the side that lacks the paragraph: the paragraph itself is then inserted or
        deleted)."""
        p = self.paragraph(key, parent, num_id, level)
        if old is None:
            self.marks.paragraph(p, INS)
        elif new is None:
            self.marks.paragraph(p, DEL)
        if label != (None, None):  # a question's label, compared on its own
            self.edits(p, run_changes(label[0] or [], label[1] or []), look, where)
        self.edits(p, run_changes(old or [], new or []), look, where)
        return p

    def edits(self, p, edits: Sequence[Edit], look: str | None, where) -> None:
        """Append word-level changes to a paragraph as runs: kept, inserted (``w:ins``),
        deleted (``w:del``), or reformatted (``w:rPrChange``)."""
        code, hyperlink = self.styles["code"], self.styles["hyperlink"]
        link_href: str | None = None
        link = None
        for edit in edits:
            run = edit.new if edit.new is not None else edit.old
            assert run is not None
            if run.href is not None and run.href != link_href:
                link = self.hyperlink(p, run.href, where)
                link_href = run.href
            elif run.href is None:
                link, link_href = None, None
            container = p if link is None else link
            if edit.op == "insert":
                container = self.marks.wrap(container, INS)
            elif edit.op == "delete":
                container = self.marks.wrap(container, DEL)
            style = code if run.code else hyperlink if link is not None else look
            r = add_run(container, run.text, bold=run.bold, italic=run.italic,
                        style_id=style, line_break=run.line_break)
            if edit.op == "delete":
                deleted(r)
            elif edit.op == "format":
                was = edit.old
                assert was is not None
                old_style = code if was.code else hyperlink if link is not None else look
                shape = add_run(p.makeelement(p.tag), "x", bold=was.bold, italic=was.italic,
                                style_id=old_style)
                self.marks.formatting(r, shape.find(RPR))

    def items(self, pairs: Sequence[Pair], key: str, num_id: int, level: int,  # type: ignore[override]
              where=None, parent=None) -> None:
        for pair in pairs:
            a, b = pair.old, pair.new
            self.redline_paragraph(
                key, None if a is None else self.before.runs(a.text, "list item", a.loc),
                None if b is None else self.after.runs(b.text, "list item", b.loc),
                parent=parent, num_id=num_id, level=min(level, MAX_LEVEL),
                where=(b or a).loc or where)
            self.items(pair.parts, key, num_id, level + 1, where, parent)

    # ---- front matter ----------------------------------------------------------------------
    def redline_front(self) -> None:
        old, new = self.before.front(), self.after.front()
        for key, a, b in zip(("title", "session", "details"), old, new, strict=True):
            if a or b:
                self.redline_paragraph(key, a or None, b or None)

    # ---- blocks --------------------------------------------------------------------------
    def redline_block(self, pair: Pair) -> None:
        a, b = pair.old, pair.new
        block = b if b is not None else a
        where = block.loc
        if isinstance(block, Paragraph):
            paragraphs = self.lists["paragraphs"]
            self.redline_paragraph("numbered", self.text(self.before, a, "paragraph"),
                                   self.text(self.after, b, "paragraph"),
                                   num_id=paragraphs, where=where)
            self.items(pair.parts, "lettered", paragraphs, 1, where)
        elif isinstance(block, Heading):
            self.redline_paragraph("heading", self.text(self.before, a, "heading"),
                                   self.text(self.after, b, "heading"), where=where)
        elif isinstance(block, Question):
            self.redline_paragraph("heading", self.text(self.before, a, "question"),
                                   self.text(self.after, b, "question"),
                                   look=self.styles["question"], where=where,
                                   label=(self.label(self.before, a),
                                          self.label(self.after, b)))
            self.items(pair.parts, "takeaway", self.lists["bullets"], 0, where)
        elif isinstance(block, SummaryTable):
            self.redline_table(pair)

    @staticmethod
    def text(side: _Side, block, what: str) -> list[Run] | None:
        return None if block is None else side.runs(block.text, what, block.loc)

    @staticmethod
    def label(side: _Side, block: Question | None) -> list[Run] | None:
        return None if block is None else [Run(side.question_label(block.number))]

    # ---- the closing table ----------------------------------------------------------------
    def redline_table(self, pair: Pair) -> None:
        a, b = pair.old, pair.new
        shown = b if b is not None else a
        columns = pair.parts
        if not columns:
            return
        whole = INS if a is None else DEL if b is None else None
        chunks = self.row_chunks(shown)
        width = self.template.text_width
        widths = [width // len(columns)] * len(columns)
        widths[-1] += width - sum(widths)
        tbl = new_table(self.styles["table"], widths, len(chunks))
        if whole is not None:
            for tr in tbl.iterchildren(TR):
                self.marks.row(tr, whole)
        append_block(self.body, tbl)
        header, *rows = table_cells(tbl)
        for tc, column in zip(header, columns, strict=True):
            x, y = column.old, column.new
            self.redline_paragraph(
                "table_heading",
                None if x is None else self.before.runs(x.heading, "table heading"),
                None if y is None else self.after.runs(y.heading, "table heading"),
                parent=tc)
        for c, column in enumerate(columns):
            placed = self.place(column.parts, chunks, new_side=b is not None)
            for r, cells in enumerate(rows):
                self.cell(cells[c], placed[r], whole is not None,
                          (column.new or column.old).loc or shown.loc)

    def cell(self, tc, pairs: Sequence[Pair], whole: bool, where) -> None:
        """A cell's items. A cell a version leaves empty holds an empty paragraph in
        that version, deleted or inserted here, so that accepting gives the new cell
        and rejecting the old one."""
        has_old = any(p.old is not None for p in pairs)
        has_new = any(p.new is not None for p in pairs)
        if not whole and has_new and not has_old:
            self.marks.paragraph(self.paragraph("table_text", tc), DEL)
        self.items(pairs, "table_item", self.lists["table-bullets"], 0, where, tc)
        if whole or not has_new:
            p = self.paragraph("table_text", tc)
            if not whole and has_old:
                self.marks.paragraph(p, INS)

    @staticmethod
    def place(pairs: Sequence[Pair], chunks: list[tuple[int, int]], new_side: bool
              ) -> list[list[Pair]]:
        """The item pairs of a column, in the rows the shown version's items fall in
        (a removed item stays in the row of the item before it)."""
        rows: list[list[Pair]] = [[] for _ in chunks]
        index, row = 0, 0
        for pair in pairs:
            there = pair.new if new_side else pair.old
            if there is not None:
                while row + 1 < len(chunks) and index >= chunks[row][1]:
                    row += 1
                index += 1
            rows[row].append(pair)
        return rows


def render_redline(old: SessionSummary, new: SessionSummary, template: Template, *,
                   author: str | None = None, date: _dt.datetime | None = None) -> bytes:
    """The DOCX bytes of the redline from ``old`` to ``new`` on ``template``."""
    return RedlineBuilder(old, new, template, author=author, date=date).build()
