"""The built-in validation rules: structure (GFMD1xx), metadata (GFMD2xx) and text quality
(GFMD3xx). ``gfmdreport rules`` lists them; docs/rules.md describes each with examples.

This module is the catalogue only. Each check lives in ``structure``,
``metadata``, ``text`` or ``language`` and is imported the first time it runs, so that
commands which validate nothing do not pay for loading them.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from importlib import import_module
from typing import Any

from gfmdreport import hookimpl
from gfmdreport.diagnostics import Severity
from gfmdreport.hooks.registry import Finding
from gfmdreport.hooks.registry import Rule

ERROR, WARNING = Severity.ERROR, Severity.WARNING

CATALOGUE: tuple[tuple[str, str, Severity, str, str], ...] = (
    # id, name, default severity, where the check is (module.function), description
    ("GFMD101", "no-chair", ERROR, "structure.no_chair", "The session has a chair."),
    ("GFMD102", "no-rapporteur", ERROR, "structure.no_rapporteur",
     "The session has at least one rapporteur."),
    ("GFMD103", "no-questions", ERROR, "structure.no_questions",
     "The summary has guiding questions."),
    ("GFMD104", "question-without-takeaways", ERROR, "structure.question_without_takeaways",
     "Every question has takeaways."),
    ("GFMD105", "question-numbering", WARNING, "structure.question_numbering",
     "Questions are numbered 1, 2, 3 … in order, with no gap or duplicate."),
    ("GFMD106", "no-summary-table", WARNING, "structure.no_summary_table",
     "The summary ends with a closing table."),
    ("GFMD107", "empty-table-column", ERROR, "structure.empty_table_column",
     "Every column of the closing table has items."),
    ("GFMD108", "table-headings", WARNING, "structure.table_headings_rule",
     "The closing table has the three GFMD column headings of the document's language."),
    ("GFMD109", "empty-text", ERROR, "structure.empty_text",
     "No paragraph, heading or question is empty."),
    ("GFMD110", "multiple-tables", WARNING, "structure.multiple_tables",
     "The summary has one closing table, not several."),
    ("GFMD111", "empty-item", WARNING, "structure.empty_item",
     "No bullet, takeaway or table item is empty."),
    ("GFMD112", "placeholder", ERROR, "structure.placeholder",
     "No text still holds a placeholder of the 'gfmdreport new' template ([Full name] …)."),
    ("GFMD201", "missing-title", ERROR, "metadata.missing_title",
     "The summary has a title (the event)."),
    ("GFMD202", "missing-session", ERROR, "metadata.missing_session",
     "The summary names its working session."),
    ("GFMD203", "missing-date", ERROR, "metadata.missing_date", "The summary has a date."),
    ("GFMD204", "missing-venue", WARNING, "metadata.missing_venue", "The summary has a venue."),
    ("GFMD205", "invalid-date", ERROR, "metadata.invalid_date",
     "The date exists and is written YYYY-MM-DD."),
    ("GFMD206", "time-range", ERROR, "metadata.time_range",
     "Times are times of day and the session ends after it starts."),
    ("GFMD207", "unknown-language", WARNING, "metadata.unknown_language",
     "The language is a language code with labels (en, fr, es, or a plugin's)."),
    ("GFMD301", "extraction-fragment", WARNING, "text.extraction_fragment",
     "No text is a lone letter or symbol, the fragment text extraction leaves."),
    ("GFMD302", "split-hyphen", WARNING, "text.split_hyphen",
     "No word is split by a hyphen across a line."),
    ("GFMD303", "damaged-glyph", WARNING, "text.damaged_glyph",
     "No private-use glyph, replacement character or invisible control character."),
    ("GFMD304", "doubled-space", WARNING, "text.doubled_space",
     "Words are separated by one space."),
    ("GFMD305", "name-spelling", WARNING, "text.name_spelling",
     "A chair or rapporteur is named in the text as in the people lists."),
    ("GFMD306", "duplicate-text", WARNING, "text.duplicate_text",
     "No paragraph, takeaway or item is written twice."),
    ("GFMD307", "language-mismatch", WARNING, "language.language_mismatch",
     "Headings, questions and table headings are in the summary's language."),
    ("GFMD308", "bidi-control", WARNING, "text.bidi_control",
     "No name or text holds a bidirectional embedding, override or isolate."),
)


def _lazy(where: str) -> Callable[[Any], Iterable[Finding]]:
    """A check that imports its implementation (``module.function``) on first use."""
    module, function = where.split(".")
    implementation: Callable[[Any], Iterable[Finding]] | None = None

    def check(summary: Any) -> Iterable[Finding]:
        nonlocal implementation
        if implementation is None:
            implementation = getattr(import_module(f"{__package__}.{module}"), function)
        return implementation(summary)

    check.__name__ = check.__qualname__ = function
    return check


SECURITY = frozenset({"GFMD303", "GFMD308"})
"""The rules that guard against hidden text: a file cannot turn them off for itself."""

RULES = tuple(Rule(rule_id, _lazy(where), description, severity, name,
                   security=rule_id in SECURITY)
              for rule_id, name, severity, where, description in CATALOGUE)


@hookimpl
def register_rules(register):
    for rule in RULES:
        register(rule)
