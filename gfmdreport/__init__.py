"""gfmdreport: turn a rapporteur's notes of a working session into the finished session
summary (Word, Markdown, HTML, JSON), through plugins for every format.

The public API::

    from gfmdreport import load, validate, render
    summary = load("notes.yaml")
    problems = validate(summary)
    data = render(summary, "md")
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import GfmdError
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import PluginError
from gfmdreport.diagnostics import RegistryError
from gfmdreport.diagnostics import RenderError
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import UsageError
from gfmdreport.diagnostics import report
from gfmdreport.files import write_atomic
from gfmdreport.hooks.registry import Finding
from gfmdreport.hooks.registry import Language
from gfmdreport.hooks.registry import Option
from gfmdreport.hooks.registry import Reader
from gfmdreport.hooks.registry import Rule
from gfmdreport.hooks.registry import Writer
from gfmdreport.hooks.specs import hookimpl
from gfmdreport.inline import Run
from gfmdreport.inline import link_target
from gfmdreport.inline import plain
from gfmdreport.inline import runs
from gfmdreport.labels import format_date
from gfmdreport.labels import format_time
from gfmdreport.labels import labels_for
from gfmdreport.model import Block
from gfmdreport.model import Column
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable
from gfmdreport.pipeline import load
from gfmdreport.pipeline import loads
from gfmdreport.pipeline import prepare
from gfmdreport.pipeline import render
from gfmdreport.pipeline import validate

__version__ = "0.1.0"

if TYPE_CHECKING:
    from gfmdreport.event import AnnexEntry
    from gfmdreport.event import AnnexSection
    from gfmdreport.event import AnnexTable
    from gfmdreport.event import Chapter
    from gfmdreport.event import IndexEntry
    from gfmdreport.event import Proceedings

_EVENT = frozenset({"AnnexEntry", "AnnexSection", "AnnexTable", "Chapter", "IndexEntry",
                    "Proceedings"})
"""The proceedings' model (gfmdreport.event), imported when first asked for: only
``compile`` and plugins that extend the annex need it, not every command's start."""


def __getattr__(name: str) -> Any:
    if name in _EVENT:
        from gfmdreport import event

        return getattr(event, name)
    raise AttributeError(f"module 'gfmdreport' has no attribute {name!r}")


def load_proceedings(path, *, jobs: int | None = 1, plugins=None, validate: bool = True,
                     numbering: str | None = None):
    """Read a proceedings manifest and each session it lists, once (``jobs`` worker
    processes), validating each session and the whole; see
    :func:`gfmdreport.proceedings.build.load_proceedings`. Returns a ``Loaded``: its
    ``proceedings`` (``None`` when a session could not be read) and ``diagnostics``."""
    from gfmdreport.proceedings.build import load_proceedings as load_

    return load_(path, jobs=jobs, plugins=plugins, validate=validate, numbering=numbering)


def render_proceedings(proceedings, to: str, *, plugins=None, **options) -> bytes:
    """The proceedings written in format ``to`` by a writer that declares
    ``write_proceedings``, with the sections plugins add to the annex."""
    from gfmdreport.proceedings.build import compile_proceedings

    return compile_proceedings(proceedings, to, plugins=plugins, **options).data


__all__ = [
    "AnnexEntry",
    "AnnexSection",
    "AnnexTable",
    "Block",
    "Chapter",
    "Column",
    "Diagnostic",
    "Finding",
    "GfmdError",
    "Heading",
    "IndexEntry",
    "InputError",
    "Item",
    "Language",
    "Location",
    "Option",
    "Paragraph",
    "Person",
    "PluginError",
    "Proceedings",
    "Question",
    "Reader",
    "RegistryError",
    "RenderError",
    "Rule",
    "Run",
    "SessionSummary",
    "Severity",
    "SummaryTable",
    "UsageError",
    "Writer",
    "__version__",
    "format_date",
    "format_time",
    "hookimpl",
    "labels_for",
    "link_target",
    "load",
    "load_proceedings",
    "loads",
    "plain",
    "prepare",
    "render",
    "render_proceedings",
    "report",
    "runs",
    "validate",
    "write_atomic",
]
