"""Inline markup: CommonMark inline source parsed once, with markdown-it-py, into a small
tree that every writer walks the same way.

Only what the genre uses is kept: text, bold, italic, links, code spans and line breaks.
Raw HTML is disabled, so ``<script>`` in a note stays text. Anything else markdown-it
produces inline (images, say) degrades to its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple[Node, ...]
    title: str = ""


Node = Text | Code | LineBreak | Strong | Emphasis | Link


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with uniform formatting: the flat view Word writers want."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    line_break: bool = False


LINK_SCHEMES = ("http", "https", "mailto")
"""The schemes of links a writer prints as links: the one link policy of every format."""
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def link_target(href: str) -> str | None:
    """The link policy every writer applies: the target to write for a link of the
    notes, or ``None`` when the link is to be printed as its text (with a warning).
    Only full ``http:``, ``https:`` and ``mailto:`` addresses are kept: no relative
    paths, no in-document anchors, no other schemes (``javascript:``, ``file:``,
    ``ftp:`` …)."""
    href = href.strip()
    m = _SCHEME.match(href)
    return href if m is not None and m.group(1).lower() in LINK_SCHEMES else None


MAX_NESTING = 32
"""Emphasis and links nested deeper than this keep their text, not their formatting
(so that no reader or writer walks thousands of levels)."""


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image"], ignoreInvalid=True)
    # Every link of the notes is parsed as a link, whatever its scheme: link_target is
    # the one policy that decides what a writer may link to, and a writer says when it
    # keeps only the text (markdown-it's own check would leave `[x](javascript:…)` as
    # raw brackets in the report, with no word said).
    md.validateLink = lambda url: True
    return md


@lru_cache(maxsize=4096)
def parse(source: str) -> tuple[Node, ...]:
    """Parse inline source into a tuple of nodes (cached: the model is immutable)."""
    if not source:
        return ()
    tokens = _parser().parseInline(source)
    children = tokens[0].children or [] if tokens else []
    stack: list[tuple[str, list[Node], dict[str, str]]] = [("root", [], {})]
    for tok in children:
        kind = tok.type
        if kind == "text":
            _append_text(stack[-1][1], tok.content)
        elif kind == "code_inline":
            stack[-1][1].append(Code(tok.content))
        elif kind == "softbreak":
            _append_text(stack[-1][1], " ")
        elif kind == "hardbreak":
            stack[-1][1].append(LineBreak())
        elif kind.endswith("_open"):
            attrs = {k: str(v) for k, v in (tok.attrs or {}).items()}
            # emphasis nested past any visible meaning (****…x…****) keeps its text only
            name = kind[:-5] if len(stack) <= MAX_NESTING else "deeper"
            stack.append((name, [], attrs))
        elif kind.endswith("_close") and len(stack) > 1:
            name, nodes, attrs = stack.pop()
            _close(stack[-1][1], name, tuple(nodes), attrs)
        else:  # html_inline (disabled), images, anything unexpected: keep the text
            _append_text(stack[-1][1], tok.content)
    while len(stack) > 1:  # unbalanced: fold into the parent
        name, nodes, attrs = stack.pop()
        _close(stack[-1][1], name, tuple(nodes), attrs)
    return tuple(stack[0][1])


def _append_text(nodes: list[Node], text: str) -> None:
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text + text)
    elif text:
        nodes.append(Text(text))


def _close(into: list[Node], name: str, nodes: tuple[Node, ...], attrs: dict[str, str]) -> None:
    if name == "strong":
        into.append(Strong(nodes))
    elif name == "em":
        into.append(Emphasis(nodes))
    elif name == "link":
        into.append(Link(attrs.get("href", ""), nodes, attrs.get("title", "")))
    else:  # markup this model does not know keeps its content
        for node in nodes:
            _append_text(into, node.text) if isinstance(node, Text) else into.append(node)


def runs(source: str) -> list[Run]:
    """The inline source as a flat list of formatted runs."""
    out: list[Run] = []

    def walk(nodes: tuple[Node, ...], bold: bool, italic: bool, href: str | None) -> None:
        for node in nodes:
            if isinstance(node, Text):
                out.append(Run(node.text, bold, italic, False, href))
            elif isinstance(node, Code):
                out.append(Run(node.text, bold, italic, True, href))
            elif isinstance(node, LineBreak):
                out.append(Run("", bold, italic, False, href, line_break=True))
            elif isinstance(node, Strong):
                walk(node.children, True, italic, href)
            elif isinstance(node, Emphasis):
                walk(node.children, bold, True, href)
            elif isinstance(node, Link):
                walk(node.children, bold, italic, node.href)

    walk(parse(source), False, False, None)
    return out


def plain(source: str) -> str:
    """The text without markup, as a reader would see it."""
    return "".join(_plain(parse(source)))


def _plain(nodes: tuple[Node, ...]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, (Text, Code)):
            yield node.text
        elif isinstance(node, LineBreak):
            yield "\n"
        else:
            yield from _plain(node.children)


def links(source: str) -> list[str]:
    """Every link target in the inline source."""
    found: list[str] = []

    def walk(nodes: tuple[Node, ...]) -> None:
        for node in nodes:
            if isinstance(node, Link):
                found.append(node.href)
            if isinstance(node, (Strong, Emphasis, Link)):
                walk(node.children)

    walk(parse(source))
    return found
