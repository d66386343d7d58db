"""The closing table (Points of Convergence | Practical Recommendations | Challenges),
as text extraction leaves it:

- *tab-separated*: a heading row and rows whose cells are separated by tabs;
- *aligned in columns* with spaces (``pdftotext -layout``), headings possibly wrapped
  over two or three lines;
- *stacked*: each heading on its own line with its column's items under it (what
  ``pdftotext`` gives in reading order, and how a table is often typed by hand).

Text extraction damages tables more than anything else: cells lose their line breaks,
so that a cell's items run together, or lose their text altogether. What can be
recovered is kept; what looks damaged is reported with the line it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

from gfmdreport.diagnostics import Location
from gfmdreport.labels import LABELS
from gfmdreport.labels import TABLE_HEADING_KEYS
from gfmdreport.model import Column
from gfmdreport.model import Item
from gfmdreport.model import SummaryTable
from gfmdreport.recognize.hyphens import Vocabulary
from gfmdreport.recognize.hyphens import join_hyphenated
from gfmdreport.recognize.lazy import lazy
from gfmdreport.recognize.lines import classify
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import collapse
from gfmdreport.recognize.text import short

_HEADING_WORDS = lazy(
    r"convergen|recommend|recommand|recomend|challenge|défi|defi|desaf|issues|"
    r"cuestiones", re.I)
_ITEM_BREAK = lazy(r"\s{2,}|\s*[•●▪■◆►\uf000-\uf0ff]\s*")

KNOWN_HEADINGS = tuple(LABELS[lang][key] for lang in LABELS for key in TABLE_HEADING_KEYS)
_KNOWN = {collapse(h).lower(): h for h in KNOWN_HEADINGS}
SUMMARY_TABLE_LABELS = {LABELS[lang]["summary_table"].lower() for lang in LABELS}

MakeItem = Callable[[str, Location], Item]


def _norm(text: str) -> str:
    return collapse(text).lower()


def known_heading(cell: str) -> bool:
    """The text reads like a column heading of the closing table."""
    return bool(_HEADING_WORDS.search(cell))


def _cells(raw: str) -> list[tuple[int, str]]:
    """``(start, text)`` of each run of text separated by two or more spaces."""
    raw = raw.expandtabs(8)
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", raw)]


def tab_header(line: Line, after: Line | None) -> bool:
    """The line is the heading row of a tab-separated table."""
    if "\t" not in line.raw.strip():
        return False
    cells = [c.strip() for c in line.raw.split("\t") if c.strip()]
    if len(cells) < 2 or any(len(c) > 80 for c in cells):
        return False
    return any(known_heading(c) for c in cells) or (after is not None and "\t" in after.raw)


def stacked_heading(lines: list[Line], i: int) -> tuple[str, int] | None:
    """A table heading standing alone on line ``i`` (or wrapped onto the next line):
    ``(heading, lines used)``."""
    text = _norm(lines[i].text)
    if text in _KNOWN:
        return collapse(lines[i].text), 1
    if i + 1 < len(lines) and not lines[i + 1].blank_before and len(text) < 40:
        both = f"{lines[i].text} {lines[i + 1].text}"
        if _norm(both) in _KNOWN:
            return collapse(both), 2
    return None


@dataclass
class _Chunk:
    row: int
    start: int
    end: int
    text: str
    line: Line


def _chunks(lines: list[Line]) -> list[_Chunk]:
    return [_Chunk(k, s, s + len(t), t, ln) for k, ln in enumerate(lines) for s, t in
            _cells(ln.raw)]


def _clusters(chunks: list[_Chunk]) -> list[list[_Chunk]]:
    """Chunks grouped into columns by horizontal overlap, left to right."""
    groups: list[tuple[int, int, list[_Chunk]]] = []
    for chunk in sorted(chunks, key=lambda c: c.start):
        for k, (a, b, members) in enumerate(groups):
            if chunk.start <= b + 1 and chunk.end >= a - 1:
                members.append(chunk)
                groups[k] = (min(a, chunk.start), max(b, chunk.end), members)
                break
        else:
            groups.append((chunk.start, chunk.end, [chunk]))
    return [sorted(m, key=lambda c: (c.row, c.start)) for _a, _b, m in
            sorted(groups, key=lambda g: g[0])]


def column_header(lines: list[Line], i: int) -> tuple[list[tuple[str, int, Line]], int] | None:
    """The heading row of a table aligned with spaces, on one to three lines from ``i``:
    ``([(heading, start column, line)], lines used)``."""
    best = None
    best_complete = 0
    for size in (1, 2, 3):
        window = lines[i:i + size]
        if len(window) < size or any(ln.blank_before for ln in window[1:]):
            break
        chunks = _chunks(window)
        if any(classify(c.text).kind == "bullet" for c in chunks) or \
                any(len(c.text) > 60 for c in chunks):
            break
        groups = _clusters(chunks)
        if len(groups) < 2:
            continue
        headings = [(" ".join(c.text for c in g), min(c.start for c in g), g[0].line)
                    for g in groups]
        complete = sum(_norm(h) in _KNOWN for h, _s, _ln in headings)
        if size == 1 and complete < 2:
            loose = sum(known_heading(h) and h[:1].isupper() for h, _s, _ln in headings)
            if loose >= 2 and not re.search(r"[.,;]$", window[0].text):
                complete = max(complete, 1)
                if best is None:
                    best, best_complete = (headings, size), 1
            continue
        if complete >= 2 and complete > best_complete:
            best, best_complete = (headings, size), complete
    return best


def _columns(chunks: list[_Chunk], header_starts: list[int]) -> list[list[_Chunk]]:
    """The chunks of a table's rows shared out among its columns.

    Columns are found in the rows themselves, since a page of a layout extraction may be
    shifted against the page that holds the headings: runs of text that overlap
    horizontally make a column; failing that, the bullets that start the items stand
    one column apart; failing that, the columns nearest to each other are merged; and
    failing everything, the headings' positions decide.
    """
    n = len(header_starts)
    groups = _clusters(chunks)
    if len(groups) == n:
        return groups
    bullets: list[int] = []
    for start in sorted(c.start for c in chunks if classify(c.text).kind == "bullet"):
        if not bullets or start - bullets[-1] > 2:
            bullets.append(start)
    starts = bullets if len(bullets) == n else None
    if starts is None and len(groups) > n:
        spans = [(min(c.start for c in g), max(c.end for c in g)) for g in groups]
        while len(spans) > n:
            gaps = [spans[k + 1][0] - spans[k][1] for k in range(len(spans) - 1)]
            k = gaps.index(min(gaps))
            spans[k:k + 2] = [(spans[k][0], spans[k + 1][1])]
        starts = [a for a, _b in spans]
    starts = starts or header_starts
    out: list[list[_Chunk]] = [[] for _s in starts]
    for chunk in chunks:
        k = 0
        for m, start in enumerate(starts):
            if chunk.start + 2 >= start:
                k = m
        out[k].append(chunk)
    return [sorted(g, key=lambda c: (c.row, c.start)) for g in out]


@dataclass
class _Col:
    heading: str
    start: int
    loc: Location
    items: list[tuple[str, Location]] = field(default_factory=list)
    bulleted: bool = False


class TableReader:
    def __init__(self, notes: Notes, vocab: Vocabulary, make_item: MakeItem):
        self.notes = notes
        self.vocab = vocab
        self.make_item = make_item
        self.unplaced: list[tuple[str, Location]] = []
        """Text under a table that could not be given a column (kept as paragraphs)."""

    def _loc(self, line: Line, column: int) -> Location:
        return Location(self.notes.path, line.number, column)

    # ---- tab-separated ---------------------------------------------------------------
    def read_tabs(self, lines: list[Line], i: int) -> tuple[SummaryTable, int]:
        head = lines[i]
        cols = []
        pos = 0
        for part in head.raw.split("\t"):
            if part.strip():
                col = pos + len(part) - len(part.lstrip()) + 1
                cols.append(_Col(collapse(part), 0, self._loc(head, col)))
            pos += len(part) + 1
        j = i + 1
        rows = []
        while j < len(lines) and "\t" in lines[j].raw.strip(" "):
            rows.append(lines[j])
            j += 1
        for row in rows:
            parts = row.raw.split("\t")
            starts, pos = [], 0
            for part in parts:
                starts.append(pos)
                pos += len(part) + 1
            while len(parts) > len(cols) and not parts[-1].strip():
                parts, starts = parts[:-1], starts[:-1]
            while len(parts) > len(cols) and not parts[0].strip():
                parts, starts = parts[1:], starts[1:]
            if len(parts) > len(cols):
                self.notes.warn("text-table", f"a row has {len(parts)} cells under "
                                f"{len(cols)} headings; the extra cells went to the last column",
                                self._loc(row, starts[len(cols)] + 1))
                parts = [*parts[:len(cols) - 1], " ".join(parts[len(cols) - 1:])]
            for col, part, start in zip(cols, parts, starts, strict=False):
                self._tab_cell(col, part, row, start, single_row=len(rows) == 1)
        if not rows:
            self.notes.warn("text-table", "the table has headings but no rows",
                            self.notes.at(head), "check the text extraction of the table")
        return self._build(cols, head), j

    def _tab_cell(self, col: _Col, part: str, row: Line, start: int,
                  single_row: bool) -> None:
        stripped = part.strip()
        if not stripped:
            return
        offset = start + len(part) - len(part.lstrip())
        marked = _ITEM_BREAK.sub(lambda m: "\x00" * len(m.group(0)), stripped)
        runs = [(m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.group(0).strip())
                for m in re.finditer(r"[^\x00]+", marked) if m.group(0).strip()]
        for at, text in runs:
            col.items.append((text, self._loc(row, offset + at + 1)))
        if single_row and len(runs) == 1:
            self._check_run(col)

    # ---- aligned in columns ----------------------------------------------------------
    def read_columns(self, lines: list[Line], i: int,
                     header: tuple[list[tuple[str, int, Line]], int]) -> tuple[SummaryTable, int]:
        headings, size = header
        cols = [_Col(collapse(h), s, self._loc(ln, s + 1)) for h, s, ln in headings]
        j = i + size
        block = []
        while j < len(lines):
            line = lines[j]
            kind = classify(line.text).kind
            if kind in ("number", "question") or "\t" in line.raw.strip():
                break
            cells = _cells(line.raw)
            if len(cells) == 1 and len(cells[0][1]) > 70:
                break  # prose running across the columns: the table has ended
            block.append(line)
            j += 1
        groups = _columns(_chunks(block), [c.start for c in cols])
        for col, group in zip(cols, groups, strict=False):
            self._assemble(col, group)
        return self._build(cols, lines[i]), j

    def _assemble(self, col: _Col, chunks: list[_Chunk]) -> None:
        col.bulleted = any(classify(c.text).kind == "bullet" for c in chunks)
        last_row = None
        for chunk in chunks:
            start = classify(chunk.text)
            where = self._loc(chunk.line, chunk.start + 1)
            if start.kind == "bullet":
                col.items.append((start.text, where))
            elif col.items and last_row is not None and (
                    col.bulleted or chunk.row == last_row or
                    (chunk.row - last_row == 1 and not chunk.line.blank_before)):
                self._continue(col, chunk.text, where, same_line=chunk.row == last_row)
            else:
                col.items.append((chunk.text, where))
            last_row = chunk.row
        if not col.bulleted and len(col.items) == 1:
            self._check_run(col)

    def _continue(self, col: _Col, text: str, where: Location, same_line: bool) -> None:
        prev, loc = col.items[-1]
        joined = None
        if not same_line and prev.endswith(("-", "‐")):
            result = join_hyphenated(prev, text, self.vocab)
            if result:
                joined, doubtful = result
                if doubtful:
                    self.notes.warn("text-hyphenation", f"joined '{prev.split()[-1]}' and "
                                    f"'{text.split()[0]}' across lines as one word", where,
                                    "put the hyphen back if the word is a compound")
        col.items[-1] = (joined or f"{prev} {text}", loc)

    # ---- stacked ---------------------------------------------------------------------
    def read_stacked(self, lines: list[Line], i: int) -> tuple[SummaryTable, int]:
        cols: list[_Col] = []
        j = i
        stray: list[Line] = []
        while j < len(lines):
            found = stacked_heading(lines, j)
            if found:
                heading, used = found
                cols.append(_Col(heading, 0, self.notes.at(lines[j])))
                j += used
                continue
            line = lines[j]
            if classify(line.text).kind in ("number", "question") or "\t" in line.raw.strip():
                break
            if cols and not cols[-1].items and _fragment(line.text):
                stray.append(line)  # headings broken up and interleaved: columns lost
                j += 1
                continue
            if stray:
                stray.append(line)
            else:
                chunk = _Chunk(j, line.column - 1, line.column - 1 + len(line.text),
                               line.text, line)
                self._stacked_line(cols[-1], chunk)
            j += 1
        if stray:
            self._lost_columns(cols, stray)
        for col in cols:
            if not col.bulleted and len(col.items) == 1:
                self._check_run(col)
        return self._build(cols, lines[i]), j

    def _stacked_line(self, col: _Col, chunk: _Chunk) -> None:
        start = classify(chunk.text)
        where = self._loc(chunk.line, chunk.start + 1)
        if start.kind == "bullet":
            col.bulleted = True
            col.items.append((start.text, where))
        elif col.items and not (chunk.line.blank_before and not col.bulleted and
                                chunk.text[:1].isupper()):
            self._continue(col, chunk.text, where, same_line=False)
        else:
            col.items.append((chunk.text, where))

    def _lost_columns(self, cols: list[_Col], stray: list[Line]) -> None:
        fragments = [ln for ln in stray if _fragment(ln.text)]
        content = [ln for ln in stray if not _fragment(ln.text)]
        for heading in _reassemble(cols[0].heading if cols else "",
                                   [collapse(f.text) for f in fragments]):
            cols.append(_Col(heading, 0, self.notes.at(fragments[0])))
        if content:
            text = content[0].text
            for ln in content[1:]:
                joined = join_hyphenated(text, ln.text, self.vocab) if \
                    text.endswith(("-", "‐")) else None
                text = joined[0] if joined else f"{text} {ln.text}"
            where = self.notes.at(content[0])
            self.unplaced.append((text, where))
            self.notes.warn("text-table", "the text extraction mixed up the table's columns: "
                            f"its text ('{short(text, 50)}') could not be given a column and "
                            "is kept as a paragraph after the table", where,
                            "copy the table's cells from the original document")

    # ---- both ------------------------------------------------------------------------
    def _check_run(self, col: _Col) -> None:
        text, where = col.items[0]
        if len(text.split()) > 6:
            self.notes.warn(
                "text-table",
                f"the cell under '{col.heading}' is one run of text: the text extraction may "
                f"have run several items together ('{short(text, 50)}'); kept as one item",
                where, "split it into its items by hand if the original lists several")

    def _check_lone(self, col: _Col, text: str, where: Location) -> None:
        if len(text) <= 2 or not re.search(r"[^\W\d_]{3}", text):
            self.notes.warn(
                "text-table",
                f"the cell under '{col.heading}' holds only '{text}': the text extraction "
                "probably lost the rest of it",
                where, "copy the cell's text from the original document")

    def _build(self, cols: list[_Col], head: Line) -> SummaryTable:
        columns = []
        for col in cols:
            for text, where in col.items:
                self._check_lone(col, text, where)
            items = tuple(self.make_item(text, where) for text, where in col.items)
            columns.append(Column(col.heading, items, col.loc))
        return SummaryTable(tuple(columns), self.notes.at(head))


def _fragment(text: str) -> bool:
    """The text is part of a known heading (its start or its end), not a whole one."""
    t = _norm(text)
    return bool(t) and t not in _KNOWN and any(
        k.startswith(t + " ") or k.endswith(" " + t) for k in _KNOWN)


def _reassemble(first: str, fragments: list[str]) -> list[str]:
    """Headings from their broken-up parts: each start joined to the end that
    completes it, in the order the starts appear."""
    done = {_norm(first)}
    out = []
    ends = list(fragments)
    for frag in fragments:
        for known, heading in _KNOWN.items():
            if known in done or not known.startswith(_norm(frag) + " "):
                continue
            rest = known[len(_norm(frag)) + 1:]
            if any(_norm(e) == rest for e in ends):
                out.append(heading)
                done.add(known)
                break
    return out
