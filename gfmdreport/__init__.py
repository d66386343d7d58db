"""gfmdreport: turn a rapporteur's notes of a working session into the finished session
summary (Word, Markdown, HTML, JSON), through plugins for every format.

The public API::

    from gfmdreport import load, validate, render
    summary = load("notes.yaml")
    problems = validate(summary)
    data = render(summary, "md")
"""

from __future__ import annotations

from gfmdreport.diagnostics import (
    Diagnostic,
    GfmdError,
    InputError,
    Location,
    PluginError,
    RegistryError,
    RenderError,
    Severity,
    UsageError,
    report,
)
from gfmdreport.files import write_atomic
from gfmdreport.hooks.registry import Finding, Language, Option, Reader, Rule, Writer
from gfmdreport.hooks.specs import hookimpl
from gfmdreport.inline import Run, plain, runs
from gfmdreport.labels import format_date, format_time, labels_for
from gfmdreport.model import (
    Block,
    Column,
    Heading,
    Item,
    Paragraph,
    Person,
    Question,
    SessionSummary,
    SummaryTable,
)
from gfmdreport.pipeline import load, loads, prepare, render, validate

__version__ = "0.1.0"


__all__ = [
    "Block",
    "Column",
    "Diagnostic",
    "Finding",
    "GfmdError",
    "Heading",
    "InputError",
    "Item",
    "Language",
    "Location",
    "Option",
    "Paragraph",
    "Person",
    "PluginError",
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
    "load",
    "loads",
    "plain",
    "prepare",
    "render",
    "report",
    "runs",
    "validate",
    "write_atomic",
]
