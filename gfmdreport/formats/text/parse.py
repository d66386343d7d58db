"""Extracted text → :class:`~gfmdreport.model.SessionSummary`.

The text goes through four steps:

1. page furniture is taken out (:mod:`.pages`);
2. lines are grouped into *units*: a numbered paragraph, a lettered sub-item, a
   bullet, a question heading, a table or a run of plain text, each with its
   hard-wrapped continuation lines joined (words hyphenated across lines re-joined);
3. the units before the first paragraph give the title, session, date, time and venue
   (:mod:`gfmdreport.recognize.header`); the others become the body: paragraphs with
   their sub-lists, headings, questions with their takeaways (nested by indentation
   and bullet glyph) and the closing table;
4. the chair and rapporteurs are read from the sentences that name them.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from gfmdreport.diagnostics import InputError, Location
from gfmdreport.model import Block, Heading, Item, Paragraph, Question, SessionSummary, SummaryTable
from gfmdreport.recognize import people as people_mod
from gfmdreport.recognize.header import looks_like_prose, read_header, summary_fields
from gfmdreport.recognize.hyphens import Vocabulary, join_hyphenated, restore_hyphens
from gfmdreport.recognize.language import guess_language
from gfmdreport.recognize.lines import (
    ROMAN,
    Start,
    classify,
    ends_sentence,
    looks_like_heading,
    strong_glyph,
)
from gfmdreport.recognize.pages import strip_furniture
from gfmdreport.recognize.tables import (
    SUMMARY_TABLE_LABELS,
    TableReader,
    column_header,
    stacked_heading,
    tab_header,
)
from gfmdreport.recognize.text import Joined, Line, Notes, collapse, short, strip_markup, to_inline
from gfmdreport.recognize.times import TIME_OF_DAY

RULE_NOT_SUMMARY = "text-not-a-summary"


@dataclass
class Unit:
    """A numbered paragraph, sub-item, bullet, question heading or run of text, with
    its continuation lines."""

    kind: str
    start: Start
    first: Line
    text: Joined
    lines: list[Line] = field(default_factory=list)
    table: SummaryTable | None = None
    placed: bool = False
    """Already reported: text a damaged table left over, kept as a paragraph."""

    @property
    def indent(self) -> int:
        return self.first.indent

    @property
    def label(self) -> str:
        return self.start.label

    @property
    def last(self) -> Line:
        return self.lines[-1]

    def words(self) -> int:
        return len(self.text.text.split())


@dataclass
class _Item:
    text: Joined
    loc: Location
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Block:
    kind: str
    loc: Location
    text: Joined | None = None
    number: int = 0
    items: list[_Item] = field(default_factory=list)
    table: SummaryTable | None = None
    stack: list[tuple[int, str, _Item, str]] = field(default_factory=list)
    bulleted: bool = False
    warned: bool = False


def read_text(source: str, path: str | None = None) -> SessionSummary:
    """Read a session summary from text extracted from a PDF (or typed as plain text)."""
    return _Reader(source.replace("\r\n", "\n").replace("\r", "\n"), path).read()


class _Reader:
    def __init__(self, source: str, path: str | None):
        self.source = source
        self.path = path
        self.notes = Notes(path)
        self.vocab = Vocabulary(source)
        self.tables = TableReader(self.notes, self.vocab, self.item)

    # ---- step 2: units ---------------------------------------------------------------
    def units(self, lines: list[Line]) -> list[Unit]:
        self.width = _wrap_width(lines)
        units: list[Unit] = []
        cur: Unit | None = None
        last_number = 0
        last_letter = ""
        i = 0
        while i < len(lines):
            line = lines[i]
            after = lines[i + 1] if i + 1 < len(lines) else None
            table = self._table(lines, i, cur)
            if table is not None:
                found, i = table
                units.append(Unit("table", Start("table"), line, Joined(self.path), [line],
                                  found))
                for text, where in self.tables.unplaced:
                    joined = Joined(self.path)
                    joined.add(text, where.line or 0, where.column or 1)
                    units.append(Unit("text", Start("text", text=text),
                                      Line(where.line or 0, text), joined, [line],
                                      placed=True))
                self.tables.unplaced.clear()
                cur = None
                continue
            start = classify(line.text)
            kind = start.kind
            if kind == "bullet" and start.label == "o" and cur is not None and \
                    not line.blank_before and cur.kind != "bullet" and \
                    not ends_sentence(cur.last.text):
                kind = "text"  # "o" starting a wrapped line ("… o algo"), not a bullet
            if kind == "number":
                n = int(start.label)
                plausible = n == last_number + 1 or n == 1 or cur is None or \
                    line.blank_before or line.break_before or ends_sentence(cur.last.text)
                if not plausible:
                    kind = "text"
            if kind == "letter":
                label = start.label
                expected = chr(ord(last_letter) + 1) if last_letter else "a"
                plausible = label in (expected, "a") or line.text.startswith("(") or (
                    label in ROMAN and last_letter != "") or cur is None or \
                    line.blank_before or ends_sentence(cur.last.text)
                if not plausible:
                    kind = "text"
            if kind != "text" and not start.text and after is not None and \
                    classify(after.text).kind == "text":
                # The marker stands alone on its line; its text is on the next one.
                start = Start(kind, start.label, after.text, 0)
                cur = self._new(units, kind, start, line, after)
                i += 2
                if kind == "number":
                    last_number, last_letter = int(start.label), ""
                elif kind == "letter" and len(start.label) == 1:
                    last_letter = start.label
                continue
            if kind == "text":
                if cur is not None and self._continues(cur, line):
                    self._append(cur, line)
                    i += 1
                    continue
                cur = self._new(units, "text", start, line)
            else:
                cur = self._new(units, kind, start, line)
                if kind in ("number", "question"):
                    last_letter = ""
                if kind == "number":
                    last_number = int(start.label)
                elif kind == "letter" and len(start.label) == 1 and \
                        not (start.label in ROMAN and last_letter and
                             start.label != chr(ord(last_letter) + 1)):
                    last_letter = start.label
            i += 1
        return units

    def _table(self, lines: list[Line], i: int,
               cur: Unit | None) -> tuple[SummaryTable, int] | None:
        line = lines[i]
        after = lines[i + 1] if i + 1 < len(lines) else None
        if tab_header(line, after):
            return self.tables.read_tabs(lines, i)
        if "  " in line.raw.strip() or line.indent:
            header = column_header(lines, i)
            if header is not None:
                return self.tables.read_columns(lines, i, header)
        at_start = cur is None or line.blank_before or line.break_before or \
            ends_sentence(cur.last.text)
        if at_start and stacked_heading(lines, i) is not None:
            return self.tables.read_stacked(lines, i)
        return None

    def _new(self, units: list[Unit], kind: str, start: Start, line: Line,
             text_line: Line | None = None) -> Unit:
        joined = Joined(self.path)
        source_line = text_line or line
        offset = source_line.text.find(start.text) if text_line else start.offset
        joined.add(start.text, source_line.number, source_line.column + max(offset, 0))
        unit = Unit(kind, start, line, joined, [line] + ([text_line] if text_line else []))
        units.append(unit)
        return unit

    def _continues(self, cur: Unit, line: Line) -> bool:
        """Whether a plain-text line continues the unit before it."""
        if cur.kind == "table":
            return False
        prev = cur.last.text
        text = line.text
        first = text[:1]
        if not line.blank_before and not line.break_before:
            widest = max(ln.right for ln in cur.lines)
            short_line = cur.last.right < 0.8 * self.width or (
                len(cur.lines) > 1 and cur.last.right <= widest - 10)
            if ends_sentence(prev) and short_line and \
                    (first.isupper() or first.isdigit() or first in "\"“(«"):
                return False  # the line before ended short: a new paragraph starts
            # A heading, then the text under it, stops; anything else goes on.
            return not (cur.kind == "text" and len(cur.lines) == 1 and looks_like_heading(prev)
                        and first.isupper() and cur.last.right < 0.8 * self.width)
        if ends_sentence(prev) or (cur.kind == "text" and len(cur.lines) == 1 and
                                   looks_like_heading(prev)):
            return False
        if cur.kind == "text" and not line.break_before and not first.islower():
            return False  # a block of plain text, then another after a blank line
        # The text before stopped mid-sentence: a page break or the extraction's blank
        # lines cut it. Lower case goes on for sure; upper case, likely.
        if not line.break_before and not first.islower():
            self.notes.warn("text-joined", "text after a blank line was joined to the "
                            f"unfinished sentence before it ('{short(text, 40)}')",
                            self.notes.at(line), "check that it belongs there")
        return True

    def _append(self, unit: Unit, line: Line) -> None:
        unit.lines.append(line)
        joined = unit.text
        text = line.text
        if joined.text.endswith(("-", "‐")):
            result = join_hyphenated(joined.text, text, self.vocab)
            if result is not None:
                merged, doubtful = result
                if doubtful:
                    left = re.split(r"\s", joined.text)[-1]
                    right = text.split()[0] if text.split() else text
                    self.notes.warn("text-hyphenation",
                                    f"joined '{left}' and '{right}' across lines as one "
                                    f"word", self.notes.at(line),
                                    "put the hyphen back if the word is a compound")
                keep = len(merged) - len(text)
                joined.trim_end(len(joined.text) - keep)
                joined.add(text, line.number, line.column, sep="")
                return
        if joined.text.endswith("\u00ad"):
            joined.trim_end(1)
            joined.add(text, line.number, line.column, sep="")
            return
        joined.add(text, line.number, line.column)

    # ---- text → model pieces -----------------------------------------------------------
    def inline(self, joined: Joined) -> str:
        text, repairs = restore_hyphens(collapse(joined.text), self.vocab)
        for old, new in repairs:
            self.notes.warn("text-hyphenation", f"wrote '{old}' as '{new}', as the text "
                            "spells it elsewhere (the text extraction dropped a hyphen at a "
                            "line end)", joined.locate(0))
        source, gave_up = to_inline(text)
        if gave_up:
            self.notes.warn("text-markup", "asterisks or underscores here do not pair up as "
                            "bold or italic; kept them as characters",
                            joined.locate(0), "write **bold** or *italic* around whole words")
        return source

    def item(self, text: str, where: Location) -> Item:
        joined = Joined(self.path)
        joined.add(text, where.line or 0, where.column or 1)
        return Item(self.inline(joined), (), where)

    # ---- the whole document ---------------------------------------------------------
    def read(self) -> SessionSummary:
        lines = strip_furniture(self.source, self.notes)
        if not lines:
            raise InputError.single(RULE_NOT_SUMMARY, "the text holds nothing but page "
                                    "numbers and headers", Location(self.path, 1, 1))
        units = self.units(lines)
        self._refuse_non_summary(units, lines)
        k = 0
        while k < len(units) and units[k].kind == "text" and not units[k].placed and \
                not looks_like_prose(units[k].lines[0].text):
            k += 1
        meta = read_header((line for unit in units[:k] for line in unit.lines), self.notes,
                           self.vocab)
        blocks = self.body(units[k:], extra=meta.pop("extra"))
        chairs, rapporteurs = self.people(blocks, meta.pop("people"))
        return SessionSummary(
            **summary_fields(meta, chairs, rapporteurs), language=guess_language(self.source),
            body=tuple(self.freeze(b) for b in blocks), source=self.path,
            diagnostics=tuple(sorted(self.notes.found, key=lambda d: d.sort_key)))

    # ---- refusing what is not a summary ------------------------------------------------
    def _refuse_non_summary(self, units: list[Unit], lines: list[Line]) -> None:
        numbered = [u for u in units if u.kind == "number"]
        prose = [u for u in numbered if u.words() >= 8 and ends_sentence(u.text.text)]
        questions = [u for u in units if u.kind == "question"]
        timed = [ln for ln in lines if TIME_OF_DAY.match(ln.text)]
        where = Location(self.path, lines[0].number, lines[0].column)
        hint = ("the text reader reads session summaries as a PDF-to-text tool gives them: "
                "a title, numbered paragraphs ('1. The session was chaired by …') and "
                "'Question 1: …' headings; for notes, use the Markdown or YAML format")
        if len(timed) >= 3 and len(timed) * 3 >= len(lines):
            raise InputError.single(
                RULE_NOT_SUMMARY, f"this looks like an agenda, not a session summary: "
                f"{len(timed)} of its {len(lines)} lines start with a time of day "
                f"('{short(timed[0].text, 40)}')", where, hint)
        if prose or questions:
            return
        found = []
        if numbered:
            found.append(f"its {len(numbered)} numbered lines are short headings, not "
                         "paragraphs")
        else:
            found.append("it has no numbered paragraph")
        found.append("no 'Question N:' heading")
        text_units = [u for u in units if u.kind == "text"]
        if text_units and not numbered:
            found.append(f"{len(text_units)} blocks of unnumbered text")
        raise InputError.single(
            RULE_NOT_SUMMARY, "this text does not look like a session summary: "
            + ", ".join(found), where, hint)

    # ---- step 3b: the body -------------------------------------------------------------
    def body(self, units: list[Unit], extra: list[tuple[str, Line]]) -> list[_Block]:
        blocks: list[_Block] = []
        numbered = any(u.kind == "number" for u in units)
        for text, line in extra:
            joined = Joined(self.path)
            joined.add(text, line.number, line.column)
            if looks_like_heading(text):
                blocks.append(_Block("heading", self.notes.at(line), joined))
                self.notes.warn("text-unplaced", f"a line before the first paragraph is "
                                f"neither title, session nor date ('{short(text)}'); kept it "
                                "as a heading", self.notes.at(line))
            else:
                blocks.append(_Block("paragraph", self.notes.at(line), joined))
                self.notes.warn("text-unplaced", f"text before the first paragraph "
                                f"('{short(text)}') kept as a paragraph", self.notes.at(line))
        context: _Block | None = None
        next_par = 1
        next_q = 1
        for k, unit in enumerate(units):
            where = self.notes.at(unit.first)
            if unit.kind == "table":
                blocks.append(_Block("table", where, table=unit.table))
                context = None
            elif unit.kind == "question":
                n = int(unit.label)
                if n != next_q:
                    self.notes.warn("text-numbering", f"question numbered {n} where {next_q} "
                                    "was expected", where)
                context = _Block("question", where, unit.text, number=n)
                blocks.append(context)
                next_q = n + 1
            elif unit.kind == "number" and not (
                    context is not None and context.kind == "question" and
                    unit.label == "1" and next_par != 1):
                n = int(unit.label)
                if n != next_par:
                    self.notes.warn("text-numbering", f"paragraph numbered {n} where "
                                    f"{next_par} was expected; paragraphs are numbered in "
                                    "order", where, "check for a missing or repeated paragraph")
                context = _Block("paragraph", where, unit.text, number=n)
                blocks.append(context)
                next_par = n + 1
            elif unit.kind in ("letter", "bullet", "number"):
                if context is None:
                    self.notes.warn("text-unplaced", f"a list item outside any paragraph or "
                                    f"question ('{short(unit.text.text)}'); kept as a paragraph",
                                    where)
                    context = _Block("paragraph", where, unit.text)
                    blocks.append(context)
                    continue
                if context.kind == "paragraph" and unit.kind == "bullet" and \
                        not context.warned:
                    context.warned = True
                    self.notes.warn("text-list", "a bulleted list under a numbered paragraph "
                                    "is kept as its sub-list, which is lettered a), b), c)",
                                    where)
                if context.kind == "question" and unit.kind == "number" and \
                        not context.warned:
                    context.warned = True
                    self.notes.warn("text-list", "the takeaways of this question are "
                                    "numbered; they are kept as bullet points", where)
                if context.kind == "question":
                    context.bulleted = True
                glyph = {"letter": "roman" if _roman(unit, context) else "letter",
                         "number": "number"}.get(unit.kind, unit.label)
                if unit.kind == "bullet" and strong_glyph(unit.label):
                    glyph = "•" if unit.label in "•●\uf0b7·" else unit.label
                self._nest(context, _Item(unit.text, where), unit.indent, glyph,
                           unit.label if glyph == "letter" else "")
            elif unit.kind == "text":
                nxt = units[k + 1] if k + 1 < len(units) else None
                if len(unit.lines) <= 2 and looks_like_heading(unit.text.text):
                    if nxt is not None and nxt.kind == "table" and \
                            collapse(unit.text.text).lower() in SUMMARY_TABLE_LABELS:
                        continue  # "Summary table": the writers print that label
                    blocks.append(_Block("heading", where, unit.text))
                    context = None
                elif context is not None and context.kind == "question":
                    if context.bulleted:
                        self.notes.warn("text-unplaced", "a paragraph without a bullet among "
                                        "the takeaways is kept as a takeaway", where)
                    context.items.append(_Item(unit.text, where))
                    context.stack = []
                else:
                    if numbered and not unit.placed:
                        self.notes.warn("text-unplaced", "a paragraph without a number is "
                                        "kept as a numbered paragraph (numbers follow it)",
                                        where, "check the paragraph numbering")
                    context = _Block("paragraph", where, unit.text)
                    blocks.append(context)
        return blocks

    @staticmethod
    def _nest(block: _Block, item: _Item, indent: int, glyph: str, label: str = "") -> None:
        """Place a list item by its indentation and glyph: the same glyph at the same
        indentation (give or take two columns: pages of a layout extraction shift) is a
        sibling; a deeper one, or a new glyph, a child. A letter that follows the one
        of an open lettered item is its sibling wherever it stands."""
        stack = block.stack
        for k in range(len(stack) - 1, -1, -1):
            same = abs(stack[k][0] - indent) <= 2 and stack[k][1] == glyph
            follows = glyph == "letter" and stack[k][1] == "letter" and label and \
                stack[k][3] and ord(label[0]) == ord(stack[k][3][0]) + 1
            if same or follows:
                del stack[k:]
                break
        else:
            popped = False
            while stack and indent < stack[-1][0] - 2:
                stack.pop()
                popped = True
            if popped and stack and abs(indent - stack[-1][0]) <= 2:
                stack.pop()
        parent = stack[-1][2].items if stack else block.items
        parent.append(item)
        stack.append((indent, glyph, item, label))

    def freeze(self, block: _Block) -> Block:
        def items(found: list[_Item]) -> tuple[Item, ...]:
            return tuple(Item(self.inline(i.text), items(i.items), i.loc) for i in found)

        if block.kind == "table":
            assert block.table is not None
            return block.table
        assert block.text is not None
        if block.kind == "heading":
            return Heading(self.inline(block.text), block.loc)
        if block.kind == "question":
            return Question(block.number, self.inline(block.text), items(block.items),
                            block.loc)
        return Paragraph(self.inline(block.text), items(block.items), block.loc)

    # ---- step 4: people --------------------------------------------------------------
    def people(self, blocks: list[_Block], labels: list[tuple[str, Line]]):
        found = []
        for text, line in labels:
            joined = Joined(self.path)
            joined.add(text, line.number, line.column)
            found += people_mod.find_people(text, joined.locate, label_line=True)
        for block in blocks:
            if block.kind != "paragraph" or block.text is None:
                continue
            joined = block.text
            text = _blank_markup(collapse_keep(joined.text))
            found += people_mod.find_people(text, joined.locate)
        return people_mod.collect(found, self.notes)


# ---- helpers ---------------------------------------------------------------------------

def collapse_keep(text: str) -> str:
    """White space as single spaces, keeping every offset (tabs and the like become
    spaces; nothing is removed)."""
    return re.sub(r"\s", " ", text)


def _blank_markup(text: str) -> str:
    """The text with the delimiters of bold and italic spans turned into spaces, so
    that offsets still point into the source."""
    plain = strip_markup(text)
    if plain == text:
        return text
    out = []
    j = 0
    for ch in text:
        if j < len(plain) and ch == plain[j]:
            out.append(ch)
            j += 1
        else:
            out.append(" ")
    return "".join(out)


def _wrap_width(lines: list[Line]) -> float:
    """The width of a full line of wrapped text: a line shorter than most of this
    ends a paragraph."""
    widths = sorted(ln.right for k, ln in enumerate(lines[:-1])
                    if 30 <= ln.right <= 200 and not lines[k + 1].blank_before and
                    not lines[k + 1].break_before and classify(lines[k + 1].text).kind == "text")
    if len(widths) < 3:
        return float("inf")
    return widths[int(len(widths) * 0.9) - 1 if len(widths) >= 10 else len(widths) // 2]


def _roman(unit: Unit, context: _Block) -> bool:
    """A lettered label that is a roman numeral under a lettered item ("i)" after "b)",
    but "i)" after "h)" is a letter)."""
    label = unit.label
    if label not in ROMAN or not any(g == "letter" for _i, g, _it, _lb in context.stack):
        return False
    count = len(context.items)
    expected = string.ascii_lowercase[count] if count < 26 else ""
    return len(label) > 1 or label != expected
