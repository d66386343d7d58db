"""JSON in and out: the interchange format."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gfmdreport import hookimpl
from gfmdreport.hooks.registry import Reader
from gfmdreport.hooks.registry import Writer
from gfmdreport.model import SessionSummary


def read(text: str, path: str | None = None) -> SessionSummary:
    from gfmdreport.formats.interchange.shape import read_json

    return read_json(text, path)


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    return (json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_proceedings(proceedings, options: Mapping[str, Any]) -> bytes:
    """The proceedings as data: the manifest's keys, every session's summary in the
    interchange shape, the consolidated annex and the index (Proceedings.to_dict)."""
    return (json.dumps(proceedings.to_dict(), ensure_ascii=False, indent=2) + "\n").encode(
        "utf-8")


@hookimpl
def register_readers(register):
    register(Reader(name="json", read=read, suffixes=(".json",),
                    description="Interchange format, JSON"))


@hookimpl
def register_writers(register):
    register(Writer(name="json", write=write, suffix=".json", media_type="application/json",
                    description="Interchange format, JSON",
                    write_proceedings=write_proceedings))


@hookimpl(trylast=True)
def detect_format(path, head):
    """Content sniffing for files whose suffix says nothing: JSON starts with '{'."""
    if path.suffix:
        return None
    return "json" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else None
