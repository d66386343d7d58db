"""DOCX out: the Word document a secretariat circulates as it is.

The implementation lives in :mod:`gfmdreport.formats.docx.write` and is imported only
when a document is written, so that loading plugins stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gfmdreport import hookimpl
from gfmdreport.hooks.registry import Option
from gfmdreport.hooks.registry import Writer
from gfmdreport.model import SessionSummary

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.docx.write import render

    return render(summary, options)


def write_proceedings(proceedings, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.docx.proceedings import render_proceedings

    return render_proceedings(proceedings, options)


def redline(old: SessionSummary, new: SessionSummary, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.docx.write import render_redline

    return render_redline(old, new, options)


@hookimpl
def register_writers(register):
    register(Writer(
        name="docx", write=write, redline=redline, suffix=".docx", media_type=MEDIA_TYPE,
        binary=True,
        description="Word document, styled by a template (house-style contract)",
        options=(
            Option("reference-doc", "Take styles, page setup, headers and footers from "
                   "this .docx/.dotx", kind="path"),
            Option("toc", "Add a table of contents (refreshed when Word opens the file)",
                   kind="flag", default=False),
            Option("author", "Author in the document properties (default: the "
                   "rapporteurs)", kind="text"),
        ),
        write_proceedings=write_proceedings))


@hookimpl
def register_commands(cli):
    cli.add_lazy_command("docx-template", "gfmdreport.formats.docx.command:docx_template")
