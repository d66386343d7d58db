"""The session-summary model: one immutable tree that every reader produces and every
writer consumes.

Text fields that hold prose (paragraphs, items, question texts, headings) are
CommonMark *inline* source: ``**bold**``, ``*italic*`` and ``[links](https://…)``;
:mod:`gfmdreport.inline` parses them. Metadata fields are plain text.

Source locations (``loc``) are kept for diagnostics but take no part in equality, so a
summary read from YAML equals the same summary read from Markdown notes.

The model converts losslessly to and from a plain dict (:meth:`SessionSummary.to_dict`,
:meth:`SessionSummary.from_dict`), the interchange format whose JSON Schema lives in
:mod:`gfmdreport.formats.interchange.schema`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location

Pointer = tuple[str | int, ...]
"""A path into the interchange dict, such as ``("body", 3, "takeaways", 0)``."""

Locate = Callable[[Pointer], Location | None]

_NOWHERE: Mapping[str, Location] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Person:
    """A chair, co-chair or rapporteur of the session."""

    name: str
    """Full name as it should be printed, e.g. ``Ola Henrikson``."""
    honorific: str = ""
    """``Mr.``, ``Ms.``, ``Dr.``, ``H.E.`` … (printed before the name)."""
    role: str = ""
    """Position, e.g. ``Director General for Migration and Asylum``."""
    organization: str = ""
    """Body the person speaks for, e.g. ``Swedish Ministry of Justice``."""
    loc: Location | None = field(default=None, compare=False, repr=False)

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.honorific:
            data["honorific"] = self.honorific
        data["name"] = self.name
        if self.role:
            data["role"] = self.role
        if self.organization:
            data["organization"] = self.organization
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], locate: Locate | None = None,
                  at: Pointer = ()) -> Person:
        return cls(
            name=data.get("name", ""),
            honorific=data.get("honorific", ""),
            role=data.get("role", ""),
            organization=data.get("organization", ""),
            loc=locate(at) if locate else None,
        )


@dataclass(frozen=True, slots=True)
class Item:
    """One list item (a takeaway, a lettered sub-item, a table-cell entry), which may
    carry a nested list of its own."""

    text: str
    """Inline source."""
    items: tuple[Item, ...] = ()
    """Nested items, one level deeper."""
    loc: Location | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> str | dict[str, Any]:
        if not self.items:
            return self.text
        return {"text": self.text, "items": [i.to_dict() for i in self.items]}

    @classmethod
    def from_dict(cls, data: str | Mapping[str, Any], locate: Locate | None = None,
                  at: Pointer = ()) -> Item:
        loc = locate(at) if locate else None
        if isinstance(data, str):
            return cls(data, (), loc)
        return cls(data.get("text", ""), _items(data.get("items", ()), locate, (*at, "items")),
                   loc)

    def walk(self) -> Iterator[Item]:
        """This item and every nested item, depth first."""
        yield self
        for child in self.items:
            yield from child.walk()


def _items(data: Any, locate: Locate | None, at: Pointer) -> tuple[Item, ...]:
    return tuple(Item.from_dict(d, locate, (*at, i)) for i, d in enumerate(data or ()))


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A numbered paragraph. Numbers are not stored: they follow from the paragraph's
    position, continuous through the whole document as in UN practice."""

    text: str
    """Inline source."""
    items: tuple[Item, ...] = ()
    """The paragraph's lettered sub-list (a), b), c) …), if any."""
    loc: Location | None = field(default=None, compare=False, repr=False)

    type = "paragraph"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "paragraph", "text": self.text}
        if self.items:
            data["items"] = [i.to_dict() for i in self.items]
        return data


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading such as "Overview on the GFMD Report's Chapter on …"."""

    text: str
    """Inline source."""
    loc: Location | None = field(default=None, compare=False, repr=False)

    type = "heading"

    def to_dict(self) -> dict[str, Any]:
        return {"type": "heading", "text": self.text}


@dataclass(frozen=True, slots=True)
class Question:
    """A guiding question of the session and the takeaways of its discussion."""

    number: int
    """The question's number as printed ("Question 2: …")."""
    text: str
    """Inline source of the question itself, without "Question N:"."""
    takeaways: tuple[Item, ...] = ()
    """The bullet points summarising the discussion; items may nest."""
    loc: Location | None = field(default=None, compare=False, repr=False)

    type = "question"

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "question",
            "number": self.number,
            "text": self.text,
            "takeaways": [i.to_dict() for i in self.takeaways],
        }


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the closing table: its heading and the items listed under it."""

    heading: str
    items: tuple[Item, ...] = ()
    loc: Location | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "items": [i.to_dict() for i in self.items]}


@dataclass(frozen=True, slots=True)
class SummaryTable:
    """The closing table (Points of Convergence | Practical Recommendations |
    Challenges / Issues for further discussion). Column-oriented: each cell is a list."""

    columns: tuple[Column, ...] = ()
    loc: Location | None = field(default=None, compare=False, repr=False)

    type = "table"

    def to_dict(self) -> dict[str, Any]:
        return {"type": "table", "columns": [c.to_dict() for c in self.columns]}

    @property
    def rows(self) -> int:
        """Number of rows needed to lay the columns side by side, one item per row."""
        return max((len(c.items) for c in self.columns), default=0)


Block = Paragraph | Heading | Question | SummaryTable

@dataclass(frozen=True, slots=True)
class SessionSummary:
    """The summary of one working session of a conference."""

    title: str = ""
    """The event, e.g. "GFMD Thematic Workshop on GFMD's contribution to the GCM"."""
    session: str = ""
    """The session, e.g. "GCM Cluster 3: International cooperation and governance …"."""
    date: str = ""
    """ISO date ``YYYY-MM-DD`` as written in the source (validation checks it exists)."""
    start_time: str = ""
    """24-hour ``HH:MM``, or empty."""
    end_time: str = ""
    """24-hour ``HH:MM``, or empty."""
    venue: str = ""
    language: str = "en"
    """BCP 47 primary language: ``en``, ``fr`` or ``es``."""
    chairs: tuple[Person, ...] = ()
    """One chair, or co-chairs."""
    rapporteurs: tuple[Person, ...] = ()
    body: tuple[Block, ...] = ()
    """The document in order: paragraphs, headings, questions and the closing table."""
    labels: Mapping[str, str] = field(default_factory=lambda: _NOWHERE, hash=False)
    """The summary's own wording of labels (``question``, ``convergence``, …), replacing
    its language's defaults from :mod:`gfmdreport.labels`."""
    source: str | None = field(default=None, compare=False, repr=False)
    """The file this summary was read from, if any."""
    locations: Mapping[str, Location] = field(default_factory=lambda: _NOWHERE, compare=False,
                                              repr=False)
    """Where each metadata key (``title``, ``date``, …) was found in the source."""
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)
    """What the reader noticed but could read past (doubtful guesses, damaged text);
    :func:`gfmdreport.validate` reports these with the rules' findings."""
    directives: tuple[tuple[str, Location], ...] = field(default=(), compare=False,
                                                         repr=False)
    """The rule selectors the source's ``gfmdreport: disable=`` comments name, with where
    each is written (collected when the source is read, so it is read once)."""

    # ---- derived views (never stored twice) -------------------------------------------
    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(b for b in self.body if isinstance(b, Question))

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.body if isinstance(b, Paragraph))

    @property
    def table(self) -> SummaryTable | None:
        """The closing table (the last one, should there be several)."""
        tables = [b for b in self.body if isinstance(b, SummaryTable)]
        return tables[-1] if tables else None

    @property
    def time(self) -> str:
        """``HH:MM-HH:MM`` as in the interchange format, or ``HH:MM``, or empty."""
        if self.start_time and self.end_time:
            return f"{self.start_time}-{self.end_time}"
        return self.start_time or self.end_time

    @property
    def date_value(self) -> _dt.date | None:
        """The date as a :class:`datetime.date`, or ``None`` if absent or impossible."""
        try:
            return _dt.date.fromisoformat(self.date) if self.date else None
        except ValueError:
            return None

    @staticmethod
    def time_value(value: str) -> _dt.time | None:
        """A ``start_time`` or ``end_time`` as a :class:`datetime.time`, or ``None`` if
        absent or not a time of day written ``HH:MM``."""
        if len(value) != 5 or value[2] != ":":
            return None
        try:
            return _dt.time.fromisoformat(value)
        except ValueError:
            return None

    def numbered(self) -> Iterator[tuple[int | None, Block]]:
        """Each block with its paragraph number (``None`` for blocks that are not
        paragraphs). Numbering runs through the whole document."""
        n = 0
        for block in self.body:
            if isinstance(block, Paragraph):
                n += 1
                yield n, block
            else:
                yield None, block

    def location_of(self, key: str) -> Location:
        return self.locations.get(key) or Location(self.source)

    # ---- interchange ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The canonical interchange dict (the JSON/YAML shape)."""
        data: dict[str, Any] = {}
        for key in ("title", "session", "date"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.time:
            data["time"] = self.time
        if self.venue:
            data["venue"] = self.venue
        data["language"] = self.language
        if self.chairs:
            data["chairs"] = [p.to_dict() for p in self.chairs]
        if self.rapporteurs:
            data["rapporteurs"] = [p.to_dict() for p in self.rapporteurs]
        data["body"] = [b.to_dict() for b in self.body]
        if self.labels:
            data["labels"] = dict(self.labels)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], locate: Locate | None = None,
                  source: str | None = None) -> SessionSummary:
        """Build a summary from the canonical interchange dict.

        ``data`` must already have the canonical shape (see
        :func:`gfmdreport.formats.interchange.shape.parse_data`, which checks and canonicalises
        hand-written input). ``locate`` maps a pointer into ``data`` to its source
        location.
        """
        start, _, end = str(data.get("time", "")).partition("-")
        body = tuple(_block_from_dict(b, locate, ("body", i))
                     for i, b in enumerate(data.get("body", ())))
        locations = {}
        if locate:
            for key in data:
                loc = locate((key,))
                if loc is not None:
                    locations[key] = loc
        return cls(
            title=data.get("title", ""),
            session=data.get("session", ""),
            date=str(data.get("date", "")),
            start_time=start,
            end_time=end,
            venue=data.get("venue", ""),
            language=data.get("language", "en"),
            chairs=tuple(Person.from_dict(p, locate, ("chairs", i))
                         for i, p in enumerate(data.get("chairs", ()))),
            rapporteurs=tuple(Person.from_dict(p, locate, ("rapporteurs", i))
                              for i, p in enumerate(data.get("rapporteurs", ()))),
            body=body,
            labels=MappingProxyType(dict(data.get("labels") or {})),
            source=source,
            locations=MappingProxyType(locations),
        )


# ---- the one walk over the summary's texts ------------------------------------------------

@dataclass(frozen=True, slots=True)
class TextRef:
    """Where a text of the summary's body sits, as :func:`walk_texts` gives it."""

    kind: str
    """``paragraph``, ``heading`` or ``question`` (a block's own text); ``item`` (in a
    paragraph's lettered list), ``takeaway`` (of a question) or ``cell`` (in a column of
    the closing table), nested ones included; ``column`` (a column's heading, plain
    text, not inline source)."""
    text: str
    block: int
    """The index of the block in ``summary.body``."""
    path: Pointer
    """Where the text is in the interchange dict, e.g. ``("body", 3, "takeaways", 0)``."""
    depth: int = 0
    """0 for a block's text, a column heading and a first-level item; 1 for an item
    nested in an item, and so on."""
    index: int = 0
    """The position among its siblings: the item's, or the column's."""
    loc: Location | None = None
    owner: Block | None = None
    """The block the text belongs to."""


def walk_texts(summary: SessionSummary, *, columns: bool = True) -> Iterator[TextRef]:
    """Every text of the body in document order: each block's text, then its items depth
    first; for the closing table, each column's heading (unless ``columns`` is false)
    followed by its items. Metadata fields are not included."""
    for i, block in enumerate(summary.body):
        at: Pointer = ("body", i)
        if isinstance(block, SummaryTable):
            for j, column in enumerate(block.columns):
                where = column.loc or block.loc
                if columns:
                    yield TextRef("column", column.heading, i, (*at, "columns", j), 0, j,
                                  where, block)
                yield from _walk_items(column.items, "cell", i, (*at, "columns", j, "items"),
                                       0, where, block)
            continue
        yield TextRef(block.type, block.text, i, (*at, "text"), 0, 0, block.loc, block)
        if isinstance(block, Paragraph):
            yield from _walk_items(block.items, "item", i, (*at, "items"), 0, block.loc,
                                   block)
        elif isinstance(block, Question):
            yield from _walk_items(block.takeaways, "takeaway", i, (*at, "takeaways"), 0,
                                   block.loc, block)


def _walk_items(items: tuple[Item, ...], kind: str, block: int, at: Pointer, depth: int,
                fallback: Location | None, owner: Block) -> Iterator[TextRef]:
    for k, item in enumerate(items):
        where = item.loc or fallback
        yield TextRef(kind, item.text, block, (*at, k), depth, k, where, owner)
        if item.items:
            yield from _walk_items(item.items, kind, block, (*at, k, "items"), depth + 1,
                                   where, owner)


def map_texts(summary: SessionSummary, change: Callable[[str, TextRef], str], *,
              columns: bool = True) -> SessionSummary:
    """The summary with every text of the body replaced by ``change(text, ref)``, in the
    order of :func:`walk_texts`; blocks whose texts are all unchanged are kept as they
    are (locations too)."""
    from dataclasses import replace

    def items(found: tuple[Item, ...], kind: str, block: int, at: Pointer, depth: int,
              owner: Block) -> tuple[Item, ...]:
        out = []
        for k, item in enumerate(found):
            ref = TextRef(kind, item.text, block, (*at, k), depth, k, item.loc, owner)
            text = change(item.text, ref)
            nested = items(item.items, kind, block, (*at, k, "items"), depth + 1, owner)
            out.append(item if text == item.text and nested == item.items
                       else Item(text, nested, item.loc))
        return tuple(out)

    body: list[Block] = []
    for i, block in enumerate(summary.body):
        at: Pointer = ("body", i)
        if isinstance(block, SummaryTable):
            cols = []
            for j, column in enumerate(block.columns):
                heading = column.heading
                if columns:
                    heading = change(heading, TextRef("column", heading, i,
                                                      (*at, "columns", j), 0, j,
                                                      column.loc or block.loc, block))
                cols.append(replace(column, heading=heading, items=items(
                    column.items, "cell", i, (*at, "columns", j, "items"), 0, block)))
            body.append(replace(block, columns=tuple(cols)))
            continue
        text = change(block.text, TextRef(block.type, block.text, i, (*at, "text"), 0, 0,
                                          block.loc, block))
        if isinstance(block, Paragraph):
            body.append(replace(block, text=text, items=items(
                block.items, "item", i, (*at, "items"), 0, block)))
        elif isinstance(block, Question):
            body.append(replace(block, text=text, takeaways=items(
                block.takeaways, "takeaway", i, (*at, "takeaways"), 0, block)))
        else:
            body.append(replace(block, text=text))
    return replace(summary, body=tuple(body))


def _block_from_dict(data: Mapping[str, Any], locate: Locate | None, at: Pointer) -> Block:
    loc = locate(at) if locate else None
    kind = data["type"]
    if kind == "paragraph":
        return Paragraph(data["text"], _items(data.get("items"), locate, (*at, "items")), loc)
    if kind == "heading":
        return Heading(data["text"], loc)
    if kind == "question":
        return Question(int(data["number"]), data.get("text", ""),
                        _items(data.get("takeaways"), locate, (*at, "takeaways")), loc)
    if kind == "table":
        cols = tuple(
            Column(c.get("heading", ""), _items(c.get("items"), locate, (*at, "columns", j,
                                                                       "items")),
                   locate((*at, "columns", j)) if locate else None)
            for j, c in enumerate(data.get("columns", ()))
        )
        return SummaryTable(cols, loc)
    raise ValueError(f"unknown block type {kind!r}")
