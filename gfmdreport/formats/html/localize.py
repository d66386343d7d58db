"""Words and attributes of the page that depend on the language. Dates, times and labels
come from :mod:`gfmdreport.labels`, as for every writer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gfmdreport import typography
from gfmdreport.labels import labels_for
from gfmdreport.labels import summary_labels

if TYPE_CHECKING:
    from gfmdreport.model import SessionSummary

NBSP = "\u00a0"
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def html_lang(language: str) -> str:
    """A well-formed BCP 47 tag for the ``lang`` attribute (``en`` if it is not one)."""
    return language if language and _LANG.match(language) else "en"


def question_label(number: int, summary: SessionSummary) -> str:
    """``Question 2:``, ``Question 2 :`` (French spacing), ``Pregunta 2:``."""
    word = summary_labels(summary)["question"]
    return typography.apply(f"{word} {number}:", summary.language)


def page_counter_css(language: str) -> str:
    """The ``content`` value of a printed page footer, ``"Page " counter(page) …``."""
    template = labels_for(language)["page_x_of_y"]
    out = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            out.append("counter(page)")
        elif piece == "{pages}":
            out.append("counter(pages)")
        elif piece:
            out.append(css_string(piece))
    return " ".join(out) or "counter(page)"


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string that cannot end the string or the style."""
    escaped = []
    for ch in text:
        if ch in '"\\<>' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            escaped.append(f"\\{ord(ch):x} ")
        else:
            escaped.append(ch)
    return '"' + "".join(escaped) + '"'
