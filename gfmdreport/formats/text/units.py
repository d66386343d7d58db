"""Step 2 of reading a legacy text: lines grouped into *units*, each a numbered
paragraph, a lettered sub-item, a bullet, a question heading, a table or a run of plain
text, with its hard-wrapped continuation lines joined (words hyphenated across lines
re-joined)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from gfmdreport.model import SummaryTable
from gfmdreport.recognize.hyphens import Vocabulary
from gfmdreport.recognize.hyphens import join_hyphenated
from gfmdreport.recognize.lines import ROMAN
from gfmdreport.recognize.lines import Start
from gfmdreport.recognize.lines import classify
from gfmdreport.recognize.lines import ends_sentence
from gfmdreport.recognize.lines import looks_like_heading
from gfmdreport.recognize.tables import MakeItem
from gfmdreport.recognize.tables import TableReader
from gfmdreport.recognize.tables import column_header
from gfmdreport.recognize.tables import stacked_heading
from gfmdreport.recognize.tables import tab_header
from gfmdreport.recognize.text import Joined
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import short


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


class UnitReader:
    """Groups a text's lines into units."""

    def __init__(self, path: str | None, notes: Notes, vocab: Vocabulary,
                 item: MakeItem):
        self.path = path
        self.notes = notes
        self.vocab = vocab
        self.tables = TableReader(notes, vocab, item)
        self.width = float("inf")

    def read(self, lines: list[Line]) -> list[Unit]:
        """The units of the lines, in order."""
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


def _wrap_width(lines: list[Line]) -> float:
    """The width of a full line of wrapped text: a line shorter than most of this
    ends a paragraph."""
    widths = sorted(ln.right for k, ln in enumerate(lines[:-1])
                    if 30 <= ln.right <= 200 and not lines[k + 1].blank_before and
                    not lines[k + 1].break_before and classify(lines[k + 1].text).kind == "text")
    if len(widths) < 3:
        return float("inf")
    return widths[int(len(widths) * 0.9) - 1 if len(widths) >= 10 else len(widths) // 2]
