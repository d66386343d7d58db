"""Page furniture: form feeds, page numbers and running headers and footers.

PDF-to-text tools put each page's header and footer in the text stream (``Page 2 of 5``,
a bare ``2``, the document's title again) and mark page ends with form feeds. This
module takes them out and records where a page boundary was, so that a paragraph cut
by a page break can be joined again.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from gfmdreport.recognize.dates import parse_when
from gfmdreport.recognize.lazy import lazy
from gfmdreport.recognize.lines import classify
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import clean_line
from gfmdreport.recognize.text import collapse
from gfmdreport.recognize.text import short

_PAGE_LABEL = lazy(
    r"^(?:page|pg\.?|p\.|p[áa]gina)\s*(\d{1,4})(?:\s*(?:of|sur|de|/)\s*\d{1,4})?$"
    r"|^(\d{1,4})\s*(?:/|of|sur|de)\s*\d{1,4}$", re.I)
_BARE_NUMBER = lazy(r"^[-–—]?\s*(\d{1,3})\s*[-–—]?$|^\[(\d{1,3})\]$")
_DIGITS = lazy(r"\d+")
ZONE = 2
"""How many lines at the top and at the bottom of a page can be header or footer."""


@dataclass
class _Raw:
    number: int
    text: str
    page: int
    furniture: bool = False


def _split(source: str) -> tuple[list[_Raw], bool]:
    """Source lines with their page; a form feed starts a new page."""
    lines: list[_Raw] = []
    page = 1
    feeds = "\f" in source
    for number, raw in enumerate(source.split("\n"), start=1):
        pieces = raw.rstrip("\r").split("\f")
        for k, piece in enumerate(pieces):
            if k:
                page += 1
            if piece.strip() or k == len(pieces) - 1:
                lines.append(_Raw(number, clean_line(piece).rstrip(), page))
    return lines, feeds


def _page_number(text: str) -> int | None:
    text = text.strip()
    m = _PAGE_LABEL.match(text)
    if m:
        return int(m.group(1) or m.group(2))
    return None


def _bare_number(text: str) -> int | None:
    m = _BARE_NUMBER.match(text.strip())
    return int(m.group(1) or m.group(2)) if m else None


def _key(text: str) -> str:
    return _DIGITS.sub("#", collapse(text)).lower()


def strip_furniture(source: str, notes: Notes) -> list[Line]:
    """The non-blank lines of the source without page furniture, each knowing whether
    blank lines or a page boundary came before it."""
    raws, feeds = _split(source)

    # Page numbers: "Page 2 of 5" anywhere; a bare number at the top or bottom of a
    # page (with form feeds), or anywhere on its own line (without them).
    pages: dict[int, list[_Raw]] = {}
    for raw in raws:
        if raw.text.strip():
            pages.setdefault(raw.page, []).append(raw)
    expected = None
    for page_lines in pages.values():
        zone = {id(r) for r in page_lines[:ZONE] + page_lines[-ZONE:]}
        for raw in page_lines:
            if _page_number(raw.text) is not None:
                raw.furniture = True
                continue
            n = _bare_number(raw.text)
            if n is None or (feeds and id(raw) not in zone):
                continue
            raw.furniture = True
            if not feeds and expected is not None and n != expected:
                notes.warn("text-page-number",
                           f"took the line '{raw.text.strip()}' for a page number and left it "
                           f"out (the page before was numbered {expected - 1})",
                           raw.number, "if it is content, put it on a line with its text")
            expected = n + 1

    # Without form feeds, the page numbers are the page boundaries.
    if not feeds:
        page = 1
        for raw in raws:
            raw.page = page
            if raw.furniture:
                page += 1
                raw.page = page

    _strip_running(raws, notes)

    out: list[Line] = []
    blank = brk = False
    last_page = raws[0].page if raws else 1
    for raw in raws:
        if raw.page != last_page:
            brk = True
            last_page = raw.page
        if raw.furniture:
            brk = True
            continue
        if not raw.text.strip():
            blank = True
            continue
        out.append(Line(raw.number, raw.text, raw.page, blank_before=blank and bool(out),
                        break_before=brk and bool(out)))
        blank = brk = False
    return out


def _strip_running(raws: list[_Raw], notes: Notes) -> None:
    """Take out lines repeated at the top or bottom of most pages."""
    pages: dict[int, list[_Raw]] = {}
    for raw in raws:
        if raw.text.strip() and not raw.furniture:
            pages.setdefault(raw.page, []).append(raw)
    if len(pages) < 2:
        return
    counts: Counter[str] = Counter()
    for page_lines in pages.values():
        zone = page_lines[:ZONE] + page_lines[-ZONE:]
        counts.update({_key(r.text) for r in zone})
    needed = max(2, math.ceil(len(pages) / 2))
    running = {k for k, c in counts.items() if c >= needed and len(k) <= 160}
    if not running:
        return
    first_line = next(iter(pages.values()))[0]
    for page_lines in pages.values():
        top, bottom = page_lines[:ZONE], page_lines[-ZONE:]
        removed: set[str] = set()
        for raw in top:
            k = _key(raw.text)
            if k in running and k not in removed:
                removed.add(k)
                raw.furniture = True
        for raw in reversed(bottom):
            k = _key(raw.text)
            if k in running and k not in removed and not raw.furniture:
                removed.add(k)
                raw.furniture = True
        # A footer the extraction placed mid-page (after a table's first column, say).
        for raw in page_lines:
            k = _key(raw.text)
            if k in running and k not in removed:
                removed.add(k)
                raw.furniture = True
    # A running line at the top of page 1 too: usually a header printed on every page,
    # sometimes the title printed again on the pages after the first.
    if first_line.furniture and _title_like(first_line.text):
        rest = [r for r in next(iter(pages.values())) if not r.furniture]
        if not rest or classify(rest[0].text).kind != "text" or parse_when(rest[0].text):
            first_line.furniture = False
            notes.warn("text-running-header",
                       f"the first line '{short(first_line.text)}' is repeated at the top of "
                       "the pages; kept it as the title, since no other line can be",
                       first_line.number, "check the title")
        else:
            notes.warn("text-running-header",
                       f"took the line '{short(first_line.text)}', repeated at the top of "
                       "every page, for a running header and left it out",
                       first_line.number, "if it is the title, write it again on the first "
                       "line")


def _title_like(text: str) -> bool:
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 3 and \
        not re.search(r"\d{1,2}[:.]\d{2}|\d+/\d+|https?:|file:|www\.", text)
