"""Markdown notes in: what a rapporteur types during the session becomes the model.

The format (docs/notes-format.md) is GitHub-flavoured Markdown with a few conventions:

- YAML front matter holds the metadata, with the keys of the interchange format; without
  it, a first ``# Title`` line, an optional session line and a line such as
  ``6 September 2017, 10:30-12:30, Hotel Savoyen`` give it;
- a plain paragraph is a numbered paragraph (``1. …`` numbered lists are too); a list
  right after it whose items start ``a)``, ``(a)`` or ``a.`` is its lettered list;
- ``## Question N: text`` (or ``## Question: text``, ``Pregunta``) starts a guiding
  question; the bullets under it are its takeaways, nested bullets allowed;
- any other ``##`` heading is a section heading, except that a ``##`` heading followed
  by ``###`` headings, one per column each with its bullets, is the closing table; a
  GFM pipe table (items in a cell separated by ``<br>`` or ``•``) is one too;
- ``<!-- … -->`` is a comment; any other HTML is kept as text.

The block structure comes from markdown-it-py (inline text is kept as source and parsed
later by :mod:`gfmdreport.inline`). Every block keeps its source line. Doubtful structure
becomes a warning in ``summary.diagnostics``; structure that cannot be read is an
:class:`~gfmdreport.InputError` listing every such problem, each with its line.

This module is the plugin; the reader itself is in
:mod:`gfmdreport.formats.markdown.notes`, imported when notes are read.
"""

from __future__ import annotations

import datetime as _dt

from gfmdreport import hookimpl
from gfmdreport.hooks.registry import Reader
from gfmdreport.model import SessionSummary


def read(text: str, path: str | None = None) -> SessionSummary:
    """Read Markdown notes. Raises :class:`~gfmdreport.InputError` for notes that cannot
    be read, with every problem found."""
    from gfmdreport.formats.markdown.notes import NotesReader

    return NotesReader(text, path).read()


@hookimpl
def register_readers(register):
    register(Reader(name="md", read=read, suffixes=(".md", ".markdown"),
                    description="Markdown notes (front matter + GFM body)"))


# ---- gfmdreport new ---------------------------------------------------------------------------

TEMPLATE_LANGUAGES = ("en", "fr", "es")


def notes_template(language: str = "en", today: _dt.date | None = None) -> str:
    """The commented notes template in ``language``, dated ``today``."""
    from importlib.resources import files

    if language not in TEMPLATE_LANGUAGES:
        from gfmdreport.diagnostics import UsageError

        raise UsageError(f"no notes template in '{language}'; available: "
                         f"{', '.join(TEMPLATE_LANGUAGES)}")
    text = (files(__package__) / f"notes-template.{language}.md").read_text("utf-8")
    return text.replace("{date}", (today or _dt.date.today()).isoformat())


@hookimpl
def register_commands(cli):
    cli.add_lazy_command("new", "gfmdreport.formats.markdown.command:new")
