"""The Markdown notes reader: the front matter (:mod:`.frontmatter`), the block tree
(:mod:`.tree`), the header without front matter (:mod:`.header`), then the blocks of the
model, built here: numbered paragraphs with their lettered lists, headings, guiding
questions with their takeaways, and the closing table.

:mod:`gfmdreport.formats.markdown.reader` (the reader plugin) imports this module only
when notes are read, so that loading the plugins stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any

from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import Severity
from gfmdreport.formats.markdown.escape import QUESTION_WORDS
from gfmdreport.formats.markdown.escape import letter
from gfmdreport.formats.markdown.escape import unescape_block
from gfmdreport.formats.markdown.escape import unescape_heading
from gfmdreport.formats.markdown.escape import unescape_text
from gfmdreport.formats.markdown.frontmatter import read_front_matter
from gfmdreport.formats.markdown.header import read_header
from gfmdreport.formats.markdown.source import NotesSource
from gfmdreport.formats.markdown.tree import QUESTION
from gfmdreport.formats.markdown.tree import ListItemNode
from gfmdreport.formats.markdown.tree import ListNode
from gfmdreport.formats.markdown.tree import Node
from gfmdreport.formats.markdown.tree import TableNode
from gfmdreport.formats.markdown.tree import TextNode
from gfmdreport.formats.markdown.tree import n_cells
from gfmdreport.formats.markdown.tree import read_tree
from gfmdreport.model import Block
from gfmdreport.model import Column
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable
from gfmdreport.typography import collapse_space

_QUESTION_NO_COLON = re.compile(r"^" + QUESTION_WORDS + r"\s*[0-9]+\b(?!\s*\\+:)", re.IGNORECASE)
_LETTER = re.compile(r"^(?P<marker>\(?(?P<letter>[a-z]{1,3})[.)])(?:[ \t]+|$)", re.IGNORECASE)
_HARD_BREAK = re.compile(r"(?<!\\)((?:\\\\)*)\\(?=\n)")
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<![A-Za-z\[]|<\?[A-Za-z]")
_CELL_SPLIT = re.compile(r"<br\s*/?>|•", re.IGNORECASE)
_CELL_BULLET = re.compile(r"^[-*+][ \t]+")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


_clean = collapse_space  # as the interchange format: no-break spaces are kept


def _inline(content: str) -> str:
    """Inline source of a block's content: soft-wrapped lines joined, hard breaks
    dropped (the model holds one line per text)."""
    if "\n" in content and "\\" in content:
        content = _HARD_BREAK.sub(r"\1", content)
    return _clean(content)


# ---- builders of the model's blocks ----------------------------------------------------

@dataclass
class _Open:
    """A block the lists after it belong to, and their items."""

    text: str
    loc: Location
    items: list[Item] = field(default_factory=list)


class _Para(_Open):
    """A numbered paragraph; the items are its lettered list."""


@dataclass
class _Quest(_Open):
    """A guiding question; the items are its takeaways."""

    number: int = 0


class _Col(_Open):
    """A column of the closing table (its heading the text)."""


@dataclass
class _Tab:
    loc: Location
    columns: list[_Col] = field(default_factory=list)


class NotesReader(NotesSource):
    """Reads one notes file: ``NotesReader(text, path).read()``."""

    def read(self) -> SessionSummary:
        meta, given, body = read_front_matter(self)
        nodes = read_tree(body, self)
        header, nodes = read_header(nodes, meta, given, self)
        blocks = self.blocks(nodes)
        diagnostics = tuple(sorted(self.problems, key=lambda d: d.sort_key))
        summary = replace(meta, body=tuple(blocks), diagnostics=diagnostics, **header)
        if any(d.severity is Severity.ERROR for d in self.problems):
            # The notes cannot be rendered; what was read past the errors goes with
            # them, for validate to run the rules on it in the same run.
            raise InputError(self.problems, partial=summary)
        return summary

    # -- nodes → blocks ---------------------------------------------------------------------
    def blocks(self, nodes: list[Node]) -> list[Block]:
        self.out: list[Any] = []
        self.owner: _Para | _Quest | _Col | None = None  # what a following list belongs to
        self.table: _Tab | None = None  # the table of '###' columns being read
        self.tables = 0
        self.last_number = 0
        self.paragraphs = 0
        self.numbering_warned = False
        for index, node in enumerate(nodes):
            following = nodes[index + 1] if index + 1 < len(nodes) else None
            if isinstance(node, TextNode) and node.kind == "heading":
                self.heading(node, following)
            elif isinstance(node, TextNode) and node.kind == "paragraph":
                self.table = None
                self.paragraph(node.content, node.line)
            elif isinstance(node, TextNode):  # a thematic break ends what came before
                self.table = self.owner = None
            elif isinstance(node, TableNode):
                self.table = self.owner = None
                self.new_table(self.at(node.line)).columns = self.pipe_columns(node)
            else:
                self.list_into(node)
        return [self.freeze(b) for b in self.out]

    def new_table(self, where: Location) -> _Tab:
        self.tables += 1
        if self.tables == 2:
            self.warn("second-table", "a second summary table: a session summary has one "
                      "closing table", where, "merge the tables into one")
        table = _Tab(where)
        self.out.append(table)
        return table

    def question(self, match: re.Match[str], where: Location) -> None:
        self.table = None
        digits = match.group("number")
        if digits and len(digits) > 9:
            self.fail("question-number", f"the question number {digits[:12]}… has "
                      f"{len(digits):,} digits", where, "number the questions 1, 2, 3 …")
            digits = None
        number = int(digits) if digits else self.last_number + 1
        self.last_number = number
        text = unescape_heading(_clean(match.group("text")), question_like=False)
        self.owner = _Quest(text, where, number=number)
        self.out.append(self.owner)
        self.check_html(text, where)

    def heading(self, node: TextNode, following: Node | None) -> None:
        content = _clean(node.content)
        where = self.at(node.line)
        q = QUESTION.match(content)
        if q:
            self.question(q, where)
            return
        text = unescape_heading(content)
        self.check_html(text, where)
        if node.level == 3 and self.table is not None:
            self.owner = _Col(text, where)
            self.table.columns.append(self.owner)
            return
        self.table = self.owner = None
        if node.level == 2 and _is_column(following):
            self.table = self.new_table(where)
            return
        if node.level == 2 and isinstance(following, TableNode):
            return  # the pipe table's own title
        if _QUESTION_NO_COLON.match(content):
            self.warn("question-heading", "this heading looks like a guiding question but has "
                      "no colon after the number; it is read as a section heading", where,
                      "write '## Question 1: …'")
        elif node.level != 2:
            self.warn("heading-level", f"a level-{node.level} heading ('{'#' * node.level}') "
                      f"is read as a section heading", where,
                      "write section headings as '## …'; '#' is for the title on the first "
                      "line, '###' for the columns of the summary table")
        self.out.append(Heading(text, where))

    def paragraph(self, content: str, line: int, number: str | None = None) -> None:
        """A paragraph of the notes: a numbered paragraph, a guiding question typed as a
        plain line, or lines lettered a), b), … continuing a lettered list."""
        lines = content.split("\n")
        where = self.at(line)
        if (len(lines) > 1 and "|" in lines[0] and "-" in lines[1]
                and _DELIMITER_ROW.match(lines[1])):
            from markdown_it.rules_block.table import escapedSplit

            heads = escapedSplit(lines[0].strip().strip("|"))
            delims = lines[1].strip().strip("|").split("|")
            self.fail("table-header", f"this looks like a table, but its header row has "
                      f"{n_cells(len(heads))} and the line under it {len(delims)}", where,
                      "give the '---' line one cell per column")
        if number is None:
            q = QUESTION.match(_clean(content))
            if q:
                self.question(q, where)
                return
        start = self.lettered_start(lines, continuation=number is None)
        if start:
            self.new_paragraph(unescape_block(_inline("\n".join(lines[:start]))), where,
                               number)
        para = self.owner
        if start < len(lines) and isinstance(para, _Para):
            for line_no, item_text in self.lettered_lines(lines[start:], line + start,
                                                          len(para.items)):
                para.items.append(Item(item_text, (), self.at(line_no)))

    def new_paragraph(self, text: str, where: Location, number: str | None = None) -> _Para:
        self.paragraphs += 1
        if number and not self.numbering_warned and int(number) != self.paragraphs:
            self.numbering_warned = True
            self.warn("paragraph-number", f"this paragraph is numbered {int(number)} here but "
                      f"is paragraph {self.paragraphs} of the summary", where,
                      "paragraphs are numbered automatically through the whole document; "
                      "the numbers can be left out")
        para = _Para(text, where)
        self.out.append(para)
        self.owner = para
        self.check_html(text, where)
        return para

    def lettered_start(self, lines: list[str], continuation: bool = True) -> int:
        """Where lines lettered a), b), … start in a paragraph's lines (its length when
        none do). A paragraph made only of such lines continues the lettered list of the
        paragraph before it."""
        owner = self.owner
        for k, line in enumerate(lines):
            m = _LETTER.match(line.strip())
            if not m:
                continue
            if k == 0:
                if continuation and isinstance(owner, _Para) and \
                        len(m.group("letter")) == 1 and \
                        m.group("letter").lower() == letter(len(owner.items)):
                    return 0
                continue
            if m.group("letter").lower() == "a":
                return k
        return len(lines)

    def lettered_lines(self, lines: list[str], first: int,
                       offset: int) -> Iterator[tuple[int, str]]:
        current: list[str] = []
        at = first
        expected = offset
        for k, line in enumerate(lines):
            m = _LETTER.match(line.strip())
            if m and m.group("letter").lower() == letter(expected):
                if current:
                    yield at, unescape_block(_inline("\n".join(current)))
                current = [line.strip()[m.end():]]
                at = first + k
                expected += 1
            else:
                current.append(line)
        if current:
            yield at, unescape_block(_inline("\n".join(current)))

    def list_into(self, node: ListNode) -> None:
        owner = self.owner
        if isinstance(owner, _Col) or (isinstance(owner, _Quest) and
                                       not (node.ordered and owner.items)):
            owner.items.extend(self.items(node))  # a column's items, a question's takeaways
        elif node.ordered:  # numbered paragraphs
            for item in node.items:
                content = "\n".join(self.joined(item))
                if not content.strip() and not item.lists:
                    continue
                self.paragraph(content, item.line, item.number)
                if isinstance(self.owner, _Para):
                    for child in item.lists:
                        self.owner.items.extend(self.lettered(child, self.owner, quiet=True))
        elif isinstance(owner, _Para):
            owner.items.extend(self.lettered(node, owner))
        else:
            self.fail("stray-list", "this list belongs to nothing: a list must follow a "
                      "paragraph (its lettered list), a '## Question' heading (its takeaways) "
                      "or a '###' column heading of the summary table", self.at(node.line),
                      "put it under a '## Question N: …' heading, or write a paragraph "
                      "before it")

    def lettered(self, node: ListNode, para: _Para, quiet: bool = False) -> list[Item]:
        """The items of a paragraph's list, with their letters a), b), … taken off."""
        offset = len(para.items)
        texts = [self.item_text(item) for item in node.items]
        marks = [_LETTER.match(t) for t in texts]
        first = marks[0] if marks else None
        if not (first and first.group("letter").lower() in ("a", letter(offset))):
            if not quiet:
                self.warn("unlettered-list", "a bullet list after a paragraph is read as the "
                          "paragraph's lettered list", self.at(node.line),
                          "letter its items a), b), …; if they are takeaways, put them under "
                          "a '## Question N: …' heading")
            return [Item(unescape_block(t), self.nested(item), self.at(item.line))
                    for t, item in zip(texts, node.items, strict=True)]
        out = []
        warned = False
        for i, (text, mark, item) in enumerate(zip(texts, marks, node.items, strict=True)):
            expected = letter(offset + i)
            if not warned and (mark is None or mark.group("letter").lower() != expected):
                warned = True
                found = f"'{mark.group('marker')}'" if mark else "no letter"
                self.warn("lettering", f"item {expected}) of the lettered list has {found}",
                          self.at(item.line), "the letters are given in order when the "
                          "summary is written; check that no item is missing")
            body = text[mark.end():] if mark else text
            out.append(Item(unescape_block(body), self.nested(item), self.at(item.line)))
        return out

    def items(self, node: ListNode) -> list[Item]:
        return [Item(unescape_block(self.item_text(item)), self.nested(item),
                     self.at(item.line)) for item in node.items]

    def nested(self, item: ListItemNode) -> tuple[Item, ...]:
        out: list[Item] = []
        for child in item.lists:
            out.extend(self.items(child))
        return tuple(out)

    def joined(self, item: ListItemNode) -> list[str]:
        """The contents of an item's paragraphs; more than one is worth a warning."""
        if len(item.texts) > 1:
            self.warn("joined-item", "this list item has several paragraphs; they are joined "
                      "into one", self.at(item.texts[1].line),
                      "make each point its own item, or remove the blank line")
        return [t.content for t in item.texts]

    def item_text(self, item: ListItemNode) -> str:
        text = " ".join(_inline(t) for t in self.joined(item))
        if item.texts:
            self.check_html(text, self.at(item.texts[0].line))
        return text

    def pipe_columns(self, node: TableNode) -> list[_Col]:
        columns = [_Col(unescape_text(_clean(h)), self.at(node.header_line))
                   for h in node.header]
        for line, cells in node.rows:
            for col, cell in zip(columns, cells, strict=False):
                for piece in _CELL_SPLIT.split(cell):
                    text = _clean(_CELL_BULLET.sub("", piece.strip()))
                    if text:
                        col.items.append(Item(unescape_text(text), (), self.at(line)))
                        self.check_html(text, self.at(line))
        return columns

    def check_html(self, text: str, where: Location) -> None:
        if "<" not in text:
            return
        m = _HTML.search(text)
        if m:
            self.warn("raw-html", f"raw HTML is kept as text: {m.group()[:40]}", where,
                      "use Markdown instead: **bold**, *italic*, [text](https://…)")

    def freeze(self, block: Any) -> Block:
        if isinstance(block, _Para):
            return Paragraph(block.text, tuple(block.items), block.loc)
        if isinstance(block, _Quest):  # no takeaways: validation's GFMD104 says so
            return Question(block.number, block.text, tuple(block.items), block.loc)
        if isinstance(block, _Tab):
            return SummaryTable(tuple(Column(c.text, tuple(c.items), c.loc)
                                      for c in block.columns), block.loc)
        return block


def _is_column(node: Node | None) -> bool:
    return (isinstance(node, TextNode) and node.kind == "heading" and node.level == 3
            and not QUESTION.match(_clean(node.content)))

