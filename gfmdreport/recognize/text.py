"""Source lines, text joined from several lines that still knows where each character
came from, and the conversion of extracted text to CommonMark inline source."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from dataclasses import field

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import warning
from gfmdreport.recognize.lazy import lazy
from gfmdreport.typography import collapse_space

_LIGATURES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
    "\x00": None,
})
_CONTROL = lazy(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
SOFT_HYPHEN = "\u00ad"


_SOFT_BREAK = lazy(r"\u00ad[-\u2010]?\s*$")


def clean_line(raw: str) -> str:
    """A source line with what PDF extraction adds and nobody wrote taken out:
    ligature characters spelled out, zero-width characters, soft hyphens and stray
    control characters removed. A line broken at a soft hyphen ends in U+2010, the
    hyphen that the joining of lines takes for a break inside a word. Tabs are kept
    (they separate table cells)."""
    line = _CONTROL.sub(" ", raw.translate(_LIGATURES))
    line = _SOFT_BREAK.sub("\u2010", line)
    return line.replace(SOFT_HYPHEN, "")


collapse = collapse_space  # as the interchange format does


@dataclass
class Line:
    """One non-blank line of the source, after page furniture was taken out."""

    number: int
    """1-based line number in the source file."""
    raw: str
    """The line as it stands (leading white space kept, for column-aligned tables)."""
    page: int = 1
    blank_before: bool = False
    """One or more blank lines separate it from the previous kept line."""
    break_before: bool = False
    """A page boundary (form feed, page number, running header) lies between it and
    the previous kept line."""

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indent(self) -> int:
        return len(self.raw.expandtabs(8)) - len(self.raw.expandtabs(8).lstrip())

    @property
    def column(self) -> int:
        return len(self.raw) - len(self.raw.lstrip()) + 1

    @property
    def right(self) -> int:
        """Where the text ends, counting the indentation."""
        return len(self.raw.expandtabs(8).rstrip())


@dataclass
class Joined:
    """Text joined from pieces of source lines; :meth:`locate` maps an offset back to
    the line and column it came from."""

    path: str | None = None
    text: str = ""
    _offsets: list[int] = field(default_factory=list)
    _places: list[tuple[int, int]] = field(default_factory=list)

    def add(self, piece: str, line: int, column: int, sep: str = " ") -> None:
        if not piece:
            return
        if self.text and sep:
            self.text += sep
        self._offsets.append(len(self.text))
        self._places.append((line, column))
        self.text += piece

    def trim_end(self, count: int) -> None:
        """Drop the last ``count`` characters (a line-end hyphen that joins a word)."""
        self.text = self.text[:-count] if count else self.text

    def locate(self, offset: int = 0) -> Location:
        if not self._offsets:
            return Location(self.path)
        i = max(bisect.bisect_right(self._offsets, offset) - 1, 0)
        line, column = self._places[i]
        return Location(self.path, line, column + max(offset - self._offsets[i], 0))

    @property
    def first_line(self) -> int:
        return self._places[0][0] if self._places else 0


class Notes:
    """The warnings a read collects, each with the place it concerns."""

    def __init__(self, path: str | None):
        self.path = path
        self.found: list[Diagnostic] = []

    def warn(self, rule: str, message: str, where: Location | int | None,
             hint: str | None = None) -> None:
        if isinstance(where, int):
            where = Location(self.path, where, 1)
        self.found.append(warning(rule, message, where or Location(self.path), hint))

    def at(self, line: Line) -> Location:
        return Location(self.path, line.number, line.column)


def short(text: str, limit: int = 60) -> str:
    """A quotable excerpt of a text for a message."""
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---- inline markup ------------------------------------------------------------------------

# Bold or italic spans the extraction kept as asterisks or underscores (``**Mr. X**``):
# a delimiter run that opens before a non-space and closes after one, not inside a word.
_MARKUP = lazy(r"(?<![\w*_\\])(\*\*|__|\*|_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*_])")
_SPECIAL = lazy(r"([\\`*_\[\]<>])|&(?=#?\w+;)")


def _escape(text: str) -> str:
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _spans(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, delimiter, inner)`` for each markup span kept, outermost first."""
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in _MARKUP.finditer(text)]


def _to_inline(text: str) -> str:
    out: list[str] = []
    pos = 0
    for start, end, delim, inner in _spans(text):
        out.append(_escape(text[pos:start]))
        out.append(delim + _to_inline(inner) + delim)
        pos = end
    out.append(_escape(text[pos:]))
    return "".join(out)


def strip_markup(text: str) -> str:
    """The text a reader sees: the kept markup spans without their delimiters."""
    out: list[str] = []
    pos = 0
    for start, end, _delim, inner in _spans(text):
        out.append(text[pos:start])
        out.append(strip_markup(inner))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def to_inline(text: str) -> tuple[str, bool]:
    """Extracted text as CommonMark inline source.

    Bold and italic spans written with asterisks or underscores are kept as markup;
    every other character CommonMark would read as markup is escaped, so that
    :func:`gfmdreport.inline.plain` gives back the text. Returns the source and whether
    the markup had to be given up (kept as literal characters) because CommonMark would
    not read it as written.
    """
    from gfmdreport.inline import plain

    if not _SPECIAL.search(text):
        return text, False
    source = _to_inline(text)
    if plain(source) == strip_markup(text):
        return source, False
    return _escape(text), True
