"""Step 2 of reading a Word document's content, after the metadata: the kinds are put
together as the text reader does. Paragraphs take the lettered items after them;
questions take the bullets after them; a Word table, or headings with lists under them,
is the closing table."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from gfmdreport.diagnostics import Location
from gfmdreport.formats.docx.read.context import Context
from gfmdreport.formats.docx.read.document import Para
from gfmdreport.formats.docx.read.document import Piece
from gfmdreport.formats.docx.read.document import Table
from gfmdreport.formats.docx.read.kinds import Classifier
from gfmdreport.formats.docx.read.kinds import Entry
from gfmdreport.formats.docx.read.kinds import unbold
from gfmdreport.formats.docx.read.markup import plain_text as plain
from gfmdreport.formats.docx.read.markup import strip_prefix
from gfmdreport.formats.docx.read.markup import to_source
from gfmdreport.model import Column
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SummaryTable
from gfmdreport.recognize.lines import ROMAN
from gfmdreport.recognize.lines import classify
from gfmdreport.recognize.lines import looks_like_heading
from gfmdreport.recognize.tables import SUMMARY_TABLE_LABELS
from gfmdreport.recognize.tables import known_heading
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import collapse
from gfmdreport.recognize.text import short


@dataclass
class _Item:
    source: str
    loc: Location
    items: list[_Item] = field(default_factory=list)

    def freeze(self) -> Item:
        return Item(self.source, tuple(i.freeze() for i in self.items), self.loc)


class _List:
    """Items placed by their list level: a level deeper than the last item's nests
    under it; the same level is its sibling."""

    def __init__(self) -> None:
        self.items: list[_Item] = []
        self.stack: list[_Item] = []
        self.indents: list[int] = []
        self.base: int | None = None

    def add(self, item: _Item, level: int) -> bool:
        """Place the item; False when it had to be placed higher than its level says.
        Levels count from the first item's (a list may start at Word's second level,
        as pandoc writes a list inside a list item)."""
        if self.base is None:
            self.base = level
        level = max(0, level - self.base)
        fits = level <= len(self.stack)
        level = max(0, min(level, len(self.stack)))
        del self.stack[level:]
        (self.stack[-1].items if self.stack else self.items).append(item)
        self.stack.append(item)
        return fits

    def typed_level(self, indent: int) -> int:
        """The level of a typed bullet, from its indentation against those before it."""
        while self.indents and indent < self.indents[-1] - 60:
            self.indents.pop()
        if not self.indents or indent > self.indents[-1] + 60:
            self.indents.append(indent)
        return len(self.indents) - 1


@dataclass
class BodyBlock:
    kind: str
    loc: Location
    source: str = ""
    number: int = 0
    list: _List = field(default_factory=_List)
    table: SummaryTable | None = None
    bulleted: bool = False
    warned: bool = False


class BodyReader:
    """Builds the body's blocks, its warnings going to ``ctx``; ``kinds`` gives the
    paragraphs of table cells their kind."""

    def __init__(self, ctx: Context, kinds: Classifier):
        self.at, self.warn, self.source = ctx.at, ctx.warn, ctx.source
        self.contract, self.keep_empty = ctx.contract, ctx.keep_empty
        self.split_breaks = ctx.split_breaks
        self.question_lines = ctx.question_lines
        self.classify = kinds.classify

    def read(self, entries: list[Entry], extra: list[tuple[str, Line]]) -> list[BodyBlock]:
        """The body's blocks: ``extra`` (the paragraphs before the first numbered one
        that are no metadata), then the entries."""
        blocks: list[BodyBlock] = []
        numbered = any(e.kind == "paragraph" for e in entries)
        for text, line in extra:
            where = self.at(line.number)
            if looks_like_heading(text):
                blocks.append(BodyBlock("heading", where, self._plain_source(text)))
                self.warn("docx-unplaced", f"a paragraph before the first numbered one is "
                          f"neither title, session nor date ('{short(text)}'); kept it as a "
                          "heading", line.number)
            else:
                blocks.append(BodyBlock("paragraph", where, self._plain_source(text)))
                self.warn("docx-unplaced", f"text before the first numbered paragraph "
                          f"('{short(text)}') kept as a paragraph", line.number)
        context: BodyBlock | None = None
        next_par = 1
        next_q = 1
        letters: dict[int, str] = {}
        for k, entry in enumerate(entries):
            where = self.at(entry.ordinal)
            kind = entry.kind
            if entry.unnumbered and kind == "paragraph" and not entry.typed and \
                    context is not None and context.kind == "paragraph" and \
                    not context.list.items:
                # Numbering switched off: the document shows the text under the number
                # before it, which is what the model reads it as.
                self.warn("docx-unnumbered", f"this paragraph has its numbering switched "
                          f"off in Word, so the document shows it under paragraph "
                          f"{next_par - 1}: read as part of that paragraph, after a line "
                          "break", entry.ordinal, "switch its numbering back on in Word "
                          "if it is a paragraph of its own")
                context.source += "\\\n" + self.source(entry.pieces, entry.ordinal)
                continue
            if entry.unnumbered:
                self._numbering_off(entry, next_par)
            if kind in ("title", "session", "details"):
                self.warn("docx-unplaced", f"a {kind} paragraph after the text had begun "
                          f"('{short(entry.text)}'); kept it as a paragraph", entry.ordinal,
                          "move it to the top, or give it another style")
                kind = "text"
            if kind == "table":
                table = entry.stacked
                if table is None:
                    assert entry.table is not None
                    table = self.table(entry.table)
                blocks.append(BodyBlock("table", where, table=table))
                context = None
            elif kind == "question":
                number = entry.number
                if number is None:
                    number = next_q
                    self.warn("docx-numbering", f"a question without 'Question N:' before "
                              f"its text; numbered {number}", entry.ordinal,
                              "start the question with its label, as 'Question 2: …'")
                elif number != next_q:
                    self.warn("docx-numbering", f"question numbered {number} where "
                              f"{next_q} was expected", entry.ordinal)
                context = BodyBlock("question", where, self.source(entry.pieces, entry.ordinal),
                                    number=number)
                if entry.para is not None:
                    self.question_lines.append((number, entry.para.text))
                blocks.append(context)
                next_q = number + 1
            elif kind == "heading":
                if self._table_label(entry, entries, k):
                    continue
                blocks.append(BodyBlock("heading", where, self.source(entry.pieces,
                                                                   entry.ordinal)))
                context = None
            elif kind == "paragraph" and not (
                    entry.typed and context is not None and context.kind == "question" and
                    entry.number == 1 and next_par != 1):
                if entry.typed and entry.number is not None:
                    if entry.number != next_par:
                        self.warn("docx-numbering", f"paragraph numbered {entry.number} "
                                  f"where {next_par} was expected; paragraphs are numbered "
                                  "in order", entry.ordinal,
                                  "check for a missing or repeated paragraph")
                    next_par = entry.number + 1
                else:
                    next_par += 1
                context = BodyBlock("paragraph", where, self.source(entry.pieces, entry.ordinal))
                blocks.append(context)
                letters = {}
            elif kind in ("letter", "bullet", "paragraph"):
                context = self.list_item(entry, context, blocks, letters)
            else:  # text
                if self._table_label(entry, entries, k):
                    continue
                text = collapse(entry.text)
                short_line = looks_like_heading(text) and len(text.split()) <= 15
                if short_line and not (context is not None and context.kind == "question"
                                       and not context.list.items):
                    blocks.append(BodyBlock("heading", where, self.source(
                        unbold(entry.pieces), entry.ordinal)))
                    context = None
                elif context is not None and context.kind == "question" and \
                        not context.bulleted:
                    # Takeaways typed as plain paragraphs under their question. After
                    # bulleted takeaways, a plain paragraph is the text going on.
                    context.list.add(_Item(self.source(entry.pieces, entry.ordinal), where),
                                     0)
                else:
                    if numbered:
                        self.warn("docx-unplaced", self._unnumbered(entry), entry.ordinal,
                                  "give it the numbered paragraphs' style or list")
                    context = BodyBlock("paragraph", where, self.source(entry.pieces,
                                                                     entry.ordinal))
                    blocks.append(context)
                    next_par += 1
                    letters = {}
        return blocks

    def stack_tables(self, entries: list[Entry]) -> list[Entry]:
        """Closing tables written as a heading per column with its items listed under it
        (as in Markdown notes, or typed so in Word), each made one table entry.

        One starts at a "Summary table" label that no table follows, or at a heading
        that reads like a column heading ("Points of Convergence") with a list under
        it; it goes on while headings with lists under them follow."""
        out: list[Entry] = []
        k = 0
        while k < len(entries):
            entry = entries[k]
            labelled = self._heading_like(entry) and \
                collapse(entry.text).lower() in SUMMARY_TABLE_LABELS and not (
                    k + 1 < len(entries) and entries[k + 1].kind == "table")
            start = k + 1 if labelled else k
            columns: list[tuple[Entry, list[Entry]]] = []
            j = start
            while j < len(entries) and self._heading_like(entries[j]) and (
                    labelled or known_heading(entries[j].text)):
                items = []
                n = j + 1
                while n < len(entries) and entries[n].kind in ("bullet", "letter"):
                    items.append(entries[n])
                    n += 1
                if not items and not labelled:
                    break
                columns.append((entries[j], items))
                j = n
            if columns and (labelled or len(columns) >= 2):
                out.append(Entry("table", entries[k].para, stacked=self._stacked(columns)))
                k = j
                continue
            out.append(entry)
            k += 1
        return out

    @staticmethod
    def _heading_like(entry: Entry) -> bool:
        return entry.kind == "heading" or (entry.kind == "text" and
                                           looks_like_heading(entry.text))

    def _stacked(self, columns: list[tuple[Entry, list[Entry]]]) -> SummaryTable:
        built = []
        for heading, entries in columns:
            items = _List()
            for entry in entries:
                level = entry.level if not entry.typed else items.typed_level(
                    entry.para.indent if entry.para else 0)
                items.add(_Item(self.source(entry.pieces, entry.ordinal),
                                self.at(entry.ordinal)), level)
            built.append(Column(self.source(unbold(heading.pieces), heading.ordinal),
                                tuple(i.freeze() for i in items.items),
                                self.at(heading.ordinal)))
        return SummaryTable(tuple(built), self.at(columns[0][0].ordinal))

    def _unnumbered(self, entry: Entry) -> str:
        if self.contract:
            style = entry.para.style_label if entry.para is not None else ""
            return (f"a paragraph in the style '{style or 'Normal'}', which is not one of "
                    "the house style's, is kept as a numbered paragraph")
        return "a paragraph without a number is kept as a numbered paragraph (numbers " \
            "follow it)"

    def _table_label(self, entry: Entry, entries: list[Entry], k: int) -> bool:
        """ "Summary table" just before the table: the writers' own label."""
        nxt = entries[k + 1] if k + 1 < len(entries) else None
        return nxt is not None and nxt.kind == "table" and \
            collapse(entry.text).lower() in SUMMARY_TABLE_LABELS

    def _numbering_off(self, entry: Entry, number: int) -> None:
        """Word's numbering (or bullet) switched off on a paragraph of a list style: the
        document shows no number where the model has one; said, never silently."""
        if entry.kind == "paragraph":
            self.warn("docx-unnumbered", f"paragraph {number} has its numbering switched "
                      "off in Word, so the document shows it without a number; it is kept "
                      f"as numbered paragraph {number}, and the numbers after it are one "
                      "more than the document shows", entry.ordinal,
                      "switch its numbering back on in Word, or make it part of the "
                      "paragraph before it")
        else:
            what = "letter" if entry.kind == "letter" else "bullet"
            self.warn("docx-unnumbered", f"this item has its {what} switched off in Word; "
                      f"it is kept as an item of its list ('{short(entry.text)}')",
                      entry.ordinal, f"switch its {what} back on in Word")

    def lines(self, pieces: list[Piece], ordinal: int, where: str) -> list[str]:
        """The item sources of a paragraph: one, or one per line when a line break
        (Shift+Enter) parts it (a typed bullet at the start of a line taken off), with a
        warning naming ``where`` it was."""
        parts: list[list[Piece]] = [[]]
        if self.split_breaks:
            for piece in pieces:
                if piece.text == "\n":
                    parts.append([])
                else:
                    parts[-1].append(piece)
        else:
            parts = [list(pieces)]
        parts = [p for p in parts if "".join(x.text for x in p).strip()]
        if len(parts) <= 1:
            return [self.source(parts[0] if parts else list(pieces), ordinal)]
        sources = []
        for part in parts:
            text = "".join(x.text for x in part).replace("\t", " ")
            lead = len(text) - len(text.lstrip())
            start = classify(text.strip())
            if start.kind == "bullet" and start.text:
                part = strip_prefix(part, lead + start.offset)
            sources.append(self.source(part, ordinal))
        self.warn("docx-line-break", f"a line break (Shift+Enter) in {where} parts its "
                  f"text into {len(sources)} items: read as {len(sources)} items",
                  ordinal, "press Enter, not Shift+Enter, between two items")
        return sources

    def list_item(self, entry: Entry, context: BodyBlock | None, blocks: list[BodyBlock],
                  letters: dict[int, str]) -> BodyBlock:
        where = self.at(entry.ordinal)
        if context is not None and context.kind == "question" and entry.kind == "bullet":
            what = f"takeaway {len(context.list.items) + 1} of question {context.number}"
            sources = self.lines(entry.pieces, entry.ordinal, what)
        else:
            sources = [self.source(entry.pieces, entry.ordinal)]
        source = sources[0]
        if context is None:
            self.warn("docx-unplaced", f"a list item outside any paragraph or question "
                      f"('{short(entry.text)}'); kept as a paragraph", entry.ordinal)
            block = BodyBlock("paragraph", where, source)
            blocks.append(block)
            return block
        if context.kind == "paragraph" and entry.kind == "bullet" and not context.warned:
            context.warned = True
            self.warn("docx-list", "a bulleted list under a numbered paragraph is kept as "
                      "its sub-list, which is lettered a), b), c)", entry.ordinal)
        if context.kind == "question" and entry.kind != "bullet" and not context.warned:
            context.warned = True
            self.warn("docx-list", "the takeaways of this question are numbered; they are "
                      "kept as bullet points", entry.ordinal)
        level = entry.level
        if entry.typed:
            if entry.kind == "letter":
                level = self._letter_level(entry.label, letters, context)
            elif entry.kind == "bullet":
                level = context.list.typed_level(entry.para.indent if entry.para else 0)
        if context.kind == "question":
            context.bulleted = True
        if not context.list.add(_Item(source, where), level):
            self.warn("docx-list", "a list item one level deeper than the item before it "
                      "allows; placed it one level below that item", entry.ordinal)
        for more in sources[1:]:
            context.list.add(_Item(more, where), level)
        return context

    @staticmethod
    def _letter_level(label: str, letters: dict[int, str], context: BodyBlock) -> int:
        """A typed letter's level: a roman numeral under a lettered item ("i)" after
        "b)") nests under it; any other letter is a first-level item."""
        last = letters.get(0, "")
        expected = chr(ord(last) + 1) if last else "a"
        if label in ROMAN and context.list.items and label != expected:
            return 1
        letters[0] = label
        return 0

    def _plain_source(self, text: str) -> str:
        return to_source([Piece(text)])[0]

    def table(self, table: Table) -> SummaryTable:
        rows = [row for row in table.rows if any(cell for cell in row)]
        if not rows:
            return SummaryTable((), self.at(table.ordinal))
        header, *body = rows
        width = max(len(row) for row in rows)
        if table.style != "gfmd summary table" and self.contract:
            self.warn("docx-style", f"a table in the style '{table.style_label or 'Normal Table'}'"
                      ", not 'GFMD Summary Table'; read as the closing table, its first row "
                      "as the headings", table.ordinal)
        columns = []
        for j in range(width):
            cell = header[j] if j < len(header) else []
            pieces = [p for para in cell for p in (*para.pieces, Piece(" "))]
            if table.style != "gfmd summary table":
                pieces = unbold(pieces)  # a shaded header row is often bold by hand
            pieces = [Piece(" ") if p.text == "\n" else p for p in pieces]
            ordinal = cell[0].ordinal if cell else table.ordinal
            heading = self.source(pieces, ordinal)
            items = _List()
            name = f"column '{short(plain(heading), 40)}'" if heading.strip() else \
                f"column {j + 1}"
            for r, row in enumerate(body, start=1):
                for para in row[j] if j < len(row) else []:
                    self.table_item(para, items, f"the cell of {name}, row {r}, of the "
                                                 "closing table")
            if not heading and items.items:
                self.warn("docx-table", f"column {j + 1} of the table has no heading",
                          ordinal)
            columns.append(Column(heading, tuple(i.freeze() for i in items.items),
                                  self.at(ordinal)))
        return SummaryTable(tuple(columns), self.at(table.ordinal))

    def table_item(self, para: Para, items: _List, where: str) -> None:
        if not para.text.strip() and not (self.keep_empty and
                                          para.has_style("gfmd table item")):
            return
        entry = self.classify(para)
        pieces, level = para.pieces, 0
        if entry.kind == "bullet":
            pieces = entry.pieces
            level = entry.level if not entry.typed else items.typed_level(para.indent)
        elif entry.kind in ("letter", "paragraph") and entry.typed:
            pieces = para.pieces  # a number typed in a cell is part of the item's text
        if entry.unnumbered:
            self._numbering_off(entry, 0)
        for source in self.lines(pieces, para.ordinal, where):
            items.add(_Item(source, self.at(para.ordinal)), level)

    def freeze(self, block: BodyBlock):
        items = tuple(i.freeze() for i in block.list.items)
        if block.kind == "table":
            return block.table
        if block.kind == "heading":
            return Heading(block.source, block.loc)
        if block.kind == "question":
            return Question(block.number, block.source, items, block.loc)
        return Paragraph(block.source, items, block.loc)
