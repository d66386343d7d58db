"""The Markdown notes format: its grammar, and the reader's implementation.

:mod:`gfmdreport.formats.markdown.reader` (the reader plugin) and
:mod:`gfmdreport.formats.markdown.writer` (the writer plugin) import this module only
when notes are read or written, so that loading the plugins stays cheap.

The escapes
-----------

Texts are CommonMark inline source and are written as they are, except where the block
parser or the notes conventions would read them as something else. There the writer adds
one backslash, and the reader removes exactly that backslash again:

- a text that would start a block construct (``# …``, ``- …``, ``> …``, a fence, a
  thematic break, a link reference definition) gets a backslash before its first
  character; ``1. …`` becomes ``1\\. …`` and ``a) …`` ``a\\) …`` (a lettered line);
- a heading or paragraph that would read as a guiding question (``Question 2: …``) gets
  its colon escaped, and a heading ending in ``#`` (a closing sequence) its ``#`` run;
- ``<`` where it would open raw HTML (``<b>``, ``</b>``, ``<!--``, which opens a comment in
  the notes) is written ``\\<``: the model holds such text as text, and so do other
  Markdown tools then. Autolinks (``<https://…>``) are left as they are.

Each escape is a CommonMark backslash escape of an ASCII punctuation character, so other
Markdown tools render the text as the model means it. Where the text already has
backslashes at that place, one more is added, so escaping is always reversible.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from gfmdreport import limits
from gfmdreport.diagnostics import Diagnostic, InputError, Location, Severity, error, warning
from gfmdreport.model import (
    Block,
    Column,
    Heading,
    Item,
    Paragraph,
    Question,
    SessionSummary,
    SummaryTable,
)
from gfmdreport.recognize.dates import When, parse_date_line
from gfmdreport.typography import collapse_space

# ---- the escapes, and their exact inverses -----------------------------------------------
# Each pattern finds the run of backslashes ("bs") where one is added; the reader's twin
# pattern, identical but for ``\\+``, finds the run where one is removed.

_LEADING_TAIL = (
    r"(?=\#{1,6}(?:[ \t]|$)"          # ATX heading
    r"|>"                              # block quote
    r"|[-+*](?:[ \t]|$)"               # bullet list item
    r"|`{3}|~{3}"                      # code fence
    r"|(?:[-*_][ \t]*){3,}$"           # thematic break
    r"|\[(?:[^\[\]\\]|\\.)*\]:)"       # link reference definition
)
_LEADING = re.compile(r"^(?P<bs>\\*)" + _LEADING_TAIL)
_LEADING_BACK = re.compile(r"^(?P<bs>\\+)" + _LEADING_TAIL)
_ORDERED = re.compile(r"^(?P<pre>[0-9]{1,9})(?P<bs>\\*)(?=[.)](?:[ \t]|$))")
_ORDERED_BACK = re.compile(r"^(?P<pre>[0-9]{1,9})(?P<bs>\\+)(?=[.)](?:[ \t]|$))")
# A paragraph typed as "a) …" continues the lettered list of the paragraph before it. Only
# a single letter does (a) … z)), so "Mr.", "Ms.", "Dr." or "MM." opening a paragraph are
# text, and are written without an escape.
_LETTERED = re.compile(r"^(?P<pre>\(?[a-z])(?P<bs>\\*)(?=[.)](?:[ \t]|$))", re.IGNORECASE)
_LETTERED_BACK = re.compile(r"^(?P<pre>\(?[a-z])(?P<bs>\\+)(?=[.)](?:[ \t]|$))",
                            re.IGNORECASE)
# what opens raw HTML (a tag, a closing tag, a comment, a declaration, an instruction),
# never an autolink such as <https://…> or <name@example.org>
_HTML_START = r"(?=<(?:[A-Za-z][A-Za-z0-9-]*(?:[ \t/>]|$)|/[A-Za-z]|!|\?))"
_HTML_ESCAPE = re.compile(r"(?P<bs>\\*)" + _HTML_START)
_HTML_ESCAPE_BACK = re.compile(r"(?P<bs>\\+)" + _HTML_START)
_CLOSING = re.compile(r"(?P<pre>^|[ \t])(?P<bs>\\*)(?=#+$)")
_CLOSING_BACK = re.compile(r"(?P<pre>^|[ \t])(?P<bs>\\+)(?=#+$)")
QUESTION_WORDS = r"(?:question|pregunta)"
"""The words a guiding-question heading starts with (English and French, Spanish)."""
_QUESTIONISH = re.compile(r"^(?P<pre>" + QUESTION_WORDS + r"\s*(?:[0-9]+)?\s*)(?P<bs>\\*)(?=:)",
                          re.IGNORECASE)
_QUESTIONISH_BACK = re.compile(r"^(?P<pre>" + QUESTION_WORDS +
                               r"\s*(?:[0-9]+)?\s*)(?P<bs>\\+)(?=:)", re.IGNORECASE)


def _add(match: re.Match[str]) -> str:
    return (match.groupdict().get("pre") or "") + "\\" + match.group("bs")


def _remove(match: re.Match[str]) -> str:
    return (match.groupdict().get("pre") or "") + match.group("bs")[1:]


def _flat(text: str) -> str:
    return " ".join(text.split("\n")).strip()


def escape_text(text: str) -> str:
    """Escape what would open raw HTML (a comment in the notes) anywhere in a text."""
    return _HTML_ESCAPE.sub(_add, text) if "<" in text else text


def unescape_text(text: str) -> str:
    """The inverse of :func:`escape_text`."""
    return _HTML_ESCAPE_BACK.sub(_remove, text) if "<" in text else text


def escape_block(text: str) -> str:
    """A text written where a block starts (a paragraph, a list item): flatten line
    breaks and escape what would start another block construct."""
    text = escape_text(_flat(text))
    text = _LEADING.sub(_add, text, count=1)
    text = _ORDERED.sub(_add, text, count=1)
    text = _LETTERED.sub(_add, text, count=1)
    return _QUESTIONISH.sub(_add, text, count=1)


def unescape_block(text: str) -> str:
    """The inverse of :func:`escape_block` (line breaks apart)."""
    text = _QUESTIONISH_BACK.sub(_remove, text, count=1)
    text = _LETTERED_BACK.sub(_remove, text, count=1)
    text = _ORDERED_BACK.sub(_remove, text, count=1)
    text = _LEADING_BACK.sub(_remove, text, count=1)
    return unescape_text(text)


def escape_heading(text: str, question_like: bool = True) -> str:
    """A text written as heading content: a closing ``#`` sequence is escaped and, for
    headings that are not questions, a colon that would make one."""
    text = escape_text(_flat(text))
    if question_like:
        text = _QUESTIONISH.sub(_add, text, count=1)
    return _CLOSING.sub(_add, text, count=1)


def unescape_heading(text: str, question_like: bool = True) -> str:
    """The inverse of :func:`escape_heading`."""
    text = _CLOSING_BACK.sub(_remove, text, count=1)
    if question_like:
        text = _QUESTIONISH_BACK.sub(_remove, text, count=1)
    return unescape_text(text)


def letter(i: int) -> str:
    """The letter of the ``i``-th item (from 0): a … z, aa, ab, …"""
    out = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


# ---- the reader ------------------------------------------------------------------------------

MAX_NESTING = 100
"""Block nesting markdown-it is allowed (a list inside a list item counts two)."""

_QUESTION = re.compile(r"^" + QUESTION_WORDS + r"\s*(?P<number>[0-9]+)?\s*:\s*(?P<text>.*)$",
                       re.IGNORECASE | re.DOTALL)
_QUESTION_NO_COLON = re.compile(r"^" + QUESTION_WORDS + r"\s*[0-9]+\b(?!\s*\\+:)", re.IGNORECASE)
_LETTER = re.compile(r"^(?P<marker>\(?(?P<letter>[a-z]{1,3})[.)])(?:[ \t]+|$)", re.IGNORECASE)
_HARD_BREAK = re.compile(r"(?<!\\)((?:\\\\)*)\\(?=\n)")
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<![A-Za-z\[]|<\?[A-Za-z]")
_CELL_SPLIT = re.compile(r"<br\s*/?>|•", re.IGNORECASE)
_CELL_BULLET = re.compile(r"^[-*+][ \t]+")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_BLOCK_START = re.compile(r"^[ \t>]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]|^[ \t]*#{1,6}[ \t]|"
                          r"(?<=\n\n)[ \t]*[^\s]", re.MULTILINE)
"""A line that starts a list item, a heading, or a paragraph after a blank line: the
notes hold at least about as many blocks and items as such lines."""
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


_clean = collapse_space  # as the interchange format: no-break spaces are kept


def _inline(content: str) -> str:
    """Inline source of a block's content: soft-wrapped lines joined, hard breaks
    dropped (the model holds one line per text)."""
    if "\n" in content and "\\" in content:
        content = _HARD_BREAK.sub(r"\1", content)
    return _clean(content)


@lru_cache(maxsize=2)
def _parser(nesting: int = MAX_NESTING) -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": nesting})
    md.enable("table")
    md.disable(["inline", "text_join"])  # texts stay source; gfmdreport.inline parses them
    return md


# ---- the block tree (a light view of markdown-it's token stream) ---------------------------

@dataclass
class _Text:
    """A heading, paragraph or code block: its content and first line (0-based)."""

    kind: str
    content: str
    line: int
    level: int = 0


@dataclass
class _ListItem:
    line: int
    number: str
    texts: list[_Text] = field(default_factory=list)
    lists: list[_List] = field(default_factory=list)


@dataclass
class _List:
    ordered: bool
    line: int
    items: list[_ListItem] = field(default_factory=list)


@dataclass
class _Table:
    line: int
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]


Node = _Text | _List | _Table


# ---- builders of the model's blocks ----------------------------------------------------

@dataclass
class _Para:
    text: str
    loc: Location
    items: list[Item] = field(default_factory=list)


@dataclass
class _Quest:
    number: int
    text: str
    loc: Location
    takeaways: list[Item] = field(default_factory=list)


@dataclass
class _Col:
    heading: str
    loc: Location
    items: list[Item] = field(default_factory=list)


@dataclass
class _Tab:
    loc: Location
    columns: list[_Col] = field(default_factory=list)


class NotesReader:
    """Reads one notes file: ``NotesReader(text, path).read()``."""

    def __init__(self, text: str, path: str | None):
        if text.startswith("\ufeff"):
            text = text[1:]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.path = path
        self.problems: list[Diagnostic] = []
        self.lines: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def at(self, line: int, column: int | None = None) -> Location:
        """The location of 0-based ``line``; the column of its first character unless
        given."""
        if column is None:
            text = self.lines[line] if 0 <= line < len(self.lines) else ""
            column = len(text) - len(text.lstrip(" \t>")) + 1
        return Location(self.path, line + 1, column)

    def warn(self, rule: str, message: str, where: Location, hint: str | None = None) -> None:
        self.problems.append(warning(rule, message, where, hint))

    def fail(self, rule: str, message: str, where: Location, hint: str | None = None) -> None:
        self.problems.append(error(rule, message, where, hint))

    # -- the whole file --------------------------------------------------------------------
    def read(self) -> SessionSummary:
        meta, given, body = self.front_matter()
        self.lines = body.split("\n")
        body = self.strip_comments(body)
        starts = len(_BLOCK_START.findall(body))
        if starts > limits.BLOCKS.value():  # refused before the (slower) Markdown parse
            raise InputError([limits.BLOCKS.diagnostic(
                starts, "the notes start", Location(self.path))])
        env: dict[str, Any] = {}
        nesting = max(MAX_NESTING, 2 * limits.DEPTH.value() + 40)
        tokens = _parser(nesting).parse(body, env)
        # markdown-it stops reading deeper than its maxNesting: never lose text silently
        deep = next((t for t in tokens if t.level >= nesting - 2 and t.map), None)
        if deep is not None:
            self.problems.append(limits.DEPTH.diagnostic(
                None, "the notes are nested", self.at(deep.map[0])))
        self.link_definitions(env)
        nodes = list(self.nodes(tokens))
        header, nodes = self.header(nodes, meta, given)
        blocks = self.blocks(nodes)
        errors = [d for d in self.problems if d.severity is Severity.ERROR]
        if errors:
            raise InputError(self.problems)
        diagnostics = tuple(sorted(self.problems, key=lambda d: d.sort_key))
        return replace(meta, body=tuple(blocks), diagnostics=diagnostics, **header)

    def front_matter(self) -> tuple[SessionSummary, set[str], str]:
        """The metadata from the front matter (through the interchange reader, so its
        problems are reported as the YAML reader's are), the keys it gives, and the
        body with the front matter's lines blanked out (lines keep their numbers)."""
        text = self.text
        first = text.split("\n", 1)[0]
        if first.rstrip() != "---":
            return SessionSummary(source=self.path), set(), text
        end = _FRONT_MATTER_END.search(text, len(first) + 1)
        if end is None:
            raise InputError.single(
                "front-matter", "the front matter opened here is never closed",
                Location(self.path, 1, 1),
                "end it with a line '---', or remove the first line if it is not front "
                "matter")
        yaml_text = text[:end.start()]
        after = text.find("\n", end.start())
        body = "\n" * (yaml_text.count("\n") + 1) + (text[after + 1:] if after >= 0 else "")
        meta, given = self.metadata(yaml_text)
        return meta, given, body

    def metadata(self, yaml_text: str) -> tuple[SessionSummary, set[str]]:
        """The metadata of the front matter (``---`` and the YAML under it) and the
        keys it gives; its problems go with the others."""
        from gfmdreport.formats.interchange.shape import compose_yaml, parse_data

        empty = SessionSummary(source=self.path), set[str]()
        try:
            located = compose_yaml(yaml_text, self.path)
        except InputError as exc:
            if [d.rule for d in exc.diagnostics] != ["empty"]:
                self.problems.extend(exc.diagnostics)
            return empty
        if located.data is None:  # '---' right under '---'
            return empty
        if not isinstance(located.data, dict):
            from gfmdreport.formats.interchange.schema import describe

            self.fail("front-matter", f"the front matter must be a mapping of keys (title, "
                      f"session, date, …), not {describe(located.data)}",
                      located.locate(()), "write one 'key: value' per line")
            return empty
        if "body" in located.data:
            self.fail("front-matter", "the front matter holds only the metadata",
                      located.locate(("body",), True),
                      "write the body as Markdown below the closing '---'")
            return empty
        given = set(located.data)
        located.data["body"] = []
        try:
            return parse_data(located), given
        except InputError as exc:
            self.problems.extend(exc.diagnostics)
            return empty

    def strip_comments(self, body: str) -> str:
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
                self.warn("comment", "this comment is never closed; it is kept as text",
                          self.at(line, start - body.rfind("\n", 0, start)),
                          "end it with '-->'")
                break
            parts.append(body[done:start])
            parts.append("\n" * body.count("\n", start, end))
            pos = done = end + 3
        parts.append(body[done:])
        return "".join(parts)

    def link_definitions(self, env: dict[str, Any]) -> None:
        refs = list((env.get("references") or {}).items())
        refs += [(d["label"], d) for d in env.get("duplicate_refs", ())]
        for label, ref in refs:
            line = (ref.get("map") or [0])[0]
            typed = re.match(r"\s*\[((?:[^\]\\]|\\.)*)\]", self.lines[line])
            label = typed.group(1) if typed else label
            self.warn("link-definition", f"link definitions such as [{label}]: … are not "
                      "supported; the links that use them stay plain text", self.at(line),
                      "write each link in place: [text](https://…)")

    # -- tokens → nodes -------------------------------------------------------------------
    def nodes(self, tokens: list[Any]) -> Iterator[Node]:
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            kind = tok.type
            if kind == "heading_open":
                inline = tokens[i + 1]
                yield _Text("heading", inline.content, tok.map[0], int(tok.tag[1]))
                i += 3
            elif kind == "paragraph_open":
                yield _Text("paragraph", tokens[i + 1].content, tok.map[0])
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                node, i = self.list_node(tokens, i)
                yield node
            elif kind == "table_open":
                node, i = self.table_node(tokens, i)
                yield node
            elif kind in ("code_block", "fence"):
                self.warn("code-block", "indented or fenced text is a code block in Markdown; "
                          "it is read as a paragraph", self.at(tok.map[0]),
                          "remove the indentation (4 spaces or a tab) or the ``` fence")
                yield _Text("paragraph", tok.content, tok.map[0] + (kind == "fence"))
                i += 1
            elif kind == "blockquote_open":
                self.warn("block-quote", "a block quote is read as ordinary text",
                          self.at(tok.map[0], 1), "remove the '>'")
                i += 1
            elif kind == "hr":
                yield _Text("break", "", tok.map[0])
                i += 1
            else:  # blockquote_close and anything this format has no use for
                i += 1

    def list_node(self, tokens: list[Any], i: int) -> tuple[_List, int]:
        opener = tokens[i]
        node = _List(opener.type == "ordered_list_open", opener.map[0])
        close = opener.type.replace("_open", "_close")
        i += 1
        item: _ListItem | None = None
        while tokens[i].type != close:
            tok = tokens[i]
            if tok.type == "list_item_open":
                item = _ListItem(tok.map[0], tok.info)
                node.items.append(item)
                i += 1
            elif item is None or tok.type == "list_item_close":
                i += 1
            elif tok.type in ("paragraph_open", "heading_open"):
                item.texts.append(_Text("paragraph", tokens[i + 1].content, tok.map[0]))
                i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                child, i = self.list_node(tokens, i)
                item.lists.append(child)
            elif tok.type in ("code_block", "fence"):
                item.texts.append(_Text("paragraph", tok.content, tok.map[0]))
                i += 1
            elif tok.type == "table_open":
                self.fail("table-in-list", "a table inside a list item cannot be read",
                          self.at(tok.map[0]),
                          "start the table at the beginning of a line, after a blank line")
                while tokens[i].type != "table_close":
                    i += 1
                i += 1
            else:
                i += 1
        return node, i + 1

    def table_node(self, tokens: list[Any], i: int) -> tuple[_Table, int]:
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
            raw = escapedSplit(self.lines[line].strip())
            if raw and raw[0].strip() == "":
                raw.pop(0)
            if raw and raw[-1].strip() == "":
                raw.pop()
            if len(raw) > len(header):
                self.fail("table-row", f"this row has {_cells(len(raw))} but the table has "
                          f"{len(header)} columns; the extra cells would be lost",
                          self.at(line), "give every row one cell per column")
            elif len(raw) < len(header):
                self.warn("table-row", f"this row has {_cells(len(raw))} but the table has "
                          f"{len(header)} columns; the missing cells are read as empty",
                          self.at(line), "give every row one cell per column, empty ones "
                          "as '| |'")
        return _Table(opener.map[0], header, header_line, rows), i + 1

    # -- the metadata header ----------------------------------------------------------------
    def header(self, nodes: list[Node], meta: SessionSummary,
               given: set[str]) -> tuple[dict[str, Any], list[Node]]:
        """Title, session, date, time and venue from a ``# Title`` first line and the
        lines under it; the front matter wins where both give a value."""
        first = nodes[0] if nodes else None
        if not (isinstance(first, _Text) and first.kind == "heading" and first.level == 1
                and not _QUESTION.match(_clean(first.content))):
            return {}, nodes
        from gfmdreport.inline import plain

        found: dict[str, tuple[str, Location]] = {
            "title": (plain(_clean(first.content)), self.at(first.line, 3))}
        used = 1
        nxt = nodes[1:3]

        def date_line(node: Node) -> tuple[list[str], When | None, int]:
            if not (isinstance(node, _Text) and node.kind == "paragraph"):
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
                    found["session"] = (plain(_clean(" ".join(before))), self.at(nxt[0].line))
            elif len(nxt) == 2 and isinstance(nxt[0], _Text) and (
                    nxt[0].kind == "paragraph" or (nxt[0].level == 2 and not _QUESTION.match(
                        _clean(nxt[0].content)))):
                before, date, date_at = date_line(nxt[1])
                if date and not before:
                    used = 3
                    found["session"] = (plain(_clean(nxt[0].content)), self.at(nxt[0].line))
                else:
                    date = None
        language = None
        if date:
            found["date"] = (date.date, self.at(date_at, date.at["date"] + 1))
            if date.time:
                found["time"] = (date.time, self.at(date_at, date.at["time"] + 1))
            if date.venue:
                found["venue"] = (plain(date.venue), self.at(date_at, date.at["venue"] + 1))
            language = date.language
        updates: dict[str, Any] = {}
        locations = dict(meta.locations)
        current = {"title": meta.title, "session": meta.session, "date": meta.date,
                   "time": meta.time, "venue": meta.venue}
        for key, (value, where) in found.items():
            if key in given:
                if _clean(str(current[key])) != value:
                    self.warn("header", f"the {key} here differs from the front matter's; the "
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
            if isinstance(node, _Text) and node.kind == "heading":
                self.heading(node, following)
            elif isinstance(node, _Text) and node.kind == "paragraph":
                self.table = None
                self.paragraph(node.content, node.line)
            elif isinstance(node, _Text):  # a thematic break ends what came before
                self.table = self.owner = None
            elif isinstance(node, _Table):
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
        self.owner = _Quest(number, text, where)
        self.out.append(self.owner)
        self.check_html(text, where)

    def heading(self, node: _Text, following: Node | None) -> None:
        content = _clean(node.content)
        where = self.at(node.line)
        q = _QUESTION.match(content)
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
        if node.level == 2 and isinstance(following, _Table):
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
                      f"{_cells(len(heads))} and the line under it {len(delims)}", where,
                      "give the '---' line one cell per column")
        if number is None:
            q = _QUESTION.match(_clean(content))
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

    def list_into(self, node: _List) -> None:
        owner = self.owner
        if isinstance(owner, _Quest) and not (node.ordered and owner.takeaways):
            owner.takeaways.extend(self.items(node))
        elif isinstance(owner, _Col):
            owner.items.extend(self.items(node))
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

    def lettered(self, node: _List, para: _Para, quiet: bool = False) -> list[Item]:
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

    def items(self, node: _List) -> list[Item]:
        return [Item(unescape_block(self.item_text(item)), self.nested(item),
                     self.at(item.line)) for item in node.items]

    def nested(self, item: _ListItem) -> tuple[Item, ...]:
        out: list[Item] = []
        for child in item.lists:
            out.extend(self.items(child))
        return tuple(out)

    def joined(self, item: _ListItem) -> list[str]:
        """The contents of an item's paragraphs; more than one is worth a warning."""
        if len(item.texts) > 1:
            self.warn("joined-item", "this list item has several paragraphs; they are joined "
                      "into one", self.at(item.texts[1].line),
                      "make each point its own item, or remove the blank line")
        return [t.content for t in item.texts]

    def item_text(self, item: _ListItem) -> str:
        text = " ".join(_inline(t) for t in self.joined(item))
        if item.texts:
            self.check_html(text, self.at(item.texts[0].line))
        return text

    def pipe_columns(self, node: _Table) -> list[_Col]:
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
            return Question(block.number, block.text, tuple(block.takeaways), block.loc)
        if isinstance(block, _Tab):
            return SummaryTable(tuple(Column(c.heading, tuple(c.items), c.loc)
                                      for c in block.columns), block.loc)
        return block


def _cells(n: int) -> str:
    return "1 cell" if n == 1 else f"{n} cells"


def _is_column(node: Node | None) -> bool:
    return (isinstance(node, _Text) and node.kind == "heading" and node.level == 3
            and not _QUESTION.match(_clean(node.content)))
