"""Typographic conventions of a language, applied to text as writers print it.

French puts a no-break space before ``:`` and inside « guillemets », and a narrow
no-break space before ``; ? !`` (the Imprimerie nationale's rules), so that a line never
breaks before the mark. Writers of finished documents (Word, HTML) apply it to text
runs; the interchange and notes formats keep the user's text as it is.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"

# A space (or none) before a high mark that ends a word: "mot :", "mot:" → "mot :".
# A colon between digits (10:30) or followed by "//" (a URL) is left alone.
_HIGH = re.compile(r"(?<=\S)[ \u00a0\u202f]?([;!?]+)(?=\s|$|[»)\]\"'])")
_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]?:(?=\s|$)")
_OPEN = re.compile(r"«[ \u00a0\u202f]?")
_CLOSE = re.compile(r"[ \u00a0\u202f]?»")


_SPACE_RUN = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def collapse_space(text: str) -> str:
    """Runs of white space (line breaks of a folded or wrapped line included) as one
    space, trimmed. No-break spaces are kept: they are typography, not layout."""
    return _SPACE_RUN.sub(" ", text).strip()


def french(text: str) -> str:
    """``"Question 1 : pourquoi?"`` → ``"Question 1\u00a0: pourquoi\u202f?"``."""
    if not text:
        return text
    text = _HIGH.sub(lambda m: NNBSP + m.group(1), text)
    text = _COLON.sub(NBSP + ":", text)
    text = _OPEN.sub("«" + NBSP, text)
    return _CLOSE.sub(NBSP + "»", text)


def apply(text: str, language: str) -> str:
    """The text with the typography of ``language`` (only French changes anything)."""
    if (language or "").split("-")[0].lower() == "fr":
        return french(text)
    return text
