"""Text as the DOCX writer prints it: cleaned of characters a Word document cannot hold,
and the language tag Word spell-checks with. The reader applies the same cleaning to
the embedded model's text, to recognise the text the writer wrote from it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import report
from gfmdreport.diagnostics import warning
from gfmdreport.inline import Code
from gfmdreport.inline import Emphasis
from gfmdreport.inline import LineBreak
from gfmdreport.inline import Link
from gfmdreport.inline import Run
from gfmdreport.inline import Strong
from gfmdreport.inline import Text
from gfmdreport.inline import parse

WORD_LANGUAGE = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}


PROPERTY_WORDS = {
    "en": {"keywords": "GFMD; session summary", "category": "Session summary"},
    "fr": {"keywords": "FMMD; résumé de séance", "category": "Résumé de séance"},
    "es": {"keywords": "FMMD; resumen de la sesión", "category": "Resumen de la sesión"},
}
"""The document properties' keywords and category in each language (the Forum is the
FMMD in French and Spanish); English for any other."""


def property_words(language: str) -> dict[str, str]:
    """Keywords and category of the document properties, in ``language``."""
    primary = (language or "en").split("-")[0].lower()
    return PROPERTY_WORDS.get(primary, PROPERTY_WORDS["en"])


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


def runs_once(source: str) -> Iterator[Run]:
    """The runs of inline source, as :func:`gfmdreport.inline.runs` gives them, parsed
    without the process-wide parse cache: the Word format keeps what it parses for as
    long as it needs it (one text of a document being written, one document being
    read), so that a big document neither fills that cache nor is held in it."""
    if not _INLINE_SIGNS.search(source):  # no markup can be in it: its text as it is
        if source:
            yield Run(source, False, False, False, None)
        return
    yield from _walk(parse.__wrapped__(source), False, False, None)


_INLINE_SIGNS = re.compile(r"[\\`*_\[\]<>&!~\n\r]|^[ \t]|[ \t]$")
"""A character CommonMark's inline rules act on (escapes, code, emphasis, links,
autolinks, entities, line breaks) or white space at an end: a text without any is one
run of plain text, without a parse."""


def _walk(nodes, bold: bool, italic: bool, href: str | None) -> Iterator[Run]:
    for node in nodes:
        if isinstance(node, Text):
            yield Run(node.text, bold, italic, False, href)
        elif isinstance(node, Code):
            yield Run(node.text, bold, italic, True, href)
        elif isinstance(node, LineBreak):
            yield Run("", bold, italic, False, href, line_break=True)
        elif isinstance(node, Strong):
            yield from _walk(node.children, True, italic, href)
        elif isinstance(node, Emphasis):
            yield from _walk(node.children, bold, True, href)
        elif isinstance(node, Link):
            yield from _walk(node.children, bold, italic, node.href)
