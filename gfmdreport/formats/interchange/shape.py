"""The interchange format (YAML and JSON) in: text → checked, canonical dict → model.

YAML is composed into nodes (never constructed into arbitrary objects), so every value
keeps its line and column, aliases are refused and no tag can run code. JSON goes
through the same path, since JSON is a subset of YAML's flow style.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import yaml

from gfmdreport import limits
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import error
from gfmdreport.formats.interchange import schema
from gfmdreport.model import SessionSummary
from gfmdreport.recognize.times import split_time
from gfmdreport.typography import collapse_space

Pointer = tuple[Any, ...]
MAX_DEPTH = 64
"""Nesting of YAML/JSON data read at the default nesting-depth limit (lists of items
inside items take two levels each); it grows with ``GFMDREPORT_MAX_DEPTH``."""
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
# Runs of white space collapse to one space, except the no-break spaces (U+00A0, U+2007,
# U+202F) that French typography puts before : ; ? ! and inside guillemets.


class Located:
    """A plain-data value with the source location of every node in it."""

    def __init__(self, data: Any, path: str | None):
        self.data = data
        self.path = path
        self.values: dict[Pointer, Location] = {}
        self.keys: dict[Pointer, Location] = {}

    def locate(self, at: Pointer, key: bool = False) -> Location:
        table = self.keys if key else self.values
        while at not in table and at:
            at = at[:-1]
            table = self.values
        return table.get(at) or Location(self.path)


def _mark(path: str | None, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def compose_yaml(text: str, path: str | None) -> Located:
    """Parse YAML text into plain data with locations. Raises InputError."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        raise InputError.single("yaml-syntax", problem, _mark(path, mark) if mark else
                                Location(path)) from None
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position] if isinstance(exc.position, int) else ""
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        character = exc.character if isinstance(exc.character, int) else ord(
            str(exc.character or "?")[:1] or "?")
        raise InputError.single("yaml-syntax", f"the character U+{character:04X} is not "
                                "allowed in YAML", Location(path, line, column),
                                "delete it: most editors do not show it") from None
    except yaml.YAMLError as exc:
        raise InputError.single("yaml-syntax", str(exc).splitlines()[0], Location(path)) from None
    except RecursionError:
        raise InputError.single("too-deep", "the YAML is nested too deeply to read",
                                Location(path)) from None
    if node is None:
        raise InputError.single("empty", "the file holds no summary", Location(path, 1, 1),
                                "write the summary's keys (title, session, …, body)")
    result = Located(None, path)
    max_depth = max(MAX_DEPTH, 2 * limits.DEPTH.value() + 24)
    seen: set[int] = set()
    constructor = yaml.constructor.SafeConstructor()
    problems: list[Diagnostic] = []

    def convert(n: Any, at: Pointer, depth: int) -> Any:
        loc = _mark(path, n.start_mark)
        result.values[at] = loc
        if id(n) in seen:
            # An alias is the anchored node itself: point at the key that uses it.
            problems.append(error("yaml-alias", "YAML aliases (*name) are not supported",
                                  result.keys.get(at, loc), "write the value out in full"))
            return None
        seen.add(id(n))
        if depth > max_depth:
            problems.append(limits.DEPTH.diagnostic(None, "the data is nested", loc))
            return None
        if isinstance(n, yaml.ScalarNode):
            if n.tag in _SCALARS:
                try:
                    return constructor.construct_object(n)
                except ValueError:  # an integer of more digits than Python converts
                    return n.value
            return n.value
        if isinstance(n, yaml.SequenceNode):
            return [convert(child, (*at, i), depth + 1) for i, child in enumerate(n.value)]
        mapping: dict[Any, Any] = {}
        for key_node, value_node in n.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(error("yaml-key", "a key must be plain text",
                                      _mark(path, key_node.start_mark)))
                continue
            key = key_node.value
            key_loc = _mark(path, key_node.start_mark)
            if key in mapping:
                problems.append(error("duplicate-key", f"duplicate key '{key}'", key_loc,
                                      "remove one of them"))
                continue
            result.keys[(*at, key)] = key_loc
            mapping[key] = convert(value_node, (*at, key), depth + 1)
        return mapping

    try:
        result.data = convert(node, (), 0)
    except RecursionError:
        raise InputError.single("too-deep", "the YAML is nested too deeply to read",
                                Location(path)) from None
    if problems:
        raise InputError(problems)
    return result


def _json_int(digits: str) -> int | str:
    """A JSON integer, or its digits when it is longer than Python converts."""
    try:
        return int(digits)
    except ValueError:
        return digits


def _json_object(duplicates: list[str]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in pairs:
            if key in found:
                duplicates.append(key)
            found[key] = value
        return found

    return build


_SURROGATE = re.compile("[\ud800-\udfff]")


def _strings(data: Any) -> Iterator[str]:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _check_surrogates(data: Any, text: str, path: str | None) -> None:
    """Refuse a ``\\uD800``-style escape that is half of a UTF-16 pair (json pairs the
    halves it finds together; a half left over is no character and no UTF-8 file can
    hold it)."""
    codes = {f"{ord(c):04x}" for value in _strings(data) for c in _SURROGATE.findall(value)}
    if not codes:
        return
    escape = re.search(r"\\u(" + "|".join(sorted(codes)) + ")", text, re.IGNORECASE)
    where, code = Location(path), min(codes)
    if escape is not None:
        code = escape.group(1).lower()
        before = text[:escape.start()]
        where = Location(path, before.count("\n") + 1,
                         len(before) - (before.rfind("\n") + 1) + 1)
    raise InputError.single("encoding", f"'\\u{code.upper()}' is half of a UTF-16 "
                            "surrogate pair, not a character", where,
                            "write the character itself, or both halves of the pair")


def compose_json(text: str, path: str | None) -> Located:
    """Parse JSON with locations. Syntax errors come from the JSON parser itself."""
    duplicates: list[str] = []
    try:
        data = json.loads(text, parse_int=_json_int, object_pairs_hook=_json_object(duplicates))
    except json.JSONDecodeError as exc:
        raise InputError.single("json-syntax", exc.msg, Location(path, exc.lineno, exc.colno)
                                ) from None
    except RecursionError:
        raise InputError.single("too-deep", "the JSON is nested too deeply to read",
                                Location(path)) from None
    if "\\u" in text:
        _check_surrogates(data, text, path)
    try:
        return compose_yaml(text, path)
    except InputError as exc:
        if any(d.rule != "yaml-syntax" for d in exc.diagnostics):
            raise
        # Valid JSON that YAML 1.1 reads differently (rare escapes): no locations then.
        if duplicates:
            raise InputError.single("duplicate-key", f"duplicate key '{duplicates[0]}'",
                                    Location(path), "remove one of them") from None
        return Located(data, path)


def parse_data(located: Located) -> SessionSummary:
    """Check ``located.data`` against the schema, canonicalise it, build the model."""
    problems = schema.check(located.data, located.locate)
    data = located.data
    if not problems and "chair" in data and "chairs" in data:
        problems.append(error("duplicate-key", "give either 'chair' or 'chairs', not both",
                              located.locate(("chair",), True)))
    if problems:
        raise InputError(problems)
    canonical, locations = canonicalize(data, located)
    return SessionSummary.from_dict(canonical, lambda at: locations.get(at), located.path)


def canonicalize(data: dict[str, Any], located: Located) -> tuple[dict[str, Any],
                                                                  dict[Pointer, Location]]:
    """The canonical interchange dict for checked input, with the location of each
    canonical pointer. Short forms are expanded, a single ``chair`` becomes ``chairs``,
    implied question numbers are filled in and runs of white space in text collapse to
    one space (a folded YAML line reads as one line)."""
    out: dict[str, Any] = {}
    locs: dict[Pointer, Location] = {}

    def place(new: Pointer, old: Pointer) -> None:
        locs[new] = located.locate(old)

    for key in ("title", "session", "date", "time", "venue", "language"):
        if key in data:
            out[key] = _clean(str(data[key]))
            place((key,), (key,))
    if out.get("time"):  # "9:30 – 11:00" → "09:30-11:00", the canonical form
        out["time"] = "-".join(t for t in split_time(out["time"]) if t)
    for key, source in (("chairs", "chairs"), ("chairs", "chair"), ("rapporteurs", "rapporteurs")):
        if source not in data:
            continue
        people = data[source] if isinstance(data[source], list) else [data[source]]
        out[key] = []
        for i, person in enumerate(people):
            old = (source, i) if source != "chair" else (source,)
            out[key].append({k: _clean(v) for k, v in person.items()})
            place((key, i), old)
    if data.get("labels"):
        out["labels"] = dict(data["labels"])
    out["body"] = []
    last_number = 0
    for i, raw in enumerate(data["body"]):
        old, new = ("body", i), ("body", i)
        place(new, old)
        kind = raw["type"] if "type" in raw else _short_kind(raw)
        if "type" in raw:
            fields, base = raw, old
        elif kind == "question":
            fields, base = raw["question"], (*old, "question")
        elif kind == "table":
            fields, base = {"columns": raw["table"]}, (*old, "table")
        else:
            fields = {"text": raw[kind], **{k: v for k, v in raw.items() if k != kind}}
            base = old
        block: dict[str, Any] = {"type": kind}
        if kind in ("paragraph", "heading"):
            block["text"] = _clean(fields["text"])
            if fields.get("items"):
                block["items"] = _items(fields["items"], (*base, "items"), (*new, "items"),
                                        place)
        elif kind == "question":
            number = fields.get("number") or last_number + 1
            last_number = number
            block["number"] = number
            block["text"] = _clean(fields.get("text", ""))
            block["takeaways"] = _items(fields.get("takeaways") or [], (*base, "takeaways"),
                                        (*new, "takeaways"), place)
        else:
            prefix = (*base, "columns") if "type" in raw else base
            block["columns"] = []
            for j, col in enumerate(fields["columns"]):
                place((*new, "columns", j), (*prefix, j))
                block["columns"].append({
                    "heading": _clean(col["heading"]),
                    "items": _items(col["items"], (*prefix, j, "items"),
                                    (*new, "columns", j, "items"), place),
                })
        out["body"].append(block)
    return out, locs


def _short_kind(raw: dict[str, Any]) -> str:
    """The block type of a short-form block (``{paragraph: …, items: […]}``): the key
    that names a block, wherever it stands (a YAML mapping has no order)."""
    return next(key for key in schema.SHORT_VARIANTS if key in raw)


def _items(items: list[Any], old: Pointer, new: Pointer,
           place: Callable[[Pointer, Pointer], None]) -> list[Any]:
    result: list[Any] = []
    for i, item in enumerate(items):
        place((*new, i), (*old, i))
        if isinstance(item, str):
            result.append(_clean(item))
        else:
            children = _items(item.get("items") or [], (*old, i, "items"), (*new, i, "items"),
                              place)
            text = _clean(item["text"])
            result.append({"text": text, "items": children} if children else text)
    return result


_clean = collapse_space


def read_yaml(text: str, path: str | None = None) -> SessionSummary:
    return parse_data(compose_yaml(text, path))


def read_json(text: str, path: str | None = None) -> SessionSummary:
    return parse_data(compose_json(text, path))
