"""What people type in the metadata of the interchange format (front matter, YAML,
JSON), read into its shape before the schema checks it: keys spelt otherwise, people as
text, dates and times as typed. The recognising itself is :mod:`gfmdreport.recognize`'s,
shared with the other readers."""

from __future__ import annotations

import re
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import error
from gfmdreport.diagnostics import warning
from gfmdreport.formats.interchange import schema
from gfmdreport.formats.interchange.located import Located
from gfmdreport.formats.interchange.located import Pointer
from gfmdreport.recognize.dates import read_date
from gfmdreport.recognize.people import honorific_prefix
from gfmdreport.recognize.people import read_people
from gfmdreport.recognize.times import read_time

_TOP_KEYS = {
    "chair": "chair", "chairperson": "chair", "chairman": "chair", "chairwoman": "chair",
    "chairs": "chairs", "co-chairs": "chairs", "co_chairs": "chairs", "cochairs": "chairs",
    "co-chair": "chairs", "co_chair": "chairs", "chairpersons": "chairs",
    "rapporteur": "rapporteurs", "rapporteurs": "rapporteurs",
    "co-rapporteurs": "rapporteurs", "co_rapporteurs": "rapporteurs",
    **{key: key for key in ("title", "session", "date", "time", "venue", "language", "body",
                            "labels")},
}
"""The spellings of the top-level keys read as the canonical ones (any case)."""
_PERSON_KEYS = {
    "honorific": "honorific", "honourific": "honorific", "salutation": "honorific",
    "name": "name", "full name": "name", "full_name": "name",
    "role": "role", "position": "role", "function": "role",
    "organization": "organization", "organisation": "organization", "org": "organization",
    "affiliation": "organization", "institution": "organization",
}
"""The spellings of a person's keys read as the canonical ones (any case)."""
_PERSON_FIELDS = ("honorific", "name", "role", "organization")


def _move(located: Located, old: Pointer, new: Pointer) -> None:
    """The locations under ``old`` are now those under ``new``."""
    if old == new:
        return
    size = len(old)
    for table in (located.values, located.keys, located.raw):
        moved = {(*new, *at[size:]): table.pop(at) for at in list(table) if at[:size] == old}
        table.update(moved)


def _text_of(located: Located, at: Pointer, value: Any) -> Any:
    """A scalar where text is expected, as it was written (``14:30``, not 870)."""
    if isinstance(value, (int, float, bool)) or value is None:
        return located.raw.get(at, value if value is None else str(value))
    return value


def _rename(located: Located, at: Pointer, mapping: dict[Any, Any],
            spellings: dict[str, str], problems: list[Diagnostic]) -> dict[Any, Any]:
    """``mapping`` with its keys spelt canonically; two spellings of one key are an
    error (the first is kept)."""
    out: dict[Any, Any] = {}
    for key, value in mapping.items():
        canonical = spellings.get(" ".join(str(key).lower().split()), key)
        if canonical in out:
            problems.append(error("duplicate-key", f"'{key}' is '{canonical}' again",
                                  located.locate((*at, key), True),
                                  f"keep one '{canonical}:'"))
            _move(located, (*at, key), (*at, "\x00gone"))
            continue
        _move(located, (*at, key), (*at, canonical))
        out[canonical] = value
    return out


def normalise(located: Located) -> list[Diagnostic]:
    """Read what people type in the metadata (front matter, YAML, JSON): keys spelt
    otherwise (``organisation``, ``rapporteur``, ``co-chairs``, ``Date``), people as
    text (``chair: Ms. Jane Doe, Director of …, Ministry of …``, a list of names,
    ``chair: A and B``), dates and times as typed (``12 March 2018``, ``2.30–4 pm``).
    ``located.data`` becomes the interchange shape; the guesses that could be wrong
    come back as warnings that say how to write the value unambiguously."""
    data = located.data
    if not isinstance(data, dict):
        return []
    found: list[Diagnostic] = []
    data = located.data = _rename(located, (), data, _TOP_KEYS, found)
    for key in ("title", "session", "venue", "language"):
        if key in data:
            data[key] = _text_of(located, (key,), data[key])
    _date(located, data, found)
    _time(located, data, found)
    chair = data.get("chair")
    if "chairs" not in data and (isinstance(chair, list) or (
            isinstance(chair, str) and len(read_people(chair)) > 1)):
        _move(located, ("chair",), ("chairs",))
        data = located.data = {("chairs" if k == "chair" else k): v for k, v in data.items()}
    for key in ("chair", "chairs", "rapporteurs"):
        if key in data:
            data[key] = _people(located, key, data[key], found)
    return found


def _date(located: Located, data: dict[str, Any], found: list[Diagnostic]) -> None:
    if "date" not in data:
        return
    value = data["date"] = _text_of(located, ("date",), data["date"])
    if not isinstance(value, str) or re.match(schema.DATE_PATTERN, value.strip()):
        return
    typed = read_date(value)
    if typed is None:
        return
    data["date"] = typed.iso
    where = located.locate(("date",))
    if typed.doubt:
        found.append(warning("ambiguous-date", typed.doubt, where,
                             f"write it as {typed.iso} (YYYY-MM-DD) to say which"))
    if typed.language and "language" not in data:
        data["language"] = typed.language
        located.values[("language",)] = where


def _time(located: Located, data: dict[str, Any], found: list[Diagnostic]) -> None:
    if "time" not in data:
        return
    value = data["time"] = _text_of(located, ("time",), data["time"])
    if not isinstance(value, str) or re.match(schema.TIME_PATTERN, value.strip()):
        return
    typed = read_time(value)
    if typed is not None:
        data["time"] = "-".join(t for t in typed if t)


def _people(located: Located, key: str, value: Any, found: list[Diagnostic]) -> Any:
    """A person or list of people as typed, in the interchange shape."""
    if key == "chair":
        if isinstance(value, str):
            people = _typed_people(located, (key,), value, found)
            return people[0] if people else value
        return _person(located, (key,), value) if isinstance(value, dict) else value
    if isinstance(value, str):
        value = [value]
        _move(located, (key,), (key, 0))
        located.values[(key,)] = located.values.get((key, 0), Location(located.path))
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    moves: list[tuple[Pointer, Pointer]] = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            people = _typed_people(located, (key, i), item, found) or [item]
        else:
            people = [_person(located, (key, i), item) if isinstance(item, dict) else item]
        for person in people:
            moves.append(((key, i), (key, len(out))))
            out.append(person)
    _renumber(located, key, moves)
    return out


def _renumber(located: Located, key: str, moves: list[tuple[Pointer, Pointer]]) -> None:
    """The locations under ``(key, i)`` as the list's new places say (one typed entry
    may give several people)."""
    for table in (located.values, located.keys, located.raw):
        old = {at: table.pop(at) for at in list(table) if len(at) > 1 and at[0] == key}
        for before, after in moves:
            for at, where in old.items():
                if at[:2] == before:
                    table[(*after, *at[2:])] = where


def _person(located: Located, at: Pointer, person: dict[Any, Any]) -> dict[Any, Any]:
    person = _rename(located, at, person, _PERSON_KEYS, [])
    for field in _PERSON_FIELDS:
        if field in person:
            person[field] = _text_of(located, (*at, field), person[field])
    name = person.get("name")
    if isinstance(name, str) and not person.get("honorific"):
        honorific, bare = honorific_prefix(name)  # name: Ms. Jane Doe
        if honorific:
            person = {"honorific": honorific, **person, "name": bare}
            located.values.setdefault((*at, "honorific"), located.locate((*at, "name")))
    return person


def _typed_people(located: Located, at: Pointer, text: str,
                  found: list[Diagnostic]) -> list[dict[str, str]]:
    out = []
    where = located.locate(at)
    for typed in read_people(text):
        person = {f: getattr(typed.person, f) for f in _PERSON_FIELDS
                  if getattr(typed.person, f)}
        if typed.doubts:
            shown = ", ".join(f"{f}: {v}" for f, v in person.items())
            found.append(warning(
                "person", f"read '{typed.text}' as {shown}; {'; '.join(typed.doubts)}",
                where, "if that is not right, write the person as a mapping: "
                f"{{{shown}}}"))
        out.append(person)
    return out


