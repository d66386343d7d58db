"""Dates, times and other words the page prints that depend on the language.

Every date and time the HTML writer prints comes from here, so a language is added in
one place: month names below, the words in :mod:`gfmdreport.labels`.
"""

from __future__ import annotations

import datetime as _dt
import re

from ..labels import labels_for

MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}

NBSP = "\u00a0"
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def primary(language: str) -> str:
    """The primary subtag, lower case, for a language we print dates in (else ``en``)."""
    code = (language or "en").split("-")[0].lower()
    return code if code in MONTHS else "en"


def html_lang(language: str) -> str:
    """A well-formed BCP 47 tag for the ``lang`` attribute (``en`` if it is not one)."""
    return language if language and _LANG.match(language) else "en"


def format_date(value: _dt.date, language: str) -> str:
    """``6 September 2017``, ``6 septembre 2017`` (``1er`` for the first),
    ``6 de septiembre de 2017``."""
    lang = primary(language)
    month = MONTHS[lang][value.month - 1]
    if lang == "fr":
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {month} {value.year}"
    if lang == "es":
        return f"{value.day} de {month} de {value.year}"
    return f"{value.day} {month} {value.year}"


def valid_time(value: str) -> bool:
    """Whether ``value`` is a 24-hour ``HH:MM`` time (usable in ``datetime=``)."""
    return bool(_TIME.match(value or ""))


def format_time(value: str, language: str) -> str:
    """``10:30`` in English and Spanish, ``10 h 30`` in French; other text as it is."""
    m = _TIME.match(value or "")
    if not m:
        return value
    if primary(language) == "fr":
        return f"{int(m.group(1))}{NBSP}h{NBSP}{m.group(2)}"
    return value


def format_time_range(start: str, end: str, language: str) -> str:
    """``10:30–12:30`` (an en dash), or the one time given, or empty."""
    parts = [format_time(t, language) for t in (start, end) if t]
    return "\u2013".join(parts)


def question_label(number: int, language: str) -> str:
    """``Question 2:``, ``Question 2 :`` (French spacing), ``Pregunta 2:``."""
    word = labels_for(language)["question"]
    if primary(language) == "fr":
        return f"{word} {number}{NBSP}:"
    return f"{word} {number}:"


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
