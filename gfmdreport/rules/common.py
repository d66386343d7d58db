"""What the built-in rules share: every piece of text of a summary, with where it is and
how to name it in a message."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from gfmdreport.diagnostics import Location
from gfmdreport.inline import plain
from gfmdreport.model import Heading, Item, Paragraph, Question, SessionSummary, SummaryTable

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


def _items(items: tuple[Item, ...], kind: str, label: str, owner: str,
           fallback: Location | None, depth: int = 0) -> Iterator[Text]:
    for i, item in enumerate(items):
        mark = f"{_letter(i)})" if kind == "item" and depth == 0 else str(i + 1)
        name = f"{label} {mark}" if depth else f"{label} {mark} of {owner}"
        where = item.loc or fallback
        yield Text(kind, name, item.text, where)
        if item.items:
            yield from _items(item.items, kind, f"{name}, sub-item", owner, where, depth + 1)


def texts(summary: SessionSummary) -> Iterator[Text]:
    """Every piece of prose in the summary's body, in document order."""
    for number, block in summary.numbered():
        if isinstance(block, Paragraph):
            yield Text("paragraph", f"paragraph {number}", block.text, block.loc)
            yield from _items(block.items, "item", "item", f"paragraph {number}", block.loc)
        elif isinstance(block, Heading):
            yield Text("heading", "heading", block.text, block.loc)
        elif isinstance(block, Question):
            yield Text("question", f"question {block.number}", block.text, block.loc)
            yield from _items(block.takeaways, "takeaway", "takeaway",
                              f"question {block.number}", block.loc)
        elif isinstance(block, SummaryTable):
            for column in block.columns:
                yield from _items(column.items, "cell", "item",
                                  f"column '{column.heading}'", column.loc or block.loc)


def people(summary: SessionSummary):
    """Chairs and rapporteurs, each with its list's name."""
    for person in summary.chairs:
        yield "chair", person
    for person in summary.rapporteurs:
        yield "rapporteur", person


def line_of(location: Location | None) -> str:
    """``line 12`` for a message, or an empty string when the line is unknown."""
    return f"line {location.line}" if location and location.line else ""
