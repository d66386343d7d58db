"""What a line of extracted or typed text starts: a numbered paragraph, a lettered
sub-item, a bullet, a question heading, or plain text; and whether it reads as a
heading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gfmdreport.recognize.lazy import lazy
from gfmdreport.typography import collapse_space

# Bullet glyphs as PDF-to-text tools give them: ASCII and Unicode bullets, and the
# private-use code points of the Symbol and Wingdings fonts Word uses for its bullets
# (U+F0B7 "•", U+F0A7 "§" square, U+F0D8 arrow, U+F076 diamond, U+F0FC check …).
_GLYPHS = "-–—•●○◦▪■□◆◇►▸‣⁃∙·*➢➤✓✔"
_PRIVATE = "\uf000-\uf0ff"
_BULLET = lazy(rf"^([{re.escape(_GLYPHS)}{_PRIVATE}]|o)(?:\s+|(?<=[^-–—*o])(?=\w))(.*)$")
_STRONG_GLYPH = lazy(rf"^[•●▪■◆►▸‣➢➤{_PRIVATE}]")
_LEAD = r"(?:[-–•]\s*)?"
_NUMBER = lazy(rf"^{_LEAD}(?:(\d{{1,3}})[.)]|\((\d{{1,3}})\))(?:\s+(.*)|$)")
_LETTER = lazy(rf"^{_LEAD}(?:\(([a-z]|[ivx]{{1,4}})\)|([a-z]|[ivx]{{1,4}})[.)])(?:\s+(.*)|$)")
QUESTION_WORDS = ("question", "pregunta")
"""The words a guiding question's label starts with (English and French, Spanish)."""
_QUESTION = lazy(
    rf"^(?:\*\*|__)?(?:guiding\s+)?({'|'.join(QUESTION_WORDS)}|q)\s*(?:n[°º]\s*)?(\d{{1,2}})\s*"
    r"(?:\*\*|__)?\s*(?:[:.)–—-]\s*(?:\*\*|__)?\s*(.*)|$)", re.I)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
         "ix": 9, "x": 10, "xi": 11, "xii": 12}


@dataclass(frozen=True)
class Start:
    """How a line starts."""

    kind: str
    """``number``, ``letter``, ``bullet``, ``question`` or ``text``."""
    label: str = ""
    """The paragraph or question number, the letter, or the bullet glyph."""
    text: str = ""
    """The line's text after the label."""
    offset: int = 0
    """Where that text starts in the stripped line."""


def classify(text: str) -> Start:
    """How the stripped line ``text`` starts."""
    m = _QUESTION.match(text)
    if m and (m.group(1).lower() != "q" or m.group(3)):
        body = re.sub(r"^(?:\*\*|__)\s*", "", m.group(3) or "")
        return Start("question", m.group(2), body, len(text) - len(body))
    m = _NUMBER.match(text)
    if m:
        body = m.group(3) or ""
        return Start("number", m.group(1) or m.group(2), body, len(text) - len(body))
    m = _LETTER.match(text)
    if m:
        body = m.group(3) or ""
        return Start("letter", m.group(1) or m.group(2), body, len(text) - len(body))
    m = _BULLET.match(text)
    if m and not text.startswith(("**", "__")):
        body = m.group(2)
        return Start("bullet", m.group(1), body, len(text) - len(body))
    return Start("text", "", text, 0)


def strong_glyph(text: str) -> bool:
    """The line starts with a glyph that is a bullet whatever follows it."""
    return bool(_STRONG_GLYPH.match(text))


def ends_sentence(text: str) -> bool:
    """The text ends as a sentence or a list entry does."""
    return bool(re.search(r"[.!?:;…](?:[\"'”’)\]*_]+)?$", text.rstrip()))


def looks_like_heading(text: str) -> bool:
    """A short line without final punctuation, as section headings are."""
    text = collapse_space(text)
    words = text.split()
    return bool(words) and len(words) <= 15 and len(text) <= 120 and \
        not re.search(r"[.;,:]$", text) and (text[0].isupper() or text[0].isdigit() or
                                              text[0] in "\"“'‘«*_")
