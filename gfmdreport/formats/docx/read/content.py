"""A session summary from what a Word document shows: its paragraphs, styles, lists and
tables.

Each paragraph is first given a kind, from the strongest sign it carries:

1. a style of the house-style contract (``GFMD Numbered Paragraph``, ``GFMD Takeaway``,
   ``GFMD Question`` …, docs/docx.md), as in every document gfmdreport writes;
2. Word's built-in styles: *Title*, *Subtitle*, *Heading 1…9*, *List Number*, *List
   Bullet* (and their levels 2…5);
3. Word list numbering: a first-level decimal list is the numbered paragraphs, letters
   and roman numerals the lettered sub-items, bullets the takeaways;
4. typed labels, read as the text reader reads them (``1.``, ``a)``, ``•``,
   ``Question 2:``).

Then the kinds are put together as the text reader does: the lines before the first
paragraph give the title, session, date, time and venue; paragraphs take the lettered
items after them; questions take the bullets after them; the table is the closing table;
the chair and rapporteurs come from the sentences that name them. Whatever is guessed
with doubt becomes a warning located at the paragraph it concerns (line = the
paragraph's ordinal in the document, counting from 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gfmdreport.diagnostics import Diagnostic, InputError, Location, warning
from gfmdreport.formats.docx.read.document import Document, Para, Piece, Table
from gfmdreport.formats.docx.read.markup import normalize, squeeze, strip_prefix, to_source
from gfmdreport.model import (
    Column,
    Heading,
    Item,
    Paragraph,
    Person,
    Question,
    SessionSummary,
    SummaryTable,
)
from gfmdreport.recognize import people as people_mod
from gfmdreport.recognize.dates import parse_when
from gfmdreport.recognize.header import looks_like_prose, read_metadata, summary_fields
from gfmdreport.recognize.language import guess_language
from gfmdreport.recognize.lines import ROMAN, classify, looks_like_heading
from gfmdreport.recognize.tables import SUMMARY_TABLE_LABELS, known_heading
from gfmdreport.recognize.text import Line, Notes, collapse, short
from gfmdreport.recognize.times import close_up

CONTRACT_KINDS = {
    "gfmd title": "title",
    "gfmd session": "session",
    "gfmd session details": "details",
    "gfmd contents heading": "skip",
    "gfmd heading": "heading",
    "gfmd question": "question",
    "gfmd numbered paragraph": "paragraph",
    "gfmd lettered item": "letter",
    "gfmd takeaway": "bullet",
    "gfmd table heading": "text",
    "gfmd table item": "bullet",
    "gfmd table text": "text",
    "gfmd footer": "skip",
}
"""What each paragraph style of the contract (docs/docx.md) holds."""

_HEADING_STYLE = re.compile(r"^heading ([1-9])$")
_LIST_STYLE = re.compile(r"^list (number|bullet)(?: ([2-5]))?$")
_TOC_STYLE = re.compile(r"^(?:toc|contents) (?:[1-9]|heading)$|^index heading$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_BODY = {"paragraph", "question", "letter", "bullet", "table"}
_QUESTION_NUMBERING = re.compile(r"^\s*(?:guiding\s+)?(?:question|pregunta|q)\s*%\d", re.I)


@dataclass
class Entry:
    """A paragraph (or table) of the document with the kind the reader gave it."""

    kind: str
    """``title``, ``session``, ``details``, ``heading``, ``question``, ``paragraph``,
    ``letter``, ``bullet``, ``text``, ``table`` or ``skip``."""
    para: Para | None = None
    pieces: list[Piece] = field(default_factory=list)
    """The text after any typed label."""
    level: int = 0
    """List level: 0 for a top-level item."""
    number: int | None = None
    """A question's number; a typed paragraph number."""
    label: str = ""
    """A typed bullet glyph or letter."""
    typed: bool = False
    """The kind comes from a label typed in the text."""
    contract: bool = False
    """The kind comes from a style of the house-style contract."""
    table: Table | None = None
    stacked: SummaryTable | None = None
    """A closing table written as headings and lists (read already)."""

    @property
    def ordinal(self) -> int:
        if self.para is not None:
            return self.para.ordinal
        return self.table.ordinal if self.table is not None else 0

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


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
class _Block:
    kind: str
    loc: Location
    source: str = ""
    number: int = 0
    list: _List = field(default_factory=_List)
    table: SummaryTable | None = None
    bulleted: bool = False
    warned: bool = False


class ContentReader:
    """Reads a :class:`~.document.Document` into a session summary."""

    def __init__(self, document: Document, path: str | None, *, labels=None,
                 keep_empty: bool = False, people: bool = True,
                 refuse_others: bool = True):
        self.doc = document
        self.path = path
        self.notes = Notes(path)
        self.labels = labels
        """The summary's own labels (from an embedded model), to read question labels."""
        self.keep_empty = keep_empty
        self.find_people = people
        """Whether to find the chair and rapporteurs in the text (not when an embedded
        model names them)."""
        self.refuse_others = refuse_others
        """Whether to refuse a document that does not look like a session summary."""
        self.contract = any(name in document.style_names for name in CONTRACT_KINDS) and \
            any(self._uses_contract(b) for b in document.blocks)
        self.dropped_markup: list[int] = []
        self.details_text: str | None = None
        """The date-time-venue paragraph's text, lines joined with newlines."""

    # ---- diagnostics ---------------------------------------------------------------
    def at(self, ordinal: int | None) -> Location:
        return Location(self.path, ordinal) if ordinal else Location(self.path)

    def warn(self, rule: str, message: str, ordinal: int | None, hint: str | None = None):
        self.notes.found.append(warning(rule, message, self.at(ordinal), hint))

    @staticmethod
    def _uses_contract(block) -> bool:
        if isinstance(block, Table):
            return block.style == "gfmd summary table"
        return any(s in CONTRACT_KINDS for s in block.styles)

    # ---- step 1: kinds -------------------------------------------------------------
    def entries(self) -> list[Entry]:
        found = []
        for block in self.doc.blocks:
            if isinstance(block, Table):
                found.append(Entry("table", table=block))
            else:
                found.append(self.classify(block))
        return found

    def source(self, pieces: list[Piece], ordinal: int) -> str:
        text, dropped = to_source(pieces)
        if dropped:
            self.dropped_markup.append(ordinal)
        return text

    def classify(self, para: Para) -> Entry:
        text = para.text
        contract = next((CONTRACT_KINDS[s] for s in para.styles if s in CONTRACT_KINDS), None)
        if not text.strip() and not (contract and self.keep_empty and contract != "skip"):
            return Entry("skip", para)
        if contract is not None:
            return self._contract_entry(para, contract)
        if any(_TOC_STYLE.match(s) for s in para.styles):
            return Entry("skip", para)
        typed = self.typed(para)
        if para.has_style("title"):
            return Entry("title", para, para.pieces)
        if para.has_style("subtitle"):
            return Entry("session", para, para.pieces)
        if typed.kind == "question":
            typed.pieces = _unbold(typed.pieces)  # a bold heading's look, not emphasis
            return typed
        heading = next((s for s in para.styles if _HEADING_STYLE.match(s)), None)
        if heading or (para.outline is not None and para.numbering is None):
            return Entry("heading", para, _unbold(para.pieces))
        numbering = para.numbering
        listed = next((m for s in para.styles if (m := _LIST_STYLE.match(s))), None)
        if numbering is not None and _QUESTION_NUMBERING.search(numbering.text):
            # Questions numbered by Word: "Question %1:" is the list's own text.
            return Entry("question", para, _unbold(para.pieces), number=numbering.value)
        if listed and typed.kind == "text":
            # Word's "List Number 2" and the like are lists of their own, each starting
            # at its first level: the style's number says the depth.
            depth = int(listed.group(2) or 1) - 1 + min(para.own_level or 0, 8)
            if listed.group(1) == "bullet":
                return Entry("bullet", para, para.pieces, depth)
            if depth == 0:
                return Entry("paragraph", para, para.pieces)
            return Entry("letter", para, para.pieces, depth - 1)
        if numbering is not None:
            if numbering.bullet:
                return Entry("bullet", para, para.pieces, numbering.level)
            if numbering.decimal and numbering.level == 0:
                return Entry("paragraph", para, para.pieces)
            shift = 1 if numbering.first_format in ("decimal", "decimalZero") else 0
            return Entry("letter", para, para.pieces, max(0, numbering.level - shift))
        return typed

    def _contract_entry(self, para: Para, kind: str) -> Entry:
        level = para.numbering.level if para.numbering is not None else None
        if kind == "question":
            typed = self.typed(para, question_only=True)
            if typed.kind == "question":
                typed.contract = True
                return typed
            return Entry("question", para, para.pieces, contract=True)
        if kind == "letter":
            return Entry("letter", para, para.pieces, max(0, (level or 1) - 1), contract=True)
        if kind == "bullet":
            return Entry("bullet", para, para.pieces, level or 0, contract=True)
        return Entry(kind, para, para.pieces, contract=True)

    def typed(self, para: Para, question_only: bool = False) -> Entry:
        """The kind a label typed at the start of the text gives."""
        text = para.text.replace("\t", " ")
        lead = len(text) - len(text.lstrip())
        number = self._question_label(text.strip())
        if number is not None:
            found, offset = number
            return Entry("question", para, strip_prefix(para.pieces, lead + offset),
                         number=found, typed=True)
        if question_only:
            return Entry("text", para, para.pieces)
        start = classify(text.strip())
        pieces = strip_prefix(para.pieces, lead + start.offset)
        if start.kind == "question":
            return Entry("question", para, pieces, number=int(start.label), typed=True)
        if start.kind == "number":
            return Entry("paragraph", para, pieces, number=int(start.label), typed=True)
        if start.kind in ("letter", "bullet") and start.text:
            return Entry(start.kind, para, pieces, label=start.label, typed=True)
        return Entry("text", para, para.pieces)

    def _question_label(self, text: str) -> tuple[int, int] | None:
        """``(number, where the question's text starts)`` for "Question 2: …" in the
        summary's own wording of the label."""
        words = {"question", "pregunta"}
        if self.labels:
            words.add(self.labels.get("question", "question").lower())
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        m = re.match(rf"^(?:{pattern})\s*(\d{{1,3}})\s*[:.)–—-]\s*", text, re.I)
        if m:
            return int(m.group(1)), m.end()
        start = classify(text)
        if start.kind == "question":
            return int(start.label), start.offset
        return None

    # ---- step 2: the summary ---------------------------------------------------------
    def read(self) -> SessionSummary:
        entries = [e for e in self.entries() if e.kind != "skip"]
        if not entries:
            raise InputError.single("docx-empty", "the document has no text to read",
                                    Location(self.path), "check that this is the right file")
        if not self.contract and self.refuse_others:
            self._refuse_non_summary(entries)
        k = 0
        while k < len(entries) and not self._starts_body(entries[k]):
            k += 1
        meta = self.metadata(entries[:k])
        blocks = self.body(self.stack_tables(entries[k:]), meta.pop("extra"))
        chairs, rapporteurs = self.people(blocks, meta.pop("people"))
        for ordinal in self.dropped_markup:
            self.warn("docx-markup", "formatting here (bold, italic or a link) cannot be "
                      "written as Markdown as it stands; kept the text without it",
                      ordinal, "check the bold and italic around this paragraph's words")
        body = tuple(self.freeze(b) for b in blocks)
        text = " ".join(e.para.text for e in entries if e.para is not None)
        return SessionSummary(**summary_fields(meta, chairs, rapporteurs),
                              language=self.language(text), body=body, source=self.path,
                              diagnostics=self.diagnostics())

    def _refuse_non_summary(self, entries: list[Entry]) -> None:
        """A document with neither numbered paragraphs nor questions is not a session
        summary (a letter, an agenda, a chapter): refused, as the text reader does."""
        if any(e.kind in ("paragraph", "question") for e in entries):
            return
        lists = sum(e.kind in ("letter", "bullet") for e in entries)
        found = "no numbered paragraph and no 'Question N:' heading"
        if lists:
            found += f", only {lists} list item{'s' if lists > 1 else ''}"
        raise InputError.single(
            "docx-not-a-summary", f"this document does not look like a session summary: "
            f"it has {found}", self.at(entries[0].ordinal),
            "a summary has numbered paragraphs ('1. The session was chaired by …', or "
            "Word's numbered list) and 'Question 1: …' headings; for notes, use the "
            "Markdown or YAML format")

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        found = []
        for d in self.notes.found:
            # The text reader's findings, renamed and located at paragraphs (no columns).
            rule = "docx-" + d.rule[len("text-"):] if d.rule.startswith("text-") else d.rule
            found.append(Diagnostic(d.severity, rule, d.message, self.at(d.location.line),
                                    d.hint))
        return tuple(sorted(found, key=lambda d: d.sort_key))

    def language(self, text: str) -> str:
        tag = (self.doc.language or "").split("-")[0].lower()
        if self.contract and tag in ("en", "fr", "es"):
            return tag
        return guess_language(text)

    def _starts_body(self, entry: Entry) -> bool:
        if entry.kind in _BODY:
            return True
        if entry.kind == "heading" and entry.contract:
            return True
        return entry.kind == "text" and looks_like_prose(entry.text)

    # ---- the metadata ------------------------------------------------------------------
    def metadata(self, entries: list[Entry]) -> dict:
        meta: dict = {"locations": {}, "people": [], "extra": []}
        lines: list[Line] = []
        for entry in entries:
            text = squeeze(entry.text)
            where = self.at(entry.ordinal)
            if entry.kind in ("title", "session"):
                if entry.kind in meta:
                    meta[entry.kind] += " " + text
                else:
                    meta[entry.kind] = text
                    meta["locations"][entry.kind] = where
            elif entry.kind == "details":
                self.details(entry, meta)
            else:
                for piece in entry.text.split("\n"):
                    if piece.strip():
                        lines.append(Line(entry.ordinal, piece.strip()))
        if lines:
            found, notes = read_metadata(lines, self.path)
            self.notes.found.extend(notes)
            for key in ("title", "session", "date", "start", "end", "venue"):
                if key in found and key not in meta:
                    meta[key] = found[key]
                    loc_key = "time" if key in ("start", "end") else key
                    if loc_key in found["locations"]:
                        meta["locations"].setdefault(
                            loc_key, self.at(found["locations"][loc_key].line))
                elif key in found and key in ("title", "session"):
                    found["extra"].append((found[key], Line(
                        found["locations"][key].line or 0, found[key])))
            meta["people"] = found["people"]
            meta["extra"] = sorted(found["extra"], key=lambda t: t[1].number)
            self._venue_line(meta)
        return meta

    def _venue_line(self, meta: dict) -> None:
        """A short line right after the date line, when the date line named no venue,
        is the venue (typed documents often put it on a line of its own)."""
        date_at = meta["locations"].get("date")
        if "venue" in meta or date_at is None or not meta["extra"]:
            return
        text, line = meta["extra"][0]
        if line.number == (date_at.line or 0) + 1 and looks_like_heading(text) and \
                len(text.split()) <= 12:
            meta["venue"] = squeeze(text)
            meta["locations"]["venue"] = self.at(line.number)
            meta["extra"].pop(0)

    def details(self, entry: Entry, meta: dict) -> None:
        """The date, time and venue paragraph: "6 September 2017, 10:30-12:30", a line
        break, and the venue."""
        where = self.at(entry.ordinal)
        lines = [squeeze(line) for line in entry.text.split("\n") if line.strip()]
        self.details_text = "\n".join(lines)
        if not lines:
            return
        when = parse_when(close_up(lines[0]))
        venue = lines[1:]
        if when is None:
            venue = lines
            if _YEAR.search(lines[0]):
                self.warn("docx-date", f"no date could be read in the date line "
                          f"('{short(lines[0])}'); read it as the venue", entry.ordinal,
                          "write the date as in '6 September 2017, 10:30-12:30'")
        else:
            if when.date:
                meta["date"] = when.date
                meta["locations"]["date"] = where
            if when.doubt:
                self.warn("docx-date", when.doubt, entry.ordinal)
            if when.start:
                meta["start"], meta["end"] = when.start, when.end
                meta["locations"]["time"] = where
            if when.venue:
                venue = [when.venue, *venue]
        if venue:
            meta["venue"] = ", ".join(venue)
            meta["locations"]["venue"] = where

    # ---- the body ----------------------------------------------------------------------
    def body(self, entries: list[Entry], extra: list[tuple[str, Line]]) -> list[_Block]:
        blocks: list[_Block] = []
        numbered = any(e.kind == "paragraph" for e in entries)
        for text, line in extra:
            where = self.at(line.number)
            if looks_like_heading(text):
                blocks.append(_Block("heading", where, self._plain_source(text)))
                self.warn("docx-unplaced", f"a paragraph before the first numbered one is "
                          f"neither title, session nor date ('{short(text)}'); kept it as a "
                          "heading", line.number)
            else:
                blocks.append(_Block("paragraph", where, self._plain_source(text)))
                self.warn("docx-unplaced", f"text before the first numbered paragraph "
                          f"('{short(text)}') kept as a paragraph", line.number)
        context: _Block | None = None
        next_par = 1
        next_q = 1
        letters: dict[int, str] = {}
        for k, entry in enumerate(entries):
            where = self.at(entry.ordinal)
            kind = entry.kind
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
                blocks.append(_Block("table", where, table=table))
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
                context = _Block("question", where, self.source(entry.pieces, entry.ordinal),
                                 number=number)
                blocks.append(context)
                next_q = number + 1
            elif kind == "heading":
                if self._table_label(entry, entries, k):
                    continue
                blocks.append(_Block("heading", where, self.source(entry.pieces,
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
                context = _Block("paragraph", where, self.source(entry.pieces, entry.ordinal))
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
                    blocks.append(_Block("heading", where, self.source(
                        _unbold(entry.pieces), entry.ordinal)))
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
                    context = _Block("paragraph", where, self.source(entry.pieces,
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
            built.append(Column(self.source(_unbold(heading.pieces), heading.ordinal),
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

    def list_item(self, entry: Entry, context: _Block | None, blocks: list[_Block],
                  letters: dict[int, str]) -> _Block:
        where = self.at(entry.ordinal)
        source = self.source(entry.pieces, entry.ordinal)
        if context is None:
            self.warn("docx-unplaced", f"a list item outside any paragraph or question "
                      f"('{short(entry.text)}'); kept as a paragraph", entry.ordinal)
            block = _Block("paragraph", where, source)
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
        return context

    @staticmethod
    def _letter_level(label: str, letters: dict[int, str], context: _Block) -> int:
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
                pieces = _unbold(pieces)  # a shaded header row is often bold by hand
            ordinal = cell[0].ordinal if cell else table.ordinal
            items = _List()
            for row in body:
                for para in row[j] if j < len(row) else []:
                    self.table_item(para, items)
            heading = self.source(pieces, ordinal)
            if not heading and items.items:
                self.warn("docx-table", f"column {j + 1} of the table has no heading",
                          ordinal)
            columns.append(Column(heading, tuple(i.freeze() for i in items.items),
                                  self.at(ordinal)))
        return SummaryTable(tuple(columns), self.at(table.ordinal))

    def table_item(self, para: Para, items: _List) -> None:
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
        items.add(_Item(self.source(pieces, para.ordinal), self.at(para.ordinal)), level)

    def freeze(self, block: _Block):
        items = tuple(i.freeze() for i in block.list.items)
        if block.kind == "table":
            return block.table
        if block.kind == "heading":
            return Heading(block.source, block.loc)
        if block.kind == "question":
            return Question(block.number, block.source, items, block.loc)
        return Paragraph(block.source, items, block.loc)

    # ---- people ------------------------------------------------------------------------
    def people(self, blocks: list[_Block], labels: list[tuple[str, Line]]
               ) -> tuple[tuple[Person, ...], tuple[Person, ...]]:
        if not self.find_people:
            return (), ()
        found = []
        for text, line in labels:
            found += people_mod.find_people(text, lambda _o, n=line.number: self.at(n),
                                            label_line=True)
        for block in blocks:
            if block.kind == "paragraph":
                found += find_people(block.source, block.loc)
        return people_mod.collect(found, self.notes)


def find_people(source: str, where: Location) -> list:
    """The people a paragraph's sentences name (as the text reader finds them)."""
    from gfmdreport.inline import plain

    text = re.sub(r"\s", " ", plain(source))
    return people_mod.find_people(text, lambda _offset: where)


def _unbold(pieces: list[Piece]) -> list[Piece]:
    """A heading's text without the bold that covers all of it (the heading's look, not
    emphasis)."""
    shown = [p for p in normalize(pieces) if p.text.strip()]
    if shown and all(p.bold for p in shown):
        return [Piece(p.text, False, p.italic, p.code, p.href) for p in pieces]
    return pieces


def read_content(document: Document, path: str | None, *, labels=None,
                 keep_empty: bool = False, people: bool = True, refuse_others: bool = True
                 ) -> tuple[SessionSummary, ContentReader]:
    """The summary a document's content shows, and the reader (what it noticed)."""
    reader = ContentReader(document, path, labels=labels, keep_empty=keep_empty,
                           people=people, refuse_others=refuse_others)
    return reader.read(), reader
