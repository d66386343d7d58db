"""The paragraphs of a Word document before its first numbered paragraph: the title and
session (from their styles, or as the text reader reads typed lines,
:mod:`gfmdreport.recognize.header`), and the date, time and venue."""

from __future__ import annotations

import re

from gfmdreport.formats.docx.read.context import Context
from gfmdreport.formats.docx.read.kinds import Entry
from gfmdreport.formats.docx.read.markup import squeeze
from gfmdreport.recognize.dates import parse_when
from gfmdreport.recognize.header import read_metadata
from gfmdreport.recognize.lines import looks_like_heading
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import short
from gfmdreport.recognize.times import close_up

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


class HeaderReader:
    """Reads the metadata paragraphs, its warnings going to ``ctx``."""

    def __init__(self, ctx: Context):
        self.at, self.warn, self.notes, self.path = ctx.at, ctx.warn, ctx.notes, ctx.path
        self.details_text: str | None = None
        """The date-time-venue paragraph's text, lines joined with newlines."""

    def read(self, entries: list[Entry]) -> dict:
        """What the paragraphs say, as :func:`~gfmdreport.recognize.header.read_header`
        returns it."""
        meta: dict = {"locations": {}, "people": [], "extra": []}
        lines: list[Line] = []
        for entry in entries:
            text = squeeze(entry.text)
            where = self.at(entry.ordinal)
            if entry.kind in ("title", "session"):
                if entry.kind in meta:
                    meta[entry.kind] += " " + text
                else:
                    meta[entry.kind] = text
                    meta["locations"][entry.kind] = where
            elif entry.kind == "details":
                self.details(entry, meta)
            else:
                for piece in entry.text.split("\n"):
                    if piece.strip():
                        lines.append(Line(entry.ordinal, piece.strip()))
        if lines:
            found, notes = read_metadata(lines, self.path)
            self.notes.found.extend(notes)
            for key in ("title", "session", "date", "start", "end", "venue"):
                if key in found and key not in meta:
                    meta[key] = found[key]
                    loc_key = "time" if key in ("start", "end") else key
                    if loc_key in found["locations"]:
                        meta["locations"].setdefault(
                            loc_key, self.at(found["locations"][loc_key].line))
                elif key in found and key in ("title", "session"):
                    found["extra"].append((found[key], Line(
                        found["locations"][key].line or 0, found[key])))
            meta["people"] = found["people"]
            meta["extra"] = sorted(found["extra"], key=lambda t: t[1].number)
            self._venue_line(meta)
        return meta

    def _venue_line(self, meta: dict) -> None:
        """A short line right after the date line, when the date line named no venue,
        is the venue (typed documents often put it on a line of its own)."""
        date_at = meta["locations"].get("date")
        if "venue" in meta or date_at is None or not meta["extra"]:
            return
        text, line = meta["extra"][0]
        if line.number == (date_at.line or 0) + 1 and looks_like_heading(text) and \
                len(text.split()) <= 12:
            meta["venue"] = squeeze(text)
            meta["locations"]["venue"] = self.at(line.number)
            meta["extra"].pop(0)

    def details(self, entry: Entry, meta: dict) -> None:
        """The date, time and venue paragraph: "6 September 2017, 10:30-12:30", a line
        break, and the venue."""
        where = self.at(entry.ordinal)
        lines = [squeeze(line) for line in entry.text.split("\n") if line.strip()]
        self.details_text = "\n".join(lines)
        if not lines:
            return
        when = parse_when(close_up(lines[0]))
        venue = lines[1:]
        if when is None:
            venue = lines
            if _YEAR.search(lines[0]):
                self.warn("docx-date", f"no date could be read in the date line "
                          f"('{short(lines[0])}'); read it as the venue", entry.ordinal,
                          "write the date as in '6 September 2017, 10:30-12:30'")
        else:
            if when.date:
                meta["date"] = when.date
                meta["locations"]["date"] = where
            if when.doubt:
                self.warn("docx-date", when.doubt, entry.ordinal)
            if when.start:
                meta["start"], meta["end"] = when.start, when.end
                meta["locations"]["time"] = where
            if when.venue:
                venue = [when.venue, *venue]
        if venue:
            meta["venue"] = ", ".join(venue)
            meta["locations"]["venue"] = where
