"""Reading Word documents (DOCX) into the model.

:func:`read_docx` reads a document gfmdreport wrote (through its house-style contract,
with the model embedded in it filling in what the text does not show) or any other Word
document (best effort, from Word's own headings, lists and typed numbers, with
warnings). docs/docx-readback.md describes both.

Diagnostics are located at paragraphs: a location's line is the paragraph's ordinal in
the document, counting every paragraph from 1 (empty ones and those in tables
included).

The package is imported only when a DOCX is read, never at start-up.
"""

from __future__ import annotations

from dataclasses import replace

from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import warning
from gfmdreport.formats.docx.ooxml.package import open_package
from gfmdreport.formats.docx.read.content import read_content
from gfmdreport.formats.docx.read.document import read_document
from gfmdreport.formats.docx.read.embedded import combine
from gfmdreport.formats.docx.read.embedded import find_model
from gfmdreport.formats.docx.read.embedded import shown_headings
from gfmdreport.formats.docx.read.markup import inline_memo
from gfmdreport.model import SessionSummary

__all__ = ["read_docx"]

_SKIPPED = {
    "pictures": "pictures",
    "footnotes": "footnotes and endnotes",
    "comments": "comments",
    "text boxes or drawings": "text boxes and drawings",
    "equations": "equations",
    "hidden text": "hidden text",
    "imported content (altChunk)": "imported content (altChunk)",
}


def author(package) -> str:
    """The document's author (``dc:creator`` of its core properties), or ``""``."""
    from gfmdreport.formats.docx.ooxml.ns import NS
    from gfmdreport.formats.docx.ooxml.ns import RT_CORE_PROPERTIES

    for name in package.related("", RT_CORE_PROPERTIES):
        found = package.xml(name).find(f"{{{NS['dc']}}}creator")
        if found is not None and found.text:
            return found.text
    return ""


def read_docx(data: bytes, path: str | None = None) -> SessionSummary:
    """Read a session summary from the bytes of a Word document."""
    with inline_memo():  # each text of the document parsed once
        return _read_docx(data, path)


def _read_docx(data: bytes, path: str | None) -> SessionSummary:
    package = open_package(data, path)
    document = read_document(package)
    embedded = find_model(package)
    where = Location(path)
    notes = []
    model = embedded.summary if embedded is not None else None
    unedited = False
    if embedded is not None and model is None:
        notes.append(warning("docx-model", f"the model gfmdreport embedded in the document "
                             f"({embedded.part}) cannot be used: {embedded.problem}; the "
                             "document's text is read on its own", where))
    elif embedded is not None:
        unedited = bool(embedded.digest) and embedded.digest == document.digest
    content, reader = read_content(document, path, labels=model.labels if model else None,
                                   keep_empty=unedited, people=model is None,
                                   refuse_others=model is None,
                                   headings=shown_headings(model) if model else frozenset(),
                                   split_breaks=not unedited)
    summary = content
    if model is not None:
        summary, more = combine(model, content, reader, unedited_text=unedited,
                                model_changed=embedded.changed, part=embedded.part,
                                creator=author(package) if embedded.changed else "")
        notes += more
    else:
        notes += content.diagnostics
    if model is None and not reader.contract:
        notes.append(warning(
            "docx-guessed", "the document does not use gfmdreport's styles: its title, "
            "paragraphs, questions and lists were recognised from Word's headings, lists "
            "and typed numbers", where, "check the result, or write the notes in the "
            "Markdown or YAML format"))
    if document.skipped.get("tracked changes"):
        notes.append(warning("docx-tracked-changes", "the document has tracked changes; "
                             "read as if all of them were accepted", where,
                             "accept or reject them in Word to be sure"))
    left = [label for kind, label in _SKIPPED.items() if document.skipped.get(kind)]
    if left:
        notes.append(warning("docx-left-out", f"left out what a summary cannot hold: "
                             f"{', '.join(left)}", where))
    return replace(summary, source=path,
                   diagnostics=tuple(sorted(notes, key=lambda d: d.sort_key)))
