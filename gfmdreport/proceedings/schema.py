"""The JSON Schema of the proceedings manifest (docs/proceedings.schema.json, which
editors use for completion and checking; a test keeps the file equal to this)."""

from __future__ import annotations

from typing import Any

from gfmdreport.event import NUMBERINGS

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$",
         "description": "YYYY-MM-DD"}
_PARAGRAPHS = {
    "description": "A paragraph, or a list of paragraphs, in the notes' inline markup.",
    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
}
_SESSION = {
    "description": "A session's summary in any readable format, relative to the manifest.",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "properties": {"path": {"type": "string", "minLength": 1}},
         "required": ["path"], "additionalProperties": False},
    ],
}


def manifest_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gfmdreport.invalid/proceedings.schema.json",
        "title": "gfmdreport proceedings manifest",
        "description": "An event's report: its metadata and its sessions in the "
                       "agenda's order (gfmdreport compile; docs/proceedings.md).",
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "The event."},
            "subtitle": {"type": "string",
                         "description": "E.g. 'Report of the proceedings'."},
            "dates": {"description": "The event's day, or its first and last days.",
                      "oneOf": [_DATE, {"type": "array", "items": _DATE,
                                        "minItems": 1, "maxItems": 2}]},
            "venue": {"type": "string"},
            "organisers": {"description": "Who organised the event, one or several.",
                           "oneOf": [{"type": "string"},
                                     {"type": "array", "items": {"type": "string"}}]},
            "language": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                         "default": "en"},
            "numbering": {"enum": list(NUMBERINGS), "default": "restart",
                          "description": "Paragraph numbers: restarting in each session, "
                                         "continuous, or prefixed by the session (2.5)."},
            "foreword": _PARAGRAPHS,
            "introduction": _PARAGRAPHS,
            "sessions": {
                "type": "array", "minItems": 1,
                "items": {"oneOf": [
                    _SESSION,
                    {"type": "object", "description": "A part and its sessions.",
                     "properties": {"part": {"type": "string", "minLength": 1},
                                    "sessions": {"type": "array", "minItems": 1,
                                                 "items": _SESSION}},
                     "required": ["part", "sessions"], "additionalProperties": False},
                ]},
            },
        },
        "required": ["title", "sessions"],
        "additionalProperties": False,
    }
