"""What changed between two session summaries, at the level of the model.

:func:`diff` compares the metadata, the chairs and rapporteurs, and the body: paragraphs
(named by their number), headings, questions (by number) with their takeaways, lettered
items, and the closing table's columns and items. Blocks and items are matched by
content, so inserting a paragraph shows as one paragraph added, not as every paragraph
after it changed; a block or item whose text changed is matched with its old self when
most of its words are the same.

The result is a list of :class:`Change` in document order; nothing here prints.
``gfmdreport diff OLD NEW`` shows it as text or JSON.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from typing import Literal

from gfmdreport.diagnostics import Location
from gfmdreport.inline import plain
from gfmdreport.model import Block
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

Kind = Literal["added", "removed", "changed"]

SIMILAR = 0.5
"""Two texts sharing at least this share of their words (difflib's ratio) are taken for
one text that was edited, not for one removed and another added."""

_SPACES = re.compile(r"[ \t\n]+")
"""Word boundaries of a word diff: no-break spaces belong to the words, so a change
from one space to the other shows."""

_META = (("title", "title"), ("session", "session"), ("date", "date"), ("time", "time"),
         ("venue", "venue"), ("language", "language"))


@dataclass(frozen=True)
class Change:
    """One difference between the old summary and the new one."""

    kind: Kind
    what: str
    """What changed: ``title``, ``venue`` …, ``chair``, ``rapporteur``, ``label``,
    ``paragraph``, ``item``, ``heading``, ``question``, ``takeaway``, ``table``,
    ``column`` or ``table item``."""
    where: str
    """Where, as a person would say it: ``paragraph 3``, ``question 2, takeaway 1``,
    ``table, column 'Points of Convergence', item 2``, ``venue``."""
    old: str | None = None
    """The old text (inline source), or ``None`` for an addition."""
    new: str | None = None
    """The new text, or ``None`` for a removal."""
    old_location: Location | None = None
    new_location: Location | None = None
    detail: str | None = None
    """A short account of the change when the texts alone do not say it (a person's
    role changed, a question's number, the takeaways a removed question had)."""

    def to_dict(self) -> dict[str, Any]:
        def loc(location: Location | None) -> dict[str, Any] | None:
            if location is None:
                return None
            return {"path": location.path, "line": location.line, "column": location.column}

        return {"kind": self.kind, "what": self.what, "where": self.where, "old": self.old,
                "new": self.new, "detail": self.detail,
                "old_location": loc(self.old_location),
                "new_location": loc(self.new_location)}


def diff(old: SessionSummary, new: SessionSummary) -> list[Change]:
    """Every difference between ``old`` and ``new``: metadata, people, then the body in
    document order. Empty when the summaries are equal."""
    changes: list[Change] = []
    for key, what in _META:
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            kind: Kind = "added" if not a else "removed" if not b else "changed"
            changes.append(Change(kind, what, what, a or None, b or None,
                                  old.locations.get(key), new.locations.get(key)))
    for key in sorted(set(old.labels) | set(new.labels)):
        a, b = old.labels.get(key), new.labels.get(key)
        if a != b:
            kind = "added" if a is None else "removed" if b is None else "changed"
            changes.append(Change(kind, "label", f"label '{key}'", a, b))
    changes += _people(old.chairs, new.chairs, "chair")
    changes += _people(old.rapporteurs, new.rapporteurs, "rapporteur")
    changes += _Body(old, new).changes()
    return changes


def counts(changes: Sequence[Change]) -> dict[str, int]:
    """How many changes of each kind."""
    return {kind: sum(c.kind == kind for c in changes) for kind in ("added", "removed",
                                                                    "changed")}


# ---- people --------------------------------------------------------------------------

def _people(old: Sequence[Person], new: Sequence[Person], what: str) -> list[Change]:
    def key(person: Person) -> str:
        return " ".join(person.name.split()).casefold()

    before = {key(p): p for p in old}
    after = {key(p): p for p in new}
    changes = []
    for person in old:
        if key(person) not in after:
            changes.append(Change("removed", what, f"{what} {person.display_name}",
                                  _person_text(person), None, person.loc))
    for person in new:
        was = before.get(key(person))
        if was is None:
            changes.append(Change("added", what, f"{what} {person.display_name}", None,
                                  _person_text(person), None, person.loc))
            continue
        fields = [(f, getattr(was, f), getattr(person, f))
                  for f in ("honorific", "name", "role", "organization")
                  if getattr(was, f) != getattr(person, f)]
        if fields:
            detail = "; ".join(f"{f}: '{a}' → '{b}'" for f, a, b in fields)
            changes.append(Change("changed", what, f"{what} {person.display_name}",
                                  _person_text(was), _person_text(person), was.loc,
                                  person.loc, detail))
    return changes


def _person_text(person: Person) -> str:
    extra = ", ".join(x for x in (person.role, person.organization) if x)
    return person.display_name + (f", {extra}" if extra else "")


# ---- the body ------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _words(source: str) -> tuple[str, ...]:
    return tuple(plain(source).split())


def similarity(a: str, b: str) -> float:
    """How alike two texts are: the share of their words in common (0 to 1)."""
    if a == b:
        return 1.0
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _alike(a: str, b: str) -> float:
    """:func:`similarity` where it may reach :data:`SIMILAR`, else 0: the bounds on the
    share of words in common (from the lengths, then from the words counted regardless
    of order) rule most pairs out in linear time."""
    if a == b:
        return 1.0
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _signature(value: Any) -> str:
    return json.dumps(value.to_dict(), sort_keys=True, ensure_ascii=False)


def _pairs(old: Sequence[Any], new: Sequence[Any],
           score: Callable[[Any, Any], float]) -> list[tuple[int | None, int | None]]:
    """Match two sequences: equal elements first (in order), then, inside each stretch
    that differs, elements alike enough (``score`` at least :data:`SIMILAR`), in order.
    Returns ``(old index, new index)`` pairs, ``None`` on the side an element lacks, in
    document order."""
    a = [_signature(x) for x in old]
    b = [_signature(x) for x in new]
    result: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [(i1 + k, j1 + k) for k in range(i2 - i1)]
            continue
        result += _pair_region(old, new, range(i1, i2), range(j1, j2), score)
    return result


WINDOW = 4
"""In a stretch that differs, an element is compared with the next few not yet matched
on the other side (where an edited text usually is) ..."""
CLUES = 8
"""... and with the nearest few that share one of its rarest words (where it went when
whole paragraphs were added or removed before it), so that the pairing costs a bounded
number of comparisons per element, never one for every pair."""


def _pair_region(old, new, olds: range, news: range, score) -> list:
    """Pair the elements of one stretch that differs, in order: each old element with
    the best-scoring new one after the previous match, among its :data:`WINDOW` next
    and its :data:`CLUES` nearest sharing a rare word."""
    clues = _clues(old, new, olds, news)
    matched: list[tuple[int, int]] = []
    start = news.start
    for i in olds:
        candidates = sorted({*range(start, min(start + WINDOW, news.stop)),
                             *(j for j in clues(i, start))})
        best, best_j = SIMILAR, None
        for j in candidates:
            s = score(old[i], new[j])
            if s > best or (best_j is None and s >= best):
                best, best_j = s, j
        if best_j is not None:
            matched.append((i, best_j))
            start = best_j + 1
    out: list[tuple[int | None, int | None]] = []
    oi, nj = olds.start, news.start
    for i, j in matched:
        out += [(k, None) for k in range(oi, i)]
        out += [(None, k) for k in range(nj, j)]
        out.append((i, j))
        oi, nj = i + 1, j + 1
    out += [(k, None) for k in range(oi, olds.stop)]
    out += [(None, k) for k in range(nj, news.stop)]
    return out


def _text(value: Any) -> str:
    return getattr(value, "text", None) or getattr(value, "heading", "") or ""


def _clues(old, new, olds: range, news: range) -> Callable[[int, int], list[int]]:
    """For an old element, the new ones (at or after a position) that share one of its
    three rarest words in the stretch, the nearest :data:`CLUES` of them."""
    if len(news) <= WINDOW:
        return lambda i, start: []
    where: dict[str, list[int]] = {}
    for j in news:
        for word in set(_words(_text(new[j]))):
            where.setdefault(word.casefold(), []).append(j)

    def clues(i: int, start: int) -> list[int]:
        words = {w.casefold() for w in _words(_text(old[i]))}
        rare = sorted((len(where[w]), w) for w in words if w in where)[:3]
        found: set[int] = set()
        for _count, word in rare:
            positions = where[word]
            k = bisect.bisect_left(positions, start)
            found.update(positions[k:k + CLUES])
        return sorted(found)[:CLUES]

    return clues


def _block_score(a: Block, b: Block) -> float:
    if type(a) is not type(b):
        return 0.0
    if isinstance(a, Question) and isinstance(b, Question):
        return 1.0 if a.number == b.number else _alike(a.text, b.text)
    if isinstance(a, SummaryTable):
        return 1.0
    return _alike(a.text, b.text)  # type: ignore[union-attr]


def _item_score(a: Item, b: Item) -> float:
    return _alike(a.text, b.text)


def _letter(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]


class _Body:
    def __init__(self, old: SessionSummary, new: SessionSummary):
        self.old = old
        self.new = new
        self.old_numbers = [n for n, _ in old.numbered()]
        self.new_numbers = [n for n, _ in new.numbered()]

    def changes(self) -> list[Change]:
        old, new = self.old.body, self.new.body
        out: list[Change] = []
        for i, j in _pairs(old, new, _block_score):
            if i is None:
                assert j is not None
                out.append(self.whole("added", new[j], j, self.new_numbers))
            elif j is None:
                out.append(self.whole("removed", old[i], i, self.old_numbers))
            elif old[i] != new[j]:
                out += self.compare(old[i], new[j], i, j)
        return out

    # -- naming --------------------------------------------------------------------------
    def name(self, block: Block, index: int, numbers: list[int | None]) -> str:
        if isinstance(block, Paragraph):
            return f"paragraph {numbers[index]}"
        if isinstance(block, Question):
            return f"question {block.number}"
        if isinstance(block, SummaryTable):
            return "table"
        before = next((n for n in reversed(numbers[:index]) if n is not None), None)
        return f"heading after paragraph {before}" if before else "heading before " \
            "paragraph 1"

    @staticmethod
    def what(block: Block) -> str:
        return {Paragraph: "paragraph", Heading: "heading", Question: "question",
                SummaryTable: "table"}[type(block)]

    def whole(self, kind: Kind, block: Block, index: int, numbers) -> Change:
        name = self.name(block, index, numbers)
        text = _block_text(block)
        detail = _contents(block)
        if kind == "added":
            return Change(kind, self.what(block), name, None, text, None, block.loc, detail)
        return Change(kind, self.what(block), name, text, None, block.loc, None, detail)

    # -- one block against its old self --------------------------------------------------
    def compare(self, a: Block, b: Block, i: int, j: int) -> list[Change]:
        name = self.name(b, j, self.new_numbers)
        out: list[Change] = []
        what = self.what(b)
        if isinstance(a, Paragraph) and isinstance(b, Paragraph):
            was = self.old_numbers[i]
            if was != self.new_numbers[j]:
                name += f" (was {was})"
            if a.text != b.text:
                out.append(Change("changed", what, name, a.text, b.text, a.loc, b.loc))
            out += _items(a.items, b.items, lambda k, p=name: f"{p}, item {_letter(k)})",
                          "item")
        elif isinstance(a, Heading) and isinstance(b, Heading):
            out.append(Change("changed", what, name, a.text, b.text, a.loc, b.loc))
        elif isinstance(a, Question) and isinstance(b, Question):
            detail = f"number {a.number} → {b.number}" if a.number != b.number else None
            if a.text != b.text or detail:
                out.append(Change("changed", what, name, a.text, b.text, a.loc, b.loc,
                                  detail))
            out += _items(a.takeaways, b.takeaways,
                          lambda k, p=name: f"{p}, takeaway {k + 1}", "takeaway")
        elif isinstance(a, SummaryTable) and isinstance(b, SummaryTable):
            out += _table(a, b)
        return out


def _block_text(block: Block) -> str:
    if isinstance(block, SummaryTable):
        return " | ".join(c.heading for c in block.columns)
    return block.text


def _contents(block: Block) -> str | None:
    def count(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    if isinstance(block, Question) and block.takeaways:
        return f"with {count(len(block.takeaways), 'takeaway')}"
    if isinstance(block, Paragraph) and block.items:
        return f"with {count(len(block.items), 'lettered item')}"
    if isinstance(block, SummaryTable):
        return f"with {count(sum(len(c.items) for c in block.columns), 'item')}"
    return None


def _items(old: Sequence[Item], new: Sequence[Item], name: Callable[[int], str],
           what: str) -> list[Change]:
    """Changes between two item lists; ``name(k)`` names the item at index ``k``."""
    out: list[Change] = []
    for i, j in _pairs(old, new, _item_score):
        if i is None:
            assert j is not None
            item = new[j]
            out.append(Change("added", what, name(j), None, item.text, None, item.loc,
                              _nested(item)))
        elif j is None:
            item = old[i]
            out.append(Change("removed", what, name(i), item.text, None, item.loc, None,
                              _nested(item)))
        elif old[i] != new[j]:
            a, b = old[i], new[j]
            here = name(j)
            if a.text != b.text:
                out.append(Change("changed", what, here, a.text, b.text, a.loc, b.loc))
            out += _items(a.items, b.items, lambda k, p=here: f"{p}.{k + 1}", what)
    return out


def _nested(item: Item) -> str | None:
    n = sum(1 for _ in item.walk()) - 1
    return f"with {n} nested item" + ("" if n == 1 else "s") if n else None


def _table(a: SummaryTable, b: SummaryTable) -> list[Change]:
    out: list[Change] = []

    def score(x, y) -> float:
        # Columns are matched by heading, else by position: a renamed heading is the
        # same column.
        return 1.0 if x.heading == y.heading else SIMILAR

    for i, j in _pairs(a.columns, b.columns, score):
        if i is None:
            assert j is not None
            col = b.columns[j]
            out.append(Change("added", "column", f"table, column {j + 1}", None, col.heading,
                              None, col.loc, f"with {len(col.items)} items"))
        elif j is None:
            col = a.columns[i]
            out.append(Change("removed", "column", f"table, column {i + 1}", col.heading, None,
                              col.loc, None, f"with {len(col.items)} items"))
        else:
            x, y = a.columns[i], b.columns[j]
            if x == y:
                continue
            if x.heading != y.heading:
                out.append(Change("changed", "column", f"table, column {j + 1} heading",
                                  x.heading, y.heading, x.loc, y.loc))
            name = plain(y.heading) or f"column {j + 1}"
            out += _items(x.items, y.items, lambda k, p=name: f"table, '{p}', item {k + 1}",
                          "table item")
    return out


def word_changes(old: str, new: str) -> list[tuple[Literal["equal", "delete", "insert"], str]]:
    """Two texts as stretches of words kept, deleted and inserted, in order (for showing
    what an edit changed inside a paragraph)."""
    a, b = _SPACES.split(old.strip()), _SPACES.split(new.strip())
    out: list[tuple[Literal["equal", "delete", "insert"], str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", " ".join(b[j1:j2])))
    return out


# ---- alignment: what the redlines show ---------------------------------------------------

@dataclass(frozen=True)
class Pair:
    """An element of the old summary beside its counterpart in the new one, as
    :func:`diff` matches them (``None`` on the side that lacks it), with its parts
    aligned the same way: a paragraph's lettered items, a question's takeaways, a
    table's columns (each with its items), an item's nested items."""

    old: Any
    new: Any
    parts: tuple[Pair, ...] = ()


def align(old: SessionSummary, new: SessionSummary) -> list[Pair]:
    """The bodies of ``old`` and ``new`` aligned block by block, in the new document's
    order (a removed block where it stood): the skeleton of a redline. A closing table
    whose columns were added or removed is a table removed and a table added (tracked
    changes have no column of their own that readers agree on)."""
    out: list[Pair] = []
    for i, j in _pairs(old.body, new.body, _block_score):
        a = old.body[i] if i is not None else None
        b = new.body[j] if j is not None else None
        if isinstance(a, SummaryTable) and isinstance(b, SummaryTable):
            columns = _align_columns(a, b)
            if columns is None:
                out += [Pair(a, None, _block_parts(a, None)),
                        Pair(None, b, _block_parts(None, b))]
            else:
                out.append(Pair(a, b, columns))
            continue
        out.append(Pair(a, b, _block_parts(a, b)))
    return out


def align_items(old: Sequence[Item], new: Sequence[Item]) -> tuple[Pair, ...]:
    """Two item lists aligned, nested items too."""
    out = []
    for i, j in _pairs(old, new, _item_score):
        a = old[i] if i is not None else None
        b = new[j] if j is not None else None
        out.append(Pair(a, b, align_items(a.items if a else (), b.items if b else ())))
    return tuple(out)


def _block_parts(a: Block | None, b: Block | None) -> tuple[Pair, ...]:
    block = a if a is not None else b
    if isinstance(block, Paragraph):
        return align_items(a.items if a else (), b.items if b else ())  # type: ignore[union-attr]
    if isinstance(block, Question):
        return align_items(a.takeaways if a else (), b.takeaways if b else ())  # type: ignore[union-attr]
    if isinstance(block, SummaryTable):
        side = block.columns
        return tuple(Pair(c if a is not None else None, c if b is not None else None,
                          align_items(c.items if a is not None else (),
                                      c.items if b is not None else ()))
                     for c in side)
    return ()


def _align_columns(a: SummaryTable, b: SummaryTable) -> tuple[Pair, ...] | None:
    pairs = _pairs(a.columns, b.columns, lambda x, y: 1.0 if x.heading == y.heading
                   else SIMILAR)
    if any(i is None or j is None for i, j in pairs):
        return None
    return tuple(Pair(a.columns[i], b.columns[j],  # type: ignore[index]
                      align_items(a.columns[i].items, b.columns[j].items))  # type: ignore[index]
                 for i, j in pairs)
