"""DOCX in: Word documents read back into the model, those gfmdreport wrote and edited
in Word, and others typed by hand.

The reading lives in :mod:`gfmdreport.formats.docx.read`, imported when a document is read, so
that this plugin costs nothing at start-up.
"""

from __future__ import annotations

from gfmdreport import hookimpl
from gfmdreport.hooks.registry import Reader
from gfmdreport.model import SessionSummary


def read(data: bytes, path: str | None = None) -> SessionSummary:
    from gfmdreport.formats.docx.read import read_docx

    return read_docx(data, path)


@hookimpl
def register_readers(register):
    # A folder of notes often holds the .docx rendered from them: Word files are read
    # when named, not picked up when a folder is searched.
    register(Reader(name="docx", read=read, suffixes=(".docx",), binary=True,
                    in_folders=False,
                    description="Word document (edited in Word, or typed by hand)"))


@hookimpl(trylast=True)
def detect_format(path, head):
    """A Word package whose name has no suffix: a ZIP that starts with Word's parts."""
    if path.suffix or not head.startswith(b"PK\x03\x04"):
        return None
    return "docx" if b"[Content_Types].xml" in head or b"word/" in head else None
