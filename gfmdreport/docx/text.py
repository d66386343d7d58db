"""Text as the DOCX writer prints it: dates in words, and text cleaned of characters a
Word document cannot hold."""

from __future__ import annotations

import datetime as _dt
import re

from ..diagnostics import Location, report, warning

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}


def format_date(date: _dt.date, language: str = "en") -> str:
    """The date as a UN document prints it: ``6 September 2017``, ``1er septembre 2017``,
    ``6 de septiembre de 2017``."""
    primary = (language or "en").split("-")[0].lower()
    months = MONTHS.get(primary, MONTHS["en"])
    month = months[date.month - 1]
    if primary == "fr":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {month} {date.year}"
    if primary == "es":
        return f"{date.day} de {month} de {date.year}"
    return f"{date.day} {month} {date.year}"


def format_time(start: str, end: str) -> str:
    """``10:30–12:30`` (an en dash between the times), or the one time given."""
    if start and end:
        return f"{start}\u2013{end}"
    return start or end


WORD_LANGUAGE = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}


def word_language(language: str) -> str:
    """The language tag Word spell-checks with: ``en`` → ``en-GB`` (UN English)."""
    tag = (language or "en").strip()
    if "-" in tag:
        primary, region = tag.split("-", 1)
        return f"{primary.lower()}-{region.upper()}"
    return WORD_LANGUAGE.get(tag.lower(), tag.lower())


# XML 1.0 cannot hold C0 controls other than tab, newline and carriage return, nor
# U+FFFE/U+FFFF or lone surrogates; C1 controls are allowed by XML but are never text
# (they come from mis-decoded Windows-1252) and upset Word.
_UNFIT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str, where: Location | None, what: str) -> str:
    """``text`` without the characters a Word document cannot hold, reporting a warning
    (once per text) naming them, where they were and what ``what`` they were in."""
    if not text or not _UNFIT.search(text):
        return text
    found = sorted({f"U+{ord(c):04X}" for c in _UNFIT.findall(text)})
    count = len(_UNFIT.findall(text))
    report(warning(
        "docx-control-characters",
        f"removed {count} control character{'s' if count > 1 else ''} "
        f"({', '.join(found)}) from the {what}: a Word document cannot hold them",
        where, "delete them from the source, or copy the text again from its origin"))
    return _UNFIT.sub("", text)


def strip_unfit(text: str) -> str:
    """``text`` without the characters a Word document cannot hold, silently (for text
    already reported where it first appears)."""
    return _UNFIT.sub("", text) if text else text
