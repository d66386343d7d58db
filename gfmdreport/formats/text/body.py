"""Step 3b of reading a legacy text: the units after the metadata lines become the body,
paragraphs with their sub-lists, headings, questions with their takeaways (nested by
indentation and bullet glyph) and the closing table."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

from gfmdreport.diagnostics import Location
from gfmdreport.formats.text.units import Unit
from gfmdreport.model import Block
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SummaryTable
from gfmdreport.recognize.lines import ROMAN
from gfmdreport.recognize.lines import looks_like_heading
from gfmdreport.recognize.lines import strong_glyph
from gfmdreport.recognize.tables import SUMMARY_TABLE_LABELS
from gfmdreport.recognize.text import Joined
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import collapse
from gfmdreport.recognize.text import short


@dataclass
class _Item:
    text: Joined
    loc: Location
    items: list[_Item] = field(default_factory=list)


@dataclass
class BodyBlock:
    kind: str
    loc: Location
    text: Joined | None = None
    number: int = 0
    items: list[_Item] = field(default_factory=list)
    table: SummaryTable | None = None
    stack: list[tuple[int, str, _Item, str]] = field(default_factory=list)
    bulleted: bool = False
    warned: bool = False


class BodyReader:
    """Builds the body's blocks; ``inline`` makes a joined text inline source."""

    def __init__(self, path: str | None, notes: Notes, inline: Callable[[Joined], str]):
        self.path = path
        self.notes = notes
        self.inline = inline

    def read(self, units: list[Unit], extra: list[tuple[str, Line]]) -> list[BodyBlock]:
        """The blocks of the body: ``extra`` (the lines before the first paragraph that
        are no metadata), then the units."""
        blocks: list[BodyBlock] = []
        numbered = any(u.kind == "number" for u in units)
        for text, line in extra:
            joined = Joined(self.path)
            joined.add(text, line.number, line.column)
            if looks_like_heading(text):
                blocks.append(BodyBlock("heading", self.notes.at(line), joined))
                self.notes.warn("text-unplaced", f"a line before the first paragraph is "
                                f"neither title, session nor date ('{short(text)}'); kept it "
                                "as a heading", self.notes.at(line))
            else:
                blocks.append(BodyBlock("paragraph", self.notes.at(line), joined))
                self.notes.warn("text-unplaced", f"text before the first paragraph "
                                f"('{short(text)}') kept as a paragraph", self.notes.at(line))
        context: BodyBlock | None = None
        next_par = 1
        next_q = 1
        for k, unit in enumerate(units):
            where = self.notes.at(unit.first)
            if unit.kind == "table":
                blocks.append(BodyBlock("table", where, table=unit.table))
                context = None
            elif unit.kind == "question":
                n = int(unit.label)
                if n != next_q:
                    self.notes.warn("text-numbering", f"question numbered {n} where {next_q} "
                                    "was expected", where)
                context = BodyBlock("question", where, unit.text, number=n)
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
                context = BodyBlock("paragraph", where, unit.text, number=n)
                blocks.append(context)
                next_par = n + 1
            elif unit.kind in ("letter", "bullet", "number"):
                if context is None:
                    self.notes.warn("text-unplaced", f"a list item outside any paragraph or "
                                    f"question ('{short(unit.text.text)}'); kept as a paragraph",
                                    where)
                    context = BodyBlock("paragraph", where, unit.text)
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
                    blocks.append(BodyBlock("heading", where, unit.text))
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
                    context = BodyBlock("paragraph", where, unit.text)
                    blocks.append(context)
        return blocks

    @staticmethod
    def _nest(block: BodyBlock, item: _Item, indent: int, glyph: str, label: str = "") -> None:
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

    def freeze(self, block: BodyBlock) -> Block:
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


def _roman(unit: Unit, context: BodyBlock) -> bool:
    """A lettered label that is a roman numeral under a lettered item ("i)" after "b)",
    but "i)" after "h)" is a letter)."""
    label = unit.label
    if label not in ROMAN or not any(g == "letter" for _i, g, _it, _lb in context.stack):
        return False
    count = len(context.items)
    expected = string.ascii_lowercase[count] if count < 26 else ""
    return len(label) > 1 or label != expected
