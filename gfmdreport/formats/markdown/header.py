"""The header of Markdown notes without front matter (or beside it): a ``# Title`` first
line, an optional session line, and a line such as ``6 September 2017, 10:30-12:30,
Hotel Savoyen`` (read by :func:`gfmdreport.recognize.dates.parse_date_line`)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from gfmdreport.diagnostics import Location
from gfmdreport.formats.markdown.source import NotesSource
from gfmdreport.formats.markdown.tree import QUESTION
from gfmdreport.formats.markdown.tree import Node
from gfmdreport.formats.markdown.tree import TextNode
from gfmdreport.model import SessionSummary
from gfmdreport.recognize.dates import When
from gfmdreport.recognize.dates import parse_date_line
from gfmdreport.typography import collapse_space


def read_header(nodes: list[Node], meta: SessionSummary, given: set[str],
                notes: NotesSource) -> tuple[dict[str, Any], list[Node]]:
    """Title, session, date, time and venue from a ``# Title`` first line and the
    lines under it; the front matter wins where both give a value."""
    first = nodes[0] if nodes else None
    if not (isinstance(first, TextNode) and first.kind == "heading" and first.level == 1
            and not QUESTION.match(collapse_space(first.content))):
        return {}, nodes
    from gfmdreport.inline import plain

    found: dict[str, tuple[str, Location]] = {
        "title": (plain(collapse_space(first.content)), notes.at(first.line, 3))}
    used = 1
    nxt = nodes[1:3]

    def date_line(node: Node) -> tuple[list[str], When | None, int]:
        if not (isinstance(node, TextNode) and node.kind == "paragraph"):
            return [], None, 0
        lines = node.content.split("\n")
        if len(lines) > 4:  # a session title of up to three lines, then the date line
            return [], None, 0
        return lines[:-1], parse_date_line(lines[-1]), node.line + len(lines) - 1

    date: When | None = None
    date_at = 0
    if nxt:
        before, date, date_at = date_line(nxt[0])
        if date:
            used = 2
            if before:
                found["session"] = (plain(collapse_space(" ".join(before))), notes.at(nxt[0].line))
        elif len(nxt) == 2 and isinstance(nxt[0], TextNode) and (
                nxt[0].kind == "paragraph" or (nxt[0].level == 2 and not QUESTION.match(
                    collapse_space(nxt[0].content)))):
            before, date, date_at = date_line(nxt[1])
            if date and not before:
                used = 3
                found["session"] = (plain(collapse_space(nxt[0].content)), notes.at(nxt[0].line))
            else:
                date = None
    language = None
    if date:
        found["date"] = (date.date, notes.at(date_at, date.at["date"] + 1))
        if date.time:
            found["time"] = (date.time, notes.at(date_at, date.at["time"] + 1))
        if date.venue:
            found["venue"] = (plain(date.venue), notes.at(date_at, date.at["venue"] + 1))
        language = date.language
    updates: dict[str, Any] = {}
    locations = dict(meta.locations)
    current = {"title": meta.title, "session": meta.session, "date": meta.date,
               "time": meta.time, "venue": meta.venue}
    for key, (value, where) in found.items():
        if key in given:
            if collapse_space(str(current[key])) != value:
                notes.warn("header", f"the {key} here differs from the front matter's; the "
                           f"front matter's is used", where,
                           "keep one of them, or make them agree")
            continue
        locations[key] = where
        if key == "time" and date:
            updates["start_time"], updates["end_time"] = date.start, date.end
        else:
            updates[key] = value
    if language and "language" not in given:
        updates["language"] = language
        locations["language"] = found["date"][1]
    updates["locations"] = MappingProxyType(locations)
    return updates, nodes[used:]
