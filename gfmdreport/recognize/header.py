"""The lines before a summary's first paragraph, as a legacy text or a hand-typed Word
document gives them: the title, the session (``GCM Cluster 3: …``), the date line
(``6 September 2017, 10:30-12:30 Hotel Savoyen``) or labelled lines (``Date: …``,
``Venue: …``), and lines naming the chair and rapporteurs (``Chair: Mr. X, …``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from gfmdreport.diagnostics import Location
from gfmdreport.model import Person
from gfmdreport.recognize.dates import parse_label
from gfmdreport.recognize.dates import parse_when
from gfmdreport.recognize.hyphens import Vocabulary
from gfmdreport.recognize.hyphens import join_hyphenated
from gfmdreport.recognize.lazy import lazy
from gfmdreport.recognize.lines import ends_sentence
from gfmdreport.recognize.people import is_label_line
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import collapse
from gfmdreport.recognize.times import parse_time

_SESSION = lazy(
    r"^(?:GCM\s+)?(?:cluster|session|roundtable|round\s+table|RT|panel|working\s+session|"
    r"thematic\s+session|breakout\s+session|table\s+ronde|mesa\s+redonda|sesi[oó]n|s[ée]ance|"
    r"atelier|taller)\s*[\dIVX]+(?:\.\d+)*\s*[:.–—-]", re.I)
_CONNECTOR_END = lazy(r"(?:[,;/&–—-]|\b(?:and|or|of|on|in|for|the|to|at|with|from|"
                            r"de|la|le|les|des|du|del|el|los|las|y|et|en|sur|para|por))$", re.I)


def looks_like_prose(text: str) -> bool:
    """Text that reads as a paragraph rather than a title or a metadata line."""
    text = collapse(text)
    words = len(text.split())
    if parse_when(text) and words <= 25:
        return False
    return words > 60 or (ends_sentence(text) and words > 12 and not _SESSION.match(text))


def read_header(lines: Iterable[Line], notes: Notes, vocab: Vocabulary) -> dict:
    """What the lines before a summary's first paragraph say.

    Returns a dict with ``title``, ``session``, ``date``, ``start``, ``end`` and ``venue``
    (those found), their ``locations``, ``people`` (the label lines such as "Chair: …")
    and ``extra`` (lines that are none of these), each of the last two a list of
    ``(text, line)``. Doubts go to ``notes``; words hyphenated across lines are joined
    as ``vocab`` spells them.
    """
    groups: list[tuple[str, Line]] = []
    for line in lines:
        if groups and _joins(groups[-1][0], line.text) and \
                not parse_when(groups[-1][0]) and not parse_when(line.text):
            text, first = groups[-1]
            groups[-1] = (_join_words(text, line.text, vocab), first)
        else:
            groups.append((line.text, line))
    meta: dict = {"locations": {}, "people": [], "extra": []}
    texts: list[tuple[str, Line]] = []
    for text, line in groups:
        where = notes.at(line)
        label = parse_label(text)
        if is_label_line(text):
            meta["people"].append((text, line))
        elif label and label[0] == "date" and "date" not in meta:
            _when(meta, notes, label[1], line, shift=text.find(label[1]))
        elif label and label[0] == "time" and "start" not in meta:
            found = parse_time(label[1])
            if found:
                meta["start"], meta["end"] = found
                meta["locations"]["time"] = where
            else:
                texts.append((text, line))
        elif label and label[0] == "venue" and "venue" not in meta:
            meta["venue"] = collapse(label[1])
            meta["locations"]["venue"] = where
        elif "date" not in meta and len(text.split()) <= 25 and parse_when(text):
            _when(meta, notes, text, line)
        elif looks_like_prose(text):
            meta["extra"].append((text, line))
        else:
            texts.append((text, line))
    # The title comes first; the session is the line that reads like one
    # ("GCM Cluster 3: …"), or else the line after the title.
    session_at = next((k for k, (t, _ln) in enumerate(texts) if _SESSION.match(t)), None)
    session = texts.pop(session_at) if session_at is not None else None
    if texts:
        text, line = texts.pop(0)
        meta["title"] = collapse(text)
        meta["locations"]["title"] = notes.at(line)
    if session is None and texts:
        session = texts.pop(0)
    if session is not None:
        meta["session"] = collapse(session[0])
        meta["locations"]["session"] = notes.at(session[1])
    meta["extra"] = texts + meta["extra"]
    meta["extra"].sort(key=lambda t: t[1].number)
    return meta


def read_metadata(lines: list[Line], path: str | None = None) -> tuple[dict, list]:
    """:func:`read_header` of ``lines`` on their own, and the warnings found."""
    notes = Notes(path)
    vocab = Vocabulary("\n".join(line.text for line in lines))
    return read_header(lines, notes, vocab), notes.found


def summary_fields(meta: dict, chairs: tuple[Person, ...],
                   rapporteurs: tuple[Person, ...]) -> dict[str, Any]:
    """The :class:`~gfmdreport.model.SessionSummary` fields of the header
    :func:`read_header` read, the chair and the rapporteurs, with their locations."""
    locations = meta["locations"]
    if chairs:
        locations["chairs"] = chairs[0].loc
    if rapporteurs:
        locations["rapporteurs"] = rapporteurs[0].loc
    return {"title": meta.get("title", ""), "session": meta.get("session", ""),
            "date": meta.get("date", ""), "start_time": meta.get("start", ""),
            "end_time": meta.get("end", ""), "venue": meta.get("venue", ""),
            "chairs": chairs, "rapporteurs": rapporteurs,
            "locations": MappingProxyType({k: v for k, v in locations.items() if v})}


def _when(meta: dict, notes: Notes, text: str, line: Line, shift: int = 0) -> None:
    when = parse_when(text)
    if when is None:
        return
    meta["date"] = when.date
    column = line.column + shift
    meta["locations"]["date"] = Location(notes.path, line.number, column + when.at["date"])
    if when.doubt:
        notes.warn("text-date", when.doubt, meta["locations"]["date"])
    if when.start and "start" not in meta:
        meta["start"], meta["end"] = when.start, when.end
        meta["locations"]["time"] = Location(notes.path, line.number,
                                             column + when.at["time"])
    if when.venue and "venue" not in meta:
        meta["venue"] = when.venue
        meta["locations"]["venue"] = Location(notes.path, line.number,
                                              column + when.at["venue"])


def _joins(prev: str, text: str) -> bool:
    """In the metadata lines: ``text`` continues the line ``prev``."""
    first = text.strip()[:1]
    return first.islower() or bool(_CONNECTOR_END.search(prev.strip()))


def _join_words(prev: str, text: str, vocab: Vocabulary) -> str:
    if prev.endswith(("-", "‐")):
        result = join_hyphenated(prev, text, vocab)
        if result:
            return result[0]
    return f"{prev} {text}"
