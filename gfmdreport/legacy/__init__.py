"""Reading legacy session summaries: text as a PDF-to-text tool extracts it.

:func:`read_text` turns such text into a :class:`~gfmdreport.model.SessionSummary`. It
recovers the metadata lines, numbered paragraphs, lettered sub-items, section headings,
``Question N:`` headings with their bullets and the closing table, strips page
furniture and re-joins hard-wrapped lines. What it guesses with doubt becomes a warning
in ``summary.diagnostics``, located at the line it came from; a text that is not a
session summary at all is refused with an :class:`~gfmdreport.InputError`.

The package is imported only when a text file is read, never at start-up.
"""

from __future__ import annotations

from .reader import read_text

__all__ = ["read_text"]
