"""The proceedings manifest: YAML (or JSON) naming the event and listing its sessions.

::

    title: GFMD Thematic Workshop on GFMD's contribution to the GCM
    subtitle: Report of the proceedings
    dates: [2017-09-06, 2017-09-07]      # or one date
    venue: Vienna, Austria
    organisers: [GFMD 2017-2018 Co-Chairmanship of Germany and Morocco]
    language: en
    numbering: restart                   # continuous | prefixed
    foreword: A paragraph, or a list of paragraphs (inline markup)
    introduction: [...]
    sessions:
      - part: Thematic workshop          # a part heading and its sessions
        sessions:
          - gcm-cluster-3.yaml
          - path: gcm-cluster-1.md
      - closing.yaml                     # a session outside any part

Paths are relative to the manifest's folder. Every problem is reported where it is
(file:line:col), with how to fix it; nothing is read until the whole manifest is right.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import error
from gfmdreport.event import NUMBERINGS
from gfmdreport.files import decode
from gfmdreport.files import read_bytes

KEYS = ("title", "subtitle", "dates", "venue", "organisers", "language", "numbering",
        "foreword", "introduction", "sessions")
SESSION_KEYS = ("path", "part", "sessions")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_MANIFEST_HINT = re.compile(rb"^sessions\s*:", re.MULTILINE)
_SUMMARY_HINT = re.compile(rb"^body\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    """A session the manifest lists: its path as written, the file to read, the part
    it is listed under and where it is listed."""

    path: str
    file: str
    part: str
    loc: Location


@dataclass(frozen=True)
class Manifest:
    """A checked manifest: the event's metadata and the sessions to read."""

    path: str
    meta: dict[str, Any]
    """title, subtitle, start_date, end_date, venue, organisers, language, numbering,
    foreword, introduction (as the :class:`~gfmdreport.Proceedings` fields)."""
    entries: tuple[Entry, ...]
    locations: dict[str, Location]


def looks_like_manifest(data: bytes) -> bool:
    """Whether a YAML file is a proceedings manifest rather than a summary: it has a
    top-level ``sessions`` key and no ``body``."""
    return bool(_MANIFEST_HINT.search(data)) and not _SUMMARY_HINT.search(data)


def read_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read and check a manifest; raise :class:`~gfmdreport.InputError` listing every
    problem found in it."""
    name = os.fspath(path)
    text = decode(read_bytes(name), name)
    if not text.strip():
        raise InputError.single("empty", "the manifest is empty", Location(name, 1, 1),
                                "write the event's title and its sessions (docs/"
                                "proceedings.md)")
    data, locate = compose(text, name)
    return parse_manifest(data, name, locate)


def compose(text: str, name: str):
    """The manifest's YAML (or JSON) as plain data, and ``locate(pointer, key)`` giving
    where a value (or its key) is. Nodes are composed, never constructed: no tag runs
    code; aliases are refused."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
        raise InputError.single("yaml-syntax", exc.problem or exc.context or "invalid YAML",
                                where, "see docs/proceedings.md for the manifest's form"
                                ) from None
    except yaml.YAMLError as exc:
        raise InputError.single("yaml-syntax", str(exc).splitlines()[0],
                                Location(name)) from None
    values: dict[tuple, Location] = {}
    keys: dict[tuple, Location] = {}
    seen: set[int] = set()

    def at(mark) -> Location:
        return Location(name, mark.line + 1, mark.column + 1)

    def convert(n, pointer: tuple, depth: int):
        values[pointer] = at(n.start_mark)
        if id(n) in seen or depth > 32:
            raise InputError.single("manifest", "aliases and deep nesting are not "
                                    "supported in a manifest", at(n.start_mark),
                                    "write the value out in full")
        seen.add(id(n))
        if isinstance(n, yaml.ScalarNode):
            return n.value if n.tag != "tag:yaml.org,2002:null" else None
        if isinstance(n, yaml.SequenceNode):
            return [convert(c, (*pointer, i), depth + 1) for i, c in enumerate(n.value)]
        mapping = {}
        for key_node, value_node in n.value:
            key = str(key_node.value)
            if key in mapping:
                raise InputError.single("duplicate-key", f"duplicate key '{key}'",
                                        at(key_node.start_mark), "remove one of them")
            keys[(*pointer, key)] = at(key_node.start_mark)
            mapping[key] = convert(value_node, (*pointer, key), depth + 1)
        return mapping

    data = None if node is None else convert(node, (), 0)

    def locate(pointer: tuple, key: bool = False) -> Location:
        table = keys if key else values
        while pointer not in table and pointer:
            pointer = pointer[:-1]
            table = values
        return table.get(pointer) or Location(name)

    return data, locate


def parse_manifest(data: Any, name: str, locate) -> Manifest:
    """Check the manifest's data (``locate(pointer, key)`` gives a value's location)."""
    problems: list[Diagnostic] = []

    def at(*pointer: Any, key: bool = False) -> Location:
        return locate(tuple(pointer), key)

    def bad(pointer: tuple, message: str, hint: str, key: bool = False) -> None:
        problems.append(error("manifest", message, at(*pointer, key=key), hint))

    if not isinstance(data, dict):
        raise InputError.single("manifest", f"the manifest is {_kind(data)}, not a mapping "
                                "of keys", Location(name, 1, 1), "start with 'title:' and "
                                "list the sessions under 'sessions:' (docs/proceedings.md)")
    for key in data:
        if key not in KEYS:
            import difflib

            guess = next(iter(difflib.get_close_matches(str(key), KEYS, 1, 0.75)), None)
            bad((key,), f"unknown key '{key}'",
                f"did you mean '{guess}'?" if guess else f"the keys are {', '.join(KEYS)}",
                key=True)

    def text(key: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                bad((), f"the manifest has no '{key}'", f"add '{key}: …' (the event's "
                    f"{key})")
            return ""
        if isinstance(value, (dict, list)):
            bad((key,), f"'{key}' is {_kind(value)}, not text", f"write '{key}' as one line")
            return ""
        return " ".join(str(value).split())

    def paragraphs(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        out = []
        for i, v in enumerate(values):
            if isinstance(v, (dict, list)) or v is None:
                where = (key, i) if isinstance(value, list) else (key,)
                bad(where, f"'{key}' holds {_kind(v)} where a paragraph should be",
                    "write each paragraph as text (a list of texts for several)")
                continue
            if str(v).strip():
                out.append(" ".join(str(v).split()))
        return tuple(out)

    meta: dict[str, Any] = {
        "title": text("title", required=True),
        "subtitle": text("subtitle"),
        "venue": text("venue"),
        "language": text("language") or "en",
        "numbering": text("numbering") or "restart",
        "foreword": paragraphs("foreword"),
        "introduction": paragraphs("introduction"),
        "organisers": paragraphs("organisers"),
    }
    if not _LANGUAGE.match(meta["language"]):
        bad(("language",), f"'{meta['language']}' is not a language code",
            "write a code such as en, fr or es")
    if meta["numbering"] not in NUMBERINGS:
        bad(("numbering",), f"unknown numbering '{meta['numbering']}'",
            f"write one of {', '.join(NUMBERINGS)}")
    meta["start_date"], meta["end_date"] = _dates(data.get("dates"), at, bad)

    entries: list[Entry] = []
    folder = os.path.dirname(name)
    sessions = data.get("sessions")
    if sessions is None:
        bad((), "the manifest lists no sessions", "add 'sessions:' and list the summaries' "
            "files under it, one per line ('- gcm-cluster-3.yaml')")
    elif not isinstance(sessions, list) or not sessions:
        bad(("sessions",), "'sessions' must be a list of the summaries' files",
            "list them one per line, each starting with '- '")
    else:
        for i, entry in enumerate(sessions):
            _entry(entry, ("sessions", i), "", folder, entries, at, bad, nested=False)
    if problems:
        raise InputError(problems)
    locations = {key: at(key, key=True) for key in data}
    return Manifest(name, meta, tuple(entries), locations)


def _entry(entry: Any, pointer: tuple, part: str, folder: str, entries: list[Entry], at,
           bad, nested: bool) -> None:
    if isinstance(entry, str) or (isinstance(entry, dict) and "path" in entry):
        path = entry if isinstance(entry, str) else entry["path"]
        if isinstance(entry, dict):
            extra = [k for k in entry if k != "path"]
            if extra:
                bad((*pointer, extra[0]), f"a session entry takes only 'path', not "
                    f"'{extra[0]}'", "remove the key, or make this a part with "
                    "'part:' and 'sessions:'", key=True)
        if not isinstance(path, str) or not path.strip():
            bad(pointer, "a session's path is empty", "give the summary's file, relative "
                "to the manifest")
            return
        entries.append(Entry(path, os.path.normpath(os.path.join(folder, path)), part,
                             at(*pointer)))
        return
    if isinstance(entry, dict) and "part" in entry:
        if nested:
            bad(pointer, "a part inside a part", "parts are one level deep: list the "
                "sessions of this part under the outer one, or make it a part of its own")
            return
        extra = [k for k in entry if k not in ("part", "sessions")]
        if extra:
            bad((*pointer, extra[0]), f"unknown key '{extra[0]}' in a part",
                "a part has 'part' (its heading) and 'sessions'", key=True)
        heading = entry.get("part")
        if not isinstance(heading, str) or not heading.strip():
            bad((*pointer, "part"), "a part needs a heading", "write 'part: Roundtable 1'")
            heading = ""
        inner = entry.get("sessions")
        if not isinstance(inner, list) or not inner:
            bad((*pointer, "part"), f"the part '{heading}' lists no sessions",
                "list its summaries under 'sessions:', one per line", key=True)
            return
        for j, child in enumerate(inner):
            _entry(child, (*pointer, "sessions", j), " ".join(heading.split()), folder,
                   entries, at, bad, nested=True)
        return
    bad(pointer, f"a session is {_kind(entry)}", "write the summary's file ('- "
        "notes.md'), or a part ('- part: …' with 'sessions:')")


def _dates(value: Any, at, bad) -> tuple[str, str]:
    if value is None:
        return "", ""
    values = value if isinstance(value, list) else [value]
    pointer = ("dates",)
    if not 1 <= len(values) <= 2:
        bad(pointer, "'dates' is one date, or the first and the last day",
            "write 'dates: 2017-09-06' or 'dates: [2017-09-06, 2017-09-07]'")
        return "", ""
    out = []
    for i, v in enumerate(values):
        where = (*pointer, i) if isinstance(value, list) else pointer
        text = str(v).strip() if isinstance(v, (str, _dt.date)) else ""
        try:
            _dt.date.fromisoformat(text)
        except ValueError:
            bad(where, f"'{v}' is not a date written YYYY-MM-DD", "write it as 2017-09-06")
            return "", ""
        out.append(text)
    start, end = out[0], out[-1] if len(out) == 2 else ""
    if end and end < start:
        bad(pointer, f"the last day {end} comes before the first {start}",
            "give the first day, then the last")
    return start, end


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return "text" if isinstance(value, str) else f"a {type(value).__name__}"
