"""The proceedings model: an event's report, many session summaries compiled behind a
cover, with the annex that consolidates their closing tables and the index of their chairs
and rapporteurs. It stands next to :class:`~gfmdreport.model.SessionSummary`: each chapter
holds a summary as every reader gives it.

Frozen, slotted dataclasses without I/O, like the summary's model; derived views
(:meth:`Proceedings.annex_tables`, :meth:`Proceedings.people_index`,
:meth:`Proceedings.paragraph_label`) are computed, never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType
from typing import Any

from gfmdreport.diagnostics import Location
from gfmdreport.model import Item
from gfmdreport.model import Person
from gfmdreport.model import SessionSummary

_NOWHERE: Mapping[str, Location] = MappingProxyType({})


NUMBERINGS = ("restart", "continuous", "prefixed")
"""How paragraphs are numbered through proceedings: ``restart`` (1, 2, … in each chapter,
the default), ``continuous`` (through the whole report) or ``prefixed`` (``2.5``: the
chapter's number, then the paragraph's within it)."""


@dataclass(frozen=True, slots=True)
class Chapter:
    """One session of the proceedings: its summary, the part it is listed under, and
    where the manifest lists it."""

    summary: SessionSummary
    part: str = ""
    """The heading of the part the manifest groups it under ("Roundtable 1"), or empty."""
    path: str = ""
    """The summary's file as the manifest names it (relative to the manifest)."""
    loc: Location | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AnnexSection:
    """A section a plugin adds to the annex of the proceedings (``extend_annex``): a
    heading, paragraphs and a list, all inline source."""

    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    plugin: str = field(default="", compare=False)
    """Filled in by the core: the plugin that added it."""


@dataclass(frozen=True, slots=True)
class AnnexEntry:
    """One item of a consolidated closing table, with the chapter it came from."""

    item: Item
    chapter: int
    """The chapter's number (1-based)."""


@dataclass(frozen=True, slots=True)
class AnnexTable:
    """Every item the sessions listed under one column heading."""

    heading: str
    entries: tuple[AnnexEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """A person of the index of chairs and rapporteurs, with the chapters in which they
    chaired and reported."""

    person: Person
    chaired: tuple[int, ...] = ()
    reported: tuple[int, ...] = ()

    @property
    def sort_key(self) -> tuple[str, str]:
        words = self.person.name.split()
        return ((words[-1] if words else "").casefold(), self.person.name.casefold())


@dataclass(frozen=True, slots=True)
class Proceedings:
    """The report of the proceedings of an event: a cover, front matter, and every
    session's summary as a chapter, in the agenda's order. Sessions are
    :class:`SessionSummary` objects, so every reader and rule works on them unchanged."""

    title: str = ""
    """The event, e.g. "GFMD Thematic Workshop on GFMD's contribution to the GCM"."""
    subtitle: str = ""
    """E.g. "Report of the proceedings"."""
    start_date: str = ""
    """ISO ``YYYY-MM-DD``, or empty."""
    end_date: str = ""
    """ISO ``YYYY-MM-DD`` of the last day, or empty for a one-day event."""
    venue: str = ""
    organisers: tuple[str, ...] = ()
    language: str = "en"
    foreword: tuple[str, ...] = ()
    """Paragraphs of inline source."""
    introduction: tuple[str, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    numbering: str = "restart"
    """One of :data:`NUMBERINGS`."""
    annexes: tuple[AnnexSection, ...] = ()
    """What plugins added to the annex (``extend_annex``), after the consolidated tables
    and the index."""
    source: str | None = field(default=None, compare=False, repr=False)
    """The manifest this was read from, if any."""
    locations: Mapping[str, Location] = field(default_factory=lambda: _NOWHERE, compare=False,
                                              repr=False)
    """Where each key of the manifest was found."""

    @property
    def summaries(self) -> tuple[SessionSummary, ...]:
        return tuple(c.summary for c in self.chapters)

    def location_of(self, key: str) -> Location:
        return self.locations.get(key) or Location(self.source)

    def parts(self) -> Iterator[tuple[str, tuple[tuple[int, Chapter], ...]]]:
        """The chapters grouped under their parts, in order: ``(part heading, ((number,
        chapter), …))``; chapters outside any part come under an empty heading."""
        group: list[tuple[int, Chapter]] = []
        current: str | None = None
        for number, chapter in enumerate(self.chapters, 1):
            if group and chapter.part != current:
                yield current or "", tuple(group)
                group = []
            current = chapter.part
            group.append((number, chapter))
        if group:
            yield current or "", tuple(group)

    def paragraph_label(self, chapter: int, number: int, offset: int = 0) -> str:
        """The printed number of paragraph ``number`` (1-based in its chapter) of chapter
        ``chapter``, ``offset`` being the paragraphs of the chapters before it: ``5``
        (restart), ``offset + 5`` (continuous) or ``chapter.5`` (prefixed)."""
        if self.numbering == "continuous":
            return str(offset + number)
        if self.numbering == "prefixed":
            return f"{chapter}.{number}"
        return str(number)

    def offsets(self) -> tuple[int, ...]:
        """For each chapter, how many numbered paragraphs the chapters before it hold."""
        out, total = [], 0
        for chapter in self.chapters:
            out.append(total)
            total += len(chapter.summary.paragraphs)
        return tuple(out)

    def annex_tables(self) -> tuple[AnnexTable, ...]:
        """The closing tables consolidated: one table per column heading (the same heading
        in any session, compared without case, spacing or markup), in the order first
        met, with every item and the chapter it came from."""
        tables: dict[str, tuple[str, list[AnnexEntry]]] = {}
        for number, chapter in enumerate(self.chapters, 1):
            table = chapter.summary.table
            if table is None:
                continue
            for column in table.columns:
                key = heading_key(column.heading)
                if not key:
                    continue
                entry = tables.setdefault(key, (column.heading, []))
                entry[1].extend(AnnexEntry(item, number) for item in column.items)
        return tuple(AnnexTable(heading, tuple(entries))
                     for heading, entries in tables.values())

    def people_index(self) -> tuple[IndexEntry, ...]:
        """Every chair and rapporteur once (by name, without case or honorific), with the
        chapters in which they served, sorted by surname."""
        found: dict[str, tuple[Person, list[int], list[int]]] = {}
        for number, chapter in enumerate(self.chapters, 1):
            for people, slot in ((chapter.summary.chairs, 1), (chapter.summary.rapporteurs, 2)):
                for person in people:
                    key = " ".join(person.name.split()).casefold()
                    if not key:
                        continue
                    entry = found.setdefault(key, (person, [], []))
                    if number not in entry[slot]:
                        entry[slot].append(number)
        entries = [IndexEntry(p, tuple(c), tuple(r)) for p, c, r in found.values()]
        return tuple(sorted(entries, key=lambda e: e.sort_key))

    def to_dict(self) -> dict[str, Any]:
        """The proceedings as plain data: the manifest's keys, each session's summary in
        the interchange shape (under ``summary``), the consolidated annex and the index."""
        data: dict[str, Any] = {"title": self.title}
        for key in ("subtitle", "start_date", "end_date", "venue"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.organisers:
            data["organisers"] = list(self.organisers)
        data["language"] = self.language
        data["numbering"] = self.numbering
        if self.foreword:
            data["foreword"] = list(self.foreword)
        if self.introduction:
            data["introduction"] = list(self.introduction)
        data["sessions"] = [
            {"number": n, **({"part": c.part} if c.part else {}), "path": c.path,
             "summary": c.summary.to_dict()}
            for n, c in enumerate(self.chapters, 1)]
        data["annex"] = [
            {"heading": t.heading,
             "items": [{"chapter": e.chapter, "item": e.item.to_dict()} for e in t.entries]}
            for t in self.annex_tables()]
        data["index"] = [
            {"person": e.person.to_dict(), "chaired": list(e.chaired),
             "reported": list(e.reported)} for e in self.people_index()]
        if self.annexes:
            data["annexes"] = [
                {"title": a.title, "paragraphs": list(a.paragraphs),
                 "items": [i.to_dict() for i in a.items],
                 **({"plugin": a.plugin} if a.plugin else {})} for a in self.annexes]
        return data


def heading_key(text: str) -> str:
    """A column heading compared across sessions: without case, emphasis marks or
    differences of spacing."""
    return " ".join(text.replace("*", " ").replace("_", " ").split()).casefold()
