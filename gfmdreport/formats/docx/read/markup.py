"""Formatted text from a Word document as CommonMark inline source, the model's text.

Bold becomes ``**…**``, italic ``*…*``, inline code a code span and a hyperlink
``[text](target)``; every other character Markdown would read as markup is escaped, so
that :func:`gfmdreport.inline.plain` gives back the document's text. Each result is
checked by parsing it again; formatting that cannot be written so that it parses back
(say bold that ends inside a word after a full stop) is dropped, the text kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.normalize_url import validateLink

from gfmdreport.formats.docx.read.document import Piece
from gfmdreport.formats.docx.text import runs_once
from gfmdreport.inline import Run

# Runs of white space collapse to one space, except the no-break spaces French
# typography puts before : ; ? ! (as the interchange format does).
_WS = re.compile(r"[^\S\u00a0\u2007\u202f]+")
_SPECIAL = re.compile(r"([\\`*_\[\]<>])|&(?=#?\w+;)")
_URL_UNSAFE = re.compile(r"[\s<>]")

Style = tuple[bool, bool, bool, str | None]


def squeeze(text: str) -> str:
    """Runs of white space as one space, trimmed; no-break spaces kept (as the
    interchange format does)."""
    return _WS.sub(" ", text).strip()


def escape(text: str) -> str:
    """Text as inline source that reads back as the same characters."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


_NEEDS_ESCAPE = re.compile(r"[\\`*\[\]]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])"
                           r"|&(?=#?\w+;)")
"""What inline source must escape in a stretch of text to read back as its characters:
backslashes, backticks, asterisks and brackets; an underscore unless letters or digits
are on both sides of it (such a one never starts or ends emphasis); a ``<`` that could
open a tag or an autolink; an ``&`` that would make an entity."""


def escape_text(text: str) -> str:
    """Text as inline source that reads back as the same characters, escaping only what
    must be (``São #``, ``a_b``, ``x > y`` stay as they are)."""
    return _NEEDS_ESCAPE.sub(lambda m: "\\" + m.group(0), text)


def normalize(pieces: Iterable[Piece]) -> list[Piece]:
    """Pieces with white space collapsed across them (line breaks and tabs become
    spaces), trimmed at both ends, and neighbours of the same formatting merged.

    A space that starts a piece joins the piece before it (so spaces never begin a
    bold or italic stretch); the spaces at the edges of code go outside it.
    """
    out: list[list] = []
    for piece in pieces:
        text = _WS.sub(" ", piece.text)
        if not text:
            continue
        style = piece.style
        if piece.code and (text[0] == " " or text[-1] == " ") and text.strip(" "):
            space = (False, False, False, piece.href)
            core = text.strip(" ")
            parts = [(" " if text[0] == " " else "", space), (core, style),
                     (" " if text[-1] == " " else "", space)]
        else:
            parts = [(text, style)]
        for part, part_style in parts:
            if not part:
                continue
            if part[0] == " " and out:
                last = out[-1]
                if last[0].endswith(" "):
                    part = part[1:]
                elif last[1][3] == part_style[3] and not last[1][2]:
                    last[0] += " "
                    part = part[1:]
                if not part:
                    continue
            if out and out[-1][1] == part_style:
                out[-1][0] += part
            else:
                out.append([part, part_style])
    while out and not out[0][0].lstrip(" "):
        out.pop(0)
    while out and not out[-1][0].rstrip(" "):
        out.pop()
    if out:
        out[0][0] = out[0][0].lstrip(" ")
        out[-1][0] = out[-1][0].rstrip(" ")
    return [Piece(text, *style) for text, style in out]


def strip_prefix(pieces: Sequence[Piece], count: int) -> list[Piece]:
    """The pieces without their first ``count`` characters (a typed "1." or
    "Question 2:")."""
    out: list[Piece] = []
    for piece in pieces:
        if count >= len(piece.text):
            count -= len(piece.text)
            continue
        out.append(Piece(piece.text[count:], *piece.style) if count else piece)
        count = 0
    return out


def linkable(pieces: Iterable[Piece]) -> tuple[list[Piece], bool]:
    """The pieces normalized, with link targets as Markdown keeps them (encoded), and
    whether a link had to be left out (a target Markdown does not link to, such as
    ``file:``)."""
    dropped = False
    linked = []
    for piece in normalize(pieces):
        href = piece.href
        if href is not None:
            href = normalizeLink(href) if validateLink(href) else None
            dropped = dropped or href is None
        linked.append(Piece(piece.text, piece.bold, piece.italic, piece.code, href))
    return normalize(linked), dropped


def to_source(pieces: Sequence[Piece]) -> tuple[str, bool]:
    """Inline source for the pieces, and whether some formatting had to be dropped."""
    pieces, dropped = linkable(pieces)
    wanted = key(pieces)
    for strategy in (_nested, _flat):
        source = strategy(pieces)
        if comparable(source) == wanted:
            return source, dropped
    plain = normalize(Piece(p.text, href=p.href) for p in pieces)
    source = _nested(plain)
    if comparable(source) == key(plain):
        return source, True
    return escape("".join(p.text for p in pieces)), True


# ---- parsing, once per document ----------------------------------------------------------

class _Memo:
    """What reading one document has parsed of inline source: each text's runs and its
    comparable form, kept until the document is read (not in the process-wide parse
    cache, which a big document outgrows and whose other users it would crowd out)."""

    def __init__(self) -> None:
        self.runs: dict[str, tuple[Run, ...]] = {}
        self.comparable: dict[str, tuple] = {}


MEMO_TEXT = 20_000
"""Texts longer than this are parsed each time they are needed, not kept."""
_memo: ContextVar[_Memo | None] = ContextVar("gfmdreport_docx_memo", default=None)


@contextmanager
def inline_memo() -> Iterator[None]:
    """Within the block, inline source is parsed once (reading one document)."""
    token = _memo.set(_Memo())
    try:
        yield
    finally:
        _memo.reset(token)


def source_runs(source: str) -> tuple[Run, ...]:
    """The runs of inline source (:func:`gfmdreport.inline.runs`), parsed once per
    document."""
    memo = _memo.get()
    found = memo.runs.get(source) if memo is not None else None
    if found is None:
        found = tuple(runs_once(source))
        if memo is not None and len(source) <= MEMO_TEXT:
            memo.runs[source] = found
    return found


def plain_text(source: str) -> str:
    """The text of inline source without markup (:func:`gfmdreport.inline.plain`)."""
    return "".join("\n" if r.line_break else r.text for r in source_runs(source))


def comparable(source: str) -> tuple[tuple[str, Style], ...]:
    """What a reader sees of inline source: its text and formatting, runs merged and
    white space collapsed (the form both sides of a comparison are put in)."""
    memo = _memo.get()
    found = memo.comparable.get(source) if memo is not None else None
    if found is None:
        found = key(_pieces(source_runs(source)))
        if memo is not None and len(source) <= MEMO_TEXT:
            memo.comparable[source] = found
    return found


def key(pieces: Sequence[Piece]) -> tuple[tuple[str, Style], ...]:
    """The pieces in the form :func:`comparable` gives."""
    return tuple((p.text, p.style) for p in normalize(pieces))


def _pieces(found: Iterable[Run]) -> list[Piece]:
    return [Piece(" " if r.line_break else r.text, r.bold, r.italic, r.code, r.href)
            for r in found]


# ---- writing ------------------------------------------------------------------------

def _groups(pieces: Sequence[Piece], by) -> list[tuple[object, list[Piece]]]:
    groups: list[tuple[object, list[Piece]]] = []
    for piece in pieces:
        k = by(piece)
        if groups and groups[-1][0] == k:
            groups[-1][1].append(piece)
        else:
            groups.append((k, [piece]))
    return groups


def _nested(pieces: Sequence[Piece]) -> str:
    """Links outermost, then bold spans, then italic ones inside them."""
    out = []
    for href, group in _groups(pieces, lambda p: p.href):
        inner = _bold_spans(group)
        out.append(_link(inner, href) if href is not None else inner)
    return "".join(out)


def _flat(pieces: Sequence[Piece]) -> str:
    """Each piece wrapped on its own (``***both***``), with ``_`` for italic."""
    out = []
    for href, group in _groups(pieces, lambda p: p.href):
        inner = "".join(_wrap(_text(p), ("**" if p.bold else "") + ("_" if p.italic else ""))
                        for p in group)
        out.append(_link(inner, href) if href is not None else inner)
    return "".join(out)


def _bold_spans(pieces: Sequence[Piece]) -> str:
    out = []
    for bold, group in _groups(pieces, lambda p: p.bold):
        inner = "".join(_wrap("".join(_text(p) for p in italic_group), "*" if italic else "")
                        for italic, italic_group in _groups(group, lambda p: p.italic))
        out.append(_wrap(inner, "**") if bold else inner)
    return "".join(out)


def _text(piece: Piece) -> str:
    if not piece.code:
        return escape_text(piece.text)
    text = piece.text
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or \
        (text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _wrap(text: str, delimiter: str) -> str:
    """``text`` between delimiters, its edge spaces kept outside them."""
    if not delimiter or not text.strip():
        return text
    core = text.strip(" ")
    left = text[:len(text) - len(text.lstrip(" "))]
    right = text[len(text.rstrip(" ")):]
    closing = delimiter[::-1]
    return f"{left}{delimiter}{core}{closing}{right}"


def _link(inner: str, href: str) -> str:
    target = _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", href)
    if not target or "(" in target or ")" in target:
        target = f"<{target}>"
    return f"[{inner}]({target})"
