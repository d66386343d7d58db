"""The block structure of Markdown notes: markdown-it's token stream read into headings,
paragraphs, lists (with their items' texts and nested lists) and pipe tables, each with
its line. What the notes format has no use for (block quotes, code blocks, link
definitions, a table inside a list) is read as text or reported here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache
from typing import Any

from gfmdreport import limits
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.formats.markdown.escape import QUESTION_WORDS
from gfmdreport.formats.markdown.source import NotesSource

MAX_NESTING = 100
"""Block nesting markdown-it is allowed (a list inside a list item counts two)."""

QUESTION = re.compile(r"^" + QUESTION_WORDS + r"\s*(?P<number>[0-9]+)?\s*:\s*(?P<text>.*)$",
                      re.IGNORECASE | re.DOTALL)
"""A guiding question's heading or paragraph: ``Question 2: …``, ``Pregunta: …``."""
_BLOCK_START = re.compile(r"^[ \t>]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]|^[ \t]*#{1,6}[ \t]|"
                          r"(?<=\n\n)[ \t]*[^\s]", re.MULTILINE)
"""A line that starts a list item, a heading, or a paragraph after a blank line: the
notes hold at least about as many blocks and items as such lines."""


@lru_cache(maxsize=2)
def _parser(nesting: int = MAX_NESTING) -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": nesting})
    md.enable("table")
    md.disable(["inline", "text_join"])  # texts stay source; gfmdreport.inline parses them
    return md


@dataclass
class TextNode:
    """A heading, paragraph or code block: its content and first line (0-based)."""

    kind: str
    content: str
    line: int
    level: int = 0


@dataclass
class ListItemNode:
    line: int
    number: str
    texts: list[TextNode] = field(default_factory=list)
    lists: list[ListNode] = field(default_factory=list)


@dataclass
class ListNode:
    ordered: bool
    line: int
    items: list[ListItemNode] = field(default_factory=list)


@dataclass
class TableNode:
    line: int
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]


Node = TextNode | ListNode | TableNode


def read_tree(body: str, notes: NotesSource) -> list[Node]:
    """The nodes of the notes' body (front matter blanked out); its lines become
    ``notes.lines``."""
    notes.lines = body.split("\n")
    body = strip_comments(body, notes)
    starts = len(_BLOCK_START.findall(body))
    if starts > limits.BLOCKS.value():  # refused before the (slower) Markdown parse
        raise InputError([limits.BLOCKS.diagnostic(
            starts, "the notes start", Location(notes.path))])
    env: dict[str, Any] = {}
    nesting = max(MAX_NESTING, 2 * limits.DEPTH.value() + 40)
    tokens = _parser(nesting).parse(body, env)
    # markdown-it stops reading deeper than its maxNesting: never lose text silently
    deep = next((t for t in tokens if t.level >= nesting - 2 and t.map), None)
    if deep is not None:
        notes.problems.append(limits.DEPTH.diagnostic(
            None, "the notes are nested", notes.at(deep.map[0])))
    _link_definitions(env, notes)
    return list(_nodes(tokens, notes))


def strip_comments(body: str, notes: NotesSource) -> str:
    """Remove ``<!-- … -->`` comments, keeping their line breaks so that every line
    keeps its number. ``\\<!--`` is text, not a comment."""
    if "<!--" not in body:
        return body
    parts: list[str] = []
    pos = done = 0
    while True:
        start = body.find("<!--", pos)
        if start < 0:
            break
        if start and body[start - 1] == "\\":
            pos = start + 4
            continue
        end = body.find("-->", start + 4)
        if end < 0:
            line = body.count("\n", 0, start)
            notes.warn("comment", "this comment is never closed; it is kept as text",
                       notes.at(line, start - body.rfind("\n", 0, start)),
                       "end it with '-->'")
            break
        parts.append(body[done:start])
        parts.append("\n" * body.count("\n", start, end))
        pos = done = end + 3
    parts.append(body[done:])
    return "".join(parts)


def _link_definitions(env: dict[str, Any], notes: NotesSource) -> None:
    """Warn of link reference definitions, which the notes do not support."""
    refs = list((env.get("references") or {}).items())
    refs += [(d["label"], d) for d in env.get("duplicate_refs", ())]
    for label, ref in refs:
        line = (ref.get("map") or [0])[0]
        typed = re.match(r"\s*\[((?:[^\]\\]|\\.)*)\]", notes.lines[line])
        label = typed.group(1) if typed else label
        notes.warn("link-definition", f"link definitions such as [{label}]: … are not "
                   "supported; the links that use them stay plain text", notes.at(line),
                   "write each link in place: [text](https://…)")


def _nodes(tokens: list[Any], notes: NotesSource) -> Iterator[Node]:
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            inline = tokens[i + 1]
            yield TextNode("heading", inline.content, tok.map[0], int(tok.tag[1]))
            i += 3
        elif kind == "paragraph_open":
            yield TextNode("paragraph", tokens[i + 1].content, tok.map[0])
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            node, i = _list_node(tokens, i, notes)
            yield node
        elif kind == "table_open":
            node, i = _table_node(tokens, i, notes)
            yield node
        elif kind in ("code_block", "fence"):
            notes.warn("code-block", "indented or fenced text is a code block in Markdown; "
                       "it is read as a paragraph", notes.at(tok.map[0]),
                       "remove the indentation (4 spaces or a tab) or the ``` fence")
            yield TextNode("paragraph", tok.content, tok.map[0] + (kind == "fence"))
            i += 1
        elif kind == "blockquote_open":
            notes.warn("block-quote", "a block quote is read as ordinary text",
                       notes.at(tok.map[0], 1), "remove the '>'")
            i += 1
        elif kind == "hr":
            yield TextNode("break", "", tok.map[0])
            i += 1
        else:  # blockquote_close and anything this format has no use for
            i += 1


def _list_node(tokens: list[Any], i: int, notes: NotesSource) -> tuple[ListNode, int]:
    opener = tokens[i]
    node = ListNode(opener.type == "ordered_list_open", opener.map[0])
    close = opener.type.replace("_open", "_close")
    i += 1
    item: ListItemNode | None = None
    while tokens[i].type != close:
        tok = tokens[i]
        if tok.type == "list_item_open":
            item = ListItemNode(tok.map[0], tok.info)
            node.items.append(item)
            i += 1
        elif item is None or tok.type == "list_item_close":
            i += 1
        elif tok.type in ("paragraph_open", "heading_open"):
            item.texts.append(TextNode("paragraph", tokens[i + 1].content, tok.map[0]))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            child, i = _list_node(tokens, i, notes)
            item.lists.append(child)
        elif tok.type in ("code_block", "fence"):
            item.texts.append(TextNode("paragraph", tok.content, tok.map[0]))
            i += 1
        elif tok.type == "table_open":
            notes.fail("table-in-list", "a table inside a list item cannot be read",
                       notes.at(tok.map[0]),
                       "start the table at the beginning of a line, after a blank line")
            while tokens[i].type != "table_close":
                i += 1
            i += 1
        else:
            i += 1
    return node, i + 1


def _table_node(tokens: list[Any], i: int, notes: NotesSource) -> tuple[TableNode, int]:
    from markdown_it.rules_block.table import escapedSplit

    opener = tokens[i]
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    header_line = opener.map[0]
    i += 1
    in_head = True
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tbody_open":
            in_head = False
        elif tok.type == "tr_open" and not in_head:
            rows.append((tok.map[0], []))
        elif tok.type == "inline":
            (header if in_head else rows[-1][1]).append(tok.content)
        i += 1
    for line, _row in rows:
        raw = escapedSplit(notes.lines[line].strip())
        if raw and raw[0].strip() == "":
            raw.pop(0)
        if raw and raw[-1].strip() == "":
            raw.pop()
        if len(raw) > len(header):
            notes.fail("table-row", f"this row has {n_cells(len(raw))} but the table has "
                       f"{len(header)} columns; the extra cells would be lost",
                       notes.at(line), "give every row one cell per column")
        elif len(raw) < len(header):
            notes.warn("table-row", f"this row has {n_cells(len(raw))} but the table has "
                       f"{len(header)} columns; the missing cells are read as empty",
                       notes.at(line), "give every row one cell per column, empty ones "
                       "as '| |'")
    return TableNode(opener.map[0], header, header_line, rows), i + 1


def n_cells(n: int) -> str:
    return "1 cell" if n == 1 else f"{n} cells"
