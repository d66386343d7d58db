"""The interchange format's JSON Schema: the one description of the JSON/YAML shape.

``gfmdreport schema`` prints it, editors validate YAML against it, and
:func:`check` walks the same schema over hand-written input to report every shape error
at once, each with its location and, for unknown keys, a "did you mean" suggestion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import error
from gfmdreport.labels import KEYS as _KEYS

LABEL_KEYS = (*_KEYS, "first_day")

SCHEMA_ID = "urn:gfmdreport:session-summary:1"
TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](\s*[-–]\s*([01]?[0-9]|2[0-3]):[0-5][0-9])?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _obj(properties: dict[str, Any], required: list[str], description: str,
         **extra: Any) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties,
            "required": required, "additionalProperties": False, **extra}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _list_of(name: str, description: str) -> dict[str, Any]:
    return {"type": "array", "description": description, "items": _ref(name)}


_PERSON = _obj(
    {
        "honorific": _text("Mr., Ms., Dr., H.E. …"),
        "name": {**_text("Full name as printed."), "minLength": 1},
        "role": _text("Position held."),
        "organization": _text("Organization represented."),
    },
    ["name"],
    "A chair, co-chair or rapporteur.",
)

_ITEM = {
    "description": "A list item: inline Markdown text, or a mapping with nested items.",
    "oneOf": [
        _text("Inline Markdown (bold, italic, links)."),
        _obj({"text": _text("Inline Markdown."), "items": _list_of("item", "Nested items.")},
             ["text"], "An item with a nested list."),
    ],
}

_PARAGRAPH_FIELDS = {
    "text": _text("Inline Markdown; numbered automatically."),
    "items": _list_of("item", "The paragraph's lettered sub-list: a), b), c) …"),
}
_QUESTION_FIELDS = {
    "number": {"type": "integer", "minimum": 1,
               "description": "Printed as 'Question N'; implied from the order if left out."},
    "text": _text("The guiding question, without 'Question N:'."),
    "takeaways": _list_of("item", "Bullet points summarising the discussion."),
}
_COLUMN = _obj(
    {"heading": _text("Column heading, e.g. 'Points of Convergence'."),
     "items": _list_of("item", "The column's entries.")},
    ["heading", "items"],
    "One column of the closing table.",
)
_COLUMNS = _list_of("column", "The table's columns, left to right.")


def _typed(kind: str, fields: dict[str, Any], required: list[str], description: str):
    return _obj({"type": {"const": kind}, **fields}, ["type", *required], description)


BLOCK_VARIANTS: dict[str, dict[str, Any]] = {
    # canonical form: {type: X, ...}
    "paragraph": _typed("paragraph", _PARAGRAPH_FIELDS, ["text"], "A numbered paragraph."),
    "heading": _typed("heading", {"text": _text("Section title.")}, ["text"],
                      "A section heading."),
    "question": _typed("question", _QUESTION_FIELDS, ["text", "takeaways"],
                       "A guiding question with its takeaways."),
    "table": _typed("table", {"columns": _COLUMNS}, ["columns"], "The closing table."),
}
SHORT_VARIANTS: dict[str, dict[str, Any]] = {
    # hand-typed form: {X: value}
    "paragraph": _obj({"paragraph": _text("Inline Markdown."),
                       "items": _PARAGRAPH_FIELDS["items"]}, ["paragraph"],
                      "Short form of a paragraph."),
    "heading": _obj({"heading": _text("Section title.")}, ["heading"],
                    "Short form of a heading."),
    "question": _obj({"question": _obj(_QUESTION_FIELDS, ["text", "takeaways"],
                                       "The question.")}, ["question"],
                     "Short form of a question."),
    "table": _obj({"table": _COLUMNS}, ["table"], "Short form of the closing table."),
}

_METADATA = {
    "title": _text("The event, e.g. 'GFMD Thematic Workshop on …'."),
    "session": _text("The session's title."),
    "date": {"type": "string", "pattern": DATE_PATTERN, "description": "ISO date YYYY-MM-DD."},
    "time": {"type": "string", "pattern": TIME_PATTERN,
             "description": "24-hour start and end, 'HH:MM-HH:MM'."},
    "venue": _text("Where the session took place."),
    "language": {"type": "string", "pattern": LANGUAGE_PATTERN,
                 "description": "Language of the summary: en, fr or es."},
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the interchange format, input forms included."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "GFMD session summary",
        **_obj(
            {
                **_METADATA,
                "chair": {**_ref("person"), "description": "A single chair (input only)."},
                "chairs": _list_of("person", "The chair, or co-chairs."),
                "rapporteurs": _list_of("person", "The rapporteurs."),
                "body": {"type": "array", "description": "The document, in order.",
                         "items": _ref("block")},
                "labels": _obj({key: _text(f"Replaces the '{key}' label.") for key in
                                LABEL_KEYS}, [], "The summary's own wording of labels."),
            },
            ["body"],
            "The summary of one working session.",
        ),
        "$defs": {
            "person": _PERSON,
            "item": _ITEM,
            "column": _COLUMN,
            "block": {
                "description": "A paragraph, heading, question or table.",
                "oneOf": [*BLOCK_VARIANTS.values(), *SHORT_VARIANTS.values()],
            },
        },
    }


# ---- the shape checker ------------------------------------------------------------------

Pointer = tuple[Any, ...]
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}
_NAMES = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
          "boolean": "true or false"}


GONE: Any = type("Gone", (), {"__repr__": lambda self: "GONE"})()
"""What stands in a list for an entry left out after an error, so that the entries after
it keep their place (and their locations)."""

_TYPE_HINTS = {
    "object": "write 'key: value' lines, indented under it",
    "array": "write a list: one '- ' line per entry",
    "string": "write text here; quote it if it starts with a special character",
    "integer": "write a whole number, e.g. 1",
    "boolean": "write true or false",
}
_VALUE_HINTS = {
    DATE_PATTERN: "write the date as 2017-09-06, 6 September 2017 or 6 septembre 2017",
    TIME_PATTERN: "write the time as 10:30-12:30, 10.30–12.30, 2:30–4 pm or 14h30-16h",
    LANGUAGE_PATTERN: "write a language code: en, fr or es",
}


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    for name, test in _TYPES.items():
        if test(value):
            return _NAMES[name]
    return type(value).__name__


def did_you_mean(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class _Checker:
    def __init__(self, root: dict[str, Any], locate: Callable[[Pointer, bool], Location],
                 failed: list[tuple[Pointer, str]] | None = None):
        self.defs = root.get("$defs", {})
        self.locate = locate
        self.failed = failed if failed is not None else []
        """Each value refused, as ``(pointer, "")``, and each mapping that lacks a
        required key, as ``(pointer, key)``: what to leave out to read the rest."""

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in schema:
            schema = self.defs[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def check(self, value: Any, schema: Mapping[str, Any], at: Pointer,
              name: str) -> Iterator[Diagnostic]:
        schema = self.resolve(schema)
        if "oneOf" in schema:
            yield from self.check_one_of(value, schema, at, name)
            return
        if "const" in schema:
            if value != schema["const"]:
                self.failed.append((at, ""))
                yield error("wrong-value", f"{name} must be '{schema['const']}'",
                            self.locate(at, False), f"write '{schema['const']}'")
            return
        kind = schema.get("type")
        if kind and not _TYPES[kind](value):
            self.failed.append((at, ""))
            yield error("wrong-type", f"{name} must be {_NAMES[kind]}, not {describe(value)}",
                        self.locate(at, False), _TYPE_HINTS[kind])
            return
        if kind == "string":
            pattern = schema.get("pattern")
            if pattern and not re.match(pattern, value):
                self.failed.append((at, ""))
                yield error("bad-value", f"{name} '{value}' is not valid: "
                            f"{schema.get('description', '').rstrip('.')}",
                            self.locate(at, False),
                            _VALUE_HINTS.get(pattern, "write it as the description says"))
            if schema.get("minLength") and len(value.strip()) < schema["minLength"]:
                self.failed.append((at, ""))
                yield error("bad-value", f"{name} must not be empty", self.locate(at, False),
                            "write it, or remove the entry")
        elif kind == "integer":
            if "minimum" in schema and value < schema["minimum"]:
                self.failed.append((at, ""))
                yield error("bad-value", f"{name} must be at least {schema['minimum']}",
                            self.locate(at, False),
                            f"write a number of {schema['minimum']} or more, or leave it "
                            "out to number it from its place")
        elif kind == "array":
            for i, item in enumerate(value):
                if item is GONE:
                    continue  # left out after an error
                yield from self.check(item, schema["items"], (*at, i), f"{name}[{i + 1}]")
        elif kind == "object":
            yield from self.check_object(value, schema, at, name)

    def check_object(self, value: dict[str, Any], schema: Mapping[str, Any], at: Pointer,
                     name: str) -> Iterator[Diagnostic]:
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                self.failed.append((at, key))
                yield error("missing-key", f"{name} has no '{key}'", self.locate(at, False),
                            f"add '{key}:'")
        for key, item in value.items():
            label = str(key) if not at else f"{name}.{key}"
            if key in props:
                yield from self.check(item, props[key], (*at, key), label)
            elif schema.get("additionalProperties") is False:
                self.failed.append(((*at, key), ""))
                yield error("unknown-key", f"unknown key '{key}' in {name}",
                            self.locate((*at, key), True),
                            did_you_mean(str(key), list(props)) or
                            "expected one of: " + ", ".join(props))

    def check_one_of(self, value: Any, schema: Mapping[str, Any], at: Pointer,
                     name: str) -> Iterator[Diagnostic]:
        variants = [self.resolve(s) for s in schema["oneOf"]]
        chosen = self.choose(value, variants)
        if chosen is not None:
            yield from self.check(value, chosen, at, name)
            return
        if isinstance(value, dict):
            kinds = [k for k in BLOCK_VARIANTS]
            given = value.get("type") if "type" in value else next(iter(value), None)
            if any("type" in v.get("properties", {}) for v in variants):
                hint = did_you_mean(str(given), kinds) or "use one of: " + ", ".join(kinds)
                self.failed.append((at, ""))
                yield error("unknown-block", f"{name} is not a known block ('{given}')",
                            self.locate(at, False), hint)
                return
        expected = " or ".join(sorted({_NAMES[v["type"]] for v in variants if "type" in v}))
        self.failed.append((at, ""))
        yield error("wrong-type", f"{name} must be {expected}, not {describe(value)}",
                    self.locate(at, False), f"write {expected} here")

    @staticmethod
    def choose(value: Any, variants: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
        """Pick the variant a value is meant to be: by its type, then by a ``const``
        discriminator or the one key of a short form."""
        fitting = [v for v in variants if _TYPES[v.get("type", "object")](value)]
        if len(fitting) <= 1:
            return fitting[0] if fitting else None
        for v in fitting:
            props = v.get("properties", {})
            if "type" in props and value.get("type") == props["type"].get("const"):
                return v
        for v in fitting:
            props = v.get("properties", {})
            if "type" not in props and v.get("required") and v["required"][0] in value:
                return v
        return None


def check(data: Any, locate: Callable[[Pointer, bool], Location],
          schema: dict[str, Any] | None = None,
          failed: list[tuple[Pointer, str]] | None = None) -> list[Diagnostic]:
    """Every shape error of ``data`` against the interchange schema.

    ``locate(pointer, key)`` gives the location of the value at ``pointer`` (or of its
    key, when ``key`` is true).
    """
    root = schema or json_schema()
    if not isinstance(data, dict):
        return [error("wrong-type", f"the file must hold a mapping of keys (title, session, "
                      f"…, body), not {describe(data)}", locate((), False),
                      "write one 'key: value' per line: title, session, date, …, body")]
    return list(_Checker(root, locate, failed).check(data, root, (), "the summary"))
