"""The front matter of Markdown notes: ``---``, the metadata in YAML with the keys of the
interchange format, ``---``."""

from __future__ import annotations

import re
from dataclasses import replace

from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.formats.markdown.source import NotesSource
from gfmdreport.model import SessionSummary

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def read_front_matter(notes: NotesSource) -> tuple[SessionSummary, set[str], str]:
    """The metadata from the front matter (through the interchange reader, so its
    problems are reported as the YAML reader's are), the keys it gives, and the
    body with the front matter's lines blanked out (lines keep their numbers)."""
    text = notes.text
    first = text.split("\n", 1)[0]
    if first.rstrip() != "---":
        return SessionSummary(source=notes.path), set(), text
    end = _FRONT_MATTER_END.search(text, len(first) + 1)
    if end is None:
        raise InputError.single(
            "front-matter", "the front matter opened here is never closed",
            Location(notes.path, 1, 1),
            "end it with a line '---', or remove the first line if it is not front "
            "matter")
    yaml_text = text[:end.start()]
    after = text.find("\n", end.start())
    body = "\n" * (yaml_text.count("\n") + 1) + (text[after + 1:] if after >= 0 else "")
    meta, given = _metadata(notes, yaml_text)
    return meta, given, body


def _metadata(notes: NotesSource, yaml_text: str) -> tuple[SessionSummary, set[str]]:
    """The metadata of the front matter (``---`` and the YAML under it) and the
    keys it gives; its problems go with the others."""
    from gfmdreport.formats.interchange.shape import compose_yaml
    from gfmdreport.formats.interchange.shape import parse_data

    empty = SessionSummary(source=notes.path), set[str]()
    try:
        located = compose_yaml(yaml_text, notes.path, recover=True)
    except InputError as exc:
        if [d.rule for d in exc.diagnostics] != ["empty"]:
            notes.problems.extend(exc.diagnostics)
        return empty
    if located.data is None:  # '---' right under '---'
        notes.problems.extend(located.problems)
        return empty
    if not isinstance(located.data, dict):
        from gfmdreport.formats.interchange.schema import describe

        notes.problems.extend(located.problems)
        notes.fail("front-matter", f"the front matter must be a mapping of keys (title, "
                   f"session, date, …), not {describe(located.data)}",
                   located.locate(()), "write one 'key: value' per line")
        return empty
    if "body" in located.data:
        notes.fail("front-matter", "the front matter holds only the metadata",
                   located.locate(("body",), True),
                   "write the body as Markdown below the closing '---'")
        del located.data["body"]
    located.data["body"] = []
    try:
        meta = parse_data(located)
    except InputError as exc:
        # Every problem is reported; what could be read past them is kept.
        notes.problems.extend(exc.diagnostics)
        meta = exc.partial if isinstance(exc.partial, SessionSummary) else empty[0]
    else:
        notes.problems.extend(meta.diagnostics)
    given = {str(key) for key in located.data if key != "body"}  # values in error left out
    return replace(meta, diagnostics=()), given
