"""What the built-in rules share: every piece of text of a summary, with where it is and
how to name it in a message."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from gfmdreport.diagnostics import Location
from gfmdreport.inline import plain
from gfmdreport.model import Heading
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import walk_texts

_MARKUP = re.compile(r"[\\`*_\[\]<&\n\r\x00]")
"""The characters that can start inline markup; text without them reads as written."""


_STARS_ONLY = re.compile(r"[\\`_\[\]<&\n\r\x00]")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*])")


def visible(source: str) -> str:
    """The text of inline source as a reader sees it: :func:`gfmdreport.inline.plain`,
    without starting the Markdown parser for text that holds no markup at all, or only
    ``*bold*``-style emphasis (the common case, as in the seed's "**Mr. Ola Henrikson**"),
    which a pattern takes off as the parser would."""
    if not _MARKUP.search(source):
        return source
    if "*" in source and not _STARS_ONLY.search(source):
        stripped = _EMPHASIS.sub(lambda m: m.group(2), source)
        if "*" not in stripped:
            return stripped
    return plain(source)


@dataclass(frozen=True)
class Text:
    """One piece of prose: a paragraph, heading, question, takeaway or table item."""

    kind: str
    """``paragraph``, ``item``, ``heading``, ``question``, ``takeaway`` or ``cell``."""
    label: str
    """How a message names it: ``paragraph 3``, ``takeaway 2 of question 1`` …"""
    text: str
    """Inline source."""
    location: Location | None


def _letter(i: int) -> str:
    letters = string.ascii_lowercase
    return letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]


def texts(summary: SessionSummary) -> Iterator[Text]:
    """Every piece of prose in the summary's body, in document order, each named as a
    message names it: ``paragraph 3``, ``item b) of paragraph 3``, ``takeaway 2 of
    question 1, sub-item 1``, ``item 4 of column 'Challenges'``."""
    numbers = {i: n for i, (n, _) in enumerate(summary.numbered()) if n is not None}
    names: list[str] = []
    for ref in walk_texts(summary, columns=False):
        block = ref.owner
        if ref.kind == "paragraph":
            yield Text("paragraph", f"paragraph {numbers[ref.block]}", ref.text, ref.loc)
            continue
        if isinstance(block, Heading):
            yield Text("heading", "heading", ref.text, ref.loc)
            continue
        if ref.kind == "question":
            yield Text("question", f"question {block.number}", ref.text, ref.loc)
            continue
        if ref.depth:
            name = f"{names[ref.depth - 1]}, sub-item {ref.index + 1}"
        else:
            if isinstance(block, Paragraph):
                owner, mark = f"paragraph {numbers[ref.block]}", f"{_letter(ref.index)})"
            elif isinstance(block, Question):
                owner, mark = f"question {block.number}", str(ref.index + 1)
            else:
                column = block.columns[ref.path[3]]
                owner, mark = f"column '{column.heading}'", str(ref.index + 1)
            word = "takeaway" if ref.kind == "takeaway" else "item"
            name = f"{word} {mark} of {owner}"
        names[ref.depth:] = [name]
        yield Text(ref.kind, name, ref.text, ref.loc)


def people(summary: SessionSummary):
    """Chairs and rapporteurs, each with its list's name."""
    for person in summary.chairs:
        yield "chair", person
    for person in summary.rapporteurs:
        yield "rapporteur", person


def line_of(location: Location | None) -> str:
    """``line 12`` for a message, or an empty string when the line is unknown."""
    return f"line {location.line}" if location and location.line else ""
