"""The escapes of the Markdown notes format, shared by the writer and the reader.

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

The writer imports this module alone, never the reader.
"""

from __future__ import annotations

import re

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


def flat(text: str) -> str:
    """A text on one line: its line breaks as spaces."""
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
    text = escape_text(flat(text))
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
    text = escape_text(flat(text))
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

