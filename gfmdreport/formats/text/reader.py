"""Legacy plain text in: session summaries as a PDF-to-text tool extracts them.

The reading itself lives in :mod:`gfmdreport.formats.text.parse`, imported when a text file is read,
so that this plugin costs nothing at start-up.
"""

from __future__ import annotations

from gfmdreport import hookimpl
from gfmdreport.hooks.registry import Reader
from gfmdreport.model import SessionSummary


def read(text: str, path: str | None = None) -> SessionSummary:
    from gfmdreport.formats.text.parse import read_text

    return read_text(text, path)


@hookimpl
def register_readers(register):
    # .txt files are too common to take every one in a folder for a report: they are
    # read when named (or with --from text).
    register(Reader(name="text", read=read, suffixes=(".txt",), in_folders=False,
                    description="Legacy summary as extracted text (pdftotext)"))
