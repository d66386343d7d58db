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
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import yaml

from gfmdreport import limits
from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import error
from gfmdreport.diagnostics import warning
from gfmdreport.formats.interchange import schema
from gfmdreport.formats.interchange.located import Located
from gfmdreport.formats.interchange.located import Pointer
from gfmdreport.formats.interchange.typed import normalise
from gfmdreport.model import SessionSummary
from gfmdreport.recognize.times import split_time
from gfmdreport.typography import collapse_space

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


def _mark(path: str | None, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


_SYNTAX_HINTS = (
    ("cannot start any token", "indent with spaces: YAML does not allow a tab there"),
    ("mapping values are not allowed", "quote a value that holds ': ' (a colon and a "
     "space), e.g. session: \"GCM Cluster 3: …\""),
    ("could not find expected ':'", "write 'key: value', with a colon and a space after "
     "the key"),
    ("quoted scalar", "close the quote opened here, or remove it"),
    ("flow sequence", "close the '[' opened here with ']', or quote the value"),
    ("flow mapping", "close the '{' opened here with '}', or quote the value"),
    ("expected key", "indent this line as the other keys of its mapping, with spaces"),
    ("expected <block end>", "indent this line as the other keys of its mapping, with "
     "spaces"),
    ("expected '-' indicator", "indent the items of a list alike, each starting '- '"),
    ("expected alphabetic or numeric character", "quote a value that starts with '*', "
     "'&' or '!'"),
)
MAX_SYNTAX_REPAIRS = 50
"""Syntax errors a YAML text is read past (each repaired or its line skipped)."""


def _syntax_error(exc: yaml.MarkedYAMLError, path: str | None,
                  text: str) -> tuple[Diagnostic, int | None]:
    """The diagnostic of a YAML syntax error, and the 0-based line to repair."""
    problem = exc.problem or exc.context or "invalid YAML"
    opened = any(word in (exc.context or "") for word in ("quoted scalar", "flow sequence",
                                                             "flow mapping"))
    mark = (exc.context_mark if opened and exc.context_mark else
            exc.problem_mark or exc.context_mark)
    lines = text.split("\n")
    tab = mark is not None and mark.line < len(lines) and \
        lines[mark.line][mark.column:mark.column + 1] == "\t"
    lowered = f"{exc.problem or ''} {exc.context or ''}"
    if tab:
        problem, hint = "a tab where YAML expects spaces", _SYNTAX_HINTS[0][1]
    else:
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        hint = next((h for key, h in _SYNTAX_HINTS if key in lowered),
                    "write one 'key: value' per line, indented with spaces")
    where = _mark(path, mark) if mark else Location(path)
    return error("yaml-syntax", problem, where, hint), (mark.line if mark else None)


_READ_PAST = frozenset({"duplicate-key", "yaml-alias", "yaml-key"})
"""Problems of composed YAML that the rest of the file is read past (the first of two
keys kept, an alias or a key that is not text left out)."""


_KEY_VALUE = re.compile(r"^(?P<key>\s*(?:-\s+)?[\w -]+:[ \t]+)(?P<value>[^\s\"'\[{].*?)\s*$")
_OPEN_QUOTE = re.compile(r"^(?P<key>\s*(?:-\s+)?[\w -]+:[ \t]+)(?P<q>[\"'])(?P<value>[^\"']*)$")


def _repair(text: str, line: int, problem: str) -> tuple[str, str]:
    """``text`` with its 0-based ``line`` repaired, and how: tabs in it become spaces
    (``tab``), a value holding ``: `` is quoted (``quoted``), a quote left open is
    closed (``closed``); any other line is left out (``skipped``). Lines keep their
    numbers."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return text, ""
    current = lines[line]
    kv = _KEY_VALUE.match(current)
    opened = _OPEN_QUOTE.match(current)
    if "\t" in current:
        lines[line], how = current.replace("\t", "  "), "tab"
    elif "mapping values are not allowed" in problem and kv and ": " in kv.group("value"):
        value = kv.group("value").replace("\\", "\\\\").replace('"', '\\"')
        lines[line], how = f'{kv.group("key")}"{value}"', "quoted"
    elif "quoted scalar" in problem and opened:
        lines[line], how = current.rstrip() + opened.group("q"), "closed"
    else:
        lines[line], how = "", "skipped"
    return "\n".join(lines), how


def compose_yaml(text: str, path: str | None, recover: bool = False) -> Located:
    """Parse YAML text into plain data with locations. Raises InputError.

    With ``recover``, a syntax error does not end the reading: it is kept in
    ``Located.problems`` and the text is read again with the line repaired (a tab turned
    into spaces) or left out, so that the rest of the file is read and checked in the
    same run."""
    syntax: list[Diagnostic] = []
    reported: set[int] = set()
    attempt = text
    node = None
    for _round in range(MAX_SYNTAX_REPAIRS + 1):
        try:
            node = yaml.compose(attempt, Loader=_Loader)
            break
        except yaml.MarkedYAMLError as exc:
            found, line = _syntax_error(exc, path, attempt)
            if not recover or line is None or _round == MAX_SYNTAX_REPAIRS:
                raise InputError([*syntax, found]) from None
            repaired, how = _repair(attempt, line, f"{exc.problem} {exc.context}")
            if how == "quoted" and line not in reported:
                # 'session: GCM Cluster 3: …' can mean one thing only: read, with a warning
                found = warning("yaml-syntax", "a value holding ': ' (a colon and a space) "
                                "is read as text", found.location, found.hint)
            if line not in reported:
                syntax.append(found)
            if repaired == attempt:
                raise InputError(syntax) from None
            reported.add(line)
            attempt = repaired
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
            raise InputError.single("yaml-syntax", str(exc).splitlines()[0], Location(path),
                                    "check the file is YAML: 'key: value' lines") from None
        except RecursionError:
            raise InputError.single("too-deep", "the YAML is nested too deeply to read",
                                    Location(path), "nest lists less deeply") from None
    if node is None:
        if syntax:
            raise InputError(syntax)
        raise InputError.single("empty", "the file holds no summary", Location(path, 1, 1),
                                "write the summary's keys (title, session, …, body)")
    result = Located(None, path)
    result.problems.extend(syntax)
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
            result.raw[at] = n.value
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
                                      _mark(path, key_node.start_mark),
                                      "write the key as a word followed by ': '"))
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
                                Location(path), "nest lists less deeply") from None
    if problems and (not recover or any(d.rule not in _READ_PAST for d in problems)):
        raise InputError([*syntax, *problems])
    result.problems.extend(problems)
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
        raise InputError.single("json-syntax", exc.msg, Location(path, exc.lineno, exc.colno),
                                "check the JSON here: quotes around keys and text, commas "
                                "between items, none after the last") from None
    except RecursionError:
        raise InputError.single("too-deep", "the JSON is nested too deeply to read",
                                Location(path), "nest lists less deeply") from None
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
    """Check ``located.data`` against the schema, canonicalise it, build the model.

    What people type is read first (:func:`normalise`: people as text, dates and times
    as typed, the spellings of keys). Every problem is reported at once: an
    :class:`~gfmdreport.InputError` carries them all, with the summary read without the
    values in error (``partial``) so that the rules can check the rest in the same run.
    """
    notes = [*located.problems, *normalise(located)]
    problems = [d for d in notes if d.severity is Severity.ERROR]
    warnings = [d for d in notes if d.severity is not Severity.ERROR]
    failed: list[tuple[Pointer, str]] = []
    problems += schema.check(located.data, located.locate, failed=failed)
    data = located.data
    if isinstance(data, dict) and "chair" in data and "chairs" in data:
        problems.append(error("duplicate-key", "give either 'chair' or 'chairs', not both",
                              located.locate(("chair",), True),
                              "write every chair under 'chairs:', as a list"))
        failed.append((("chair",), "chair"))
    if not problems:
        return _build(data, located, warnings)
    partial = None
    for _attempt in range(5):  # leaving a value out may leave its mapping incomplete
        if not (isinstance(data, dict) and _prune(data, failed)):
            break
        failed = []
        if schema.check(data, located.locate, failed=failed):
            continue
        try:
            partial = _build(data, located, [*problems, *warnings])
        except (KeyError, TypeError, ValueError, AttributeError):  # pragma: no cover
            partial = None  # never expected: the pruned data passed the checker
        break
    raise InputError([*problems, *warnings], partial=partial)


def _build(data: dict[str, Any], located: Located,
           diagnostics: list[Diagnostic]) -> SessionSummary:
    canonical, locations = canonicalize(data, located)
    summary = SessionSummary.from_dict(canonical, lambda at: locations.get(at), located.path)
    kept = dict(summary.locations)
    for key in ("title", "session", "date", "time", "venue", "language"):
        if key not in kept and (key,) in located.values:
            kept[key] = located.values[(key,)]  # a value left out: the rules point here
    for key, sources in (("chairs", ("chairs", "chair")), ("rapporteurs", ("rapporteurs",))):
        where = next((located.values[(s,)] for s in sources if (s,) in located.values), None)
        if key not in kept and where is not None:
            kept[key] = where
    for found in diagnostics:  # 'venu:' is where the venue is missing
        meant = _MEANT.search(found.hint or "") if found.rule == "unknown-key" else None
        key = {"chair": "chairs"}.get(meant.group(1), meant.group(1)) if meant else ""
        if key in ("title", "session", "date", "time", "venue", "language", "chairs",
                   "rapporteurs") and key not in kept and "in the summary" in found.message:
            kept[key] = found.location
    return replace(summary, locations=MappingProxyType(kept),
                   diagnostics=tuple(sorted(diagnostics, key=lambda d: d.sort_key)))


_MEANT = re.compile(r"^did you mean '([a-z]+)'\?$")
_DEFAULTS = {"takeaways": list, "items": list, "body": list}
"""Keys a mapping may lack and still be read: an empty list stands in."""


def _prune(data: dict[str, Any], failed: list[tuple[Pointer, str]]) -> bool:
    """Leave out of ``data`` each value the checker refused (a list's element becomes
    :data:`~.schema.GONE`, which :func:`canonicalize` skips, so that the others keep their place);
    a missing list gets an empty one. False when the whole file is in error."""
    for at, missing in sorted(failed, key=lambda f: len(f[0]), reverse=True):
        if (missing in _DEFAULTS and missing != "body") or (missing == "body" and not at):
            parent = _get(data, at)
            if isinstance(parent, dict):
                parent.setdefault(missing, _DEFAULTS[missing]())
                continue
        if not at:
            return False
        parent = _get(data, at[:-1])
        if isinstance(parent, list) and isinstance(at[-1], int) and at[-1] < len(parent):
            parent[at[-1]] = schema.GONE
        elif isinstance(parent, dict):
            parent.pop(at[-1], None)
    return True


def _get(data: Any, at: Pointer) -> Any:
    for step in at:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


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
            if person is schema.GONE:
                continue  # left out: its value was in error
            old = (source, i) if source != "chair" else (source,)
            place((key, len(out[key])), old)
            out[key].append({k: _clean(v) for k, v in person.items()})
    if data.get("labels"):
        out["labels"] = dict(data["labels"])
    out["body"] = []
    last_number = 0
    for i, raw in enumerate(data["body"]):
        if raw is schema.GONE:
            continue  # left out: its value was in error
        old, new = ("body", i), ("body", len(out["body"]))
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
                if col is schema.GONE:
                    continue
                k = len(block["columns"])
                place((*new, "columns", k), (*prefix, j))
                block["columns"].append({
                    "heading": _clean(col["heading"]),
                    "items": _items(col["items"], (*prefix, j, "items"),
                                    (*new, "columns", k, "items"), place),
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
        if item is schema.GONE:
            continue  # left out: its value was in error
        k = len(result)
        place((*new, k), (*old, i))
        if isinstance(item, str):
            result.append(_clean(item))
        else:
            children = _items(item.get("items") or [], (*old, i, "items"), (*new, k, "items"),
                              place)
            text = _clean(item["text"])
            result.append({"text": text, "items": children} if children else text)
    return result


_clean = collapse_space


def read_yaml(text: str, path: str | None = None) -> SessionSummary:
    return parse_data(compose_yaml(text, path))


def read_json(text: str, path: str | None = None) -> SessionSummary:
    return parse_data(compose_json(text, path))
