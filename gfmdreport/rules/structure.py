"""Structure rules (GFMD1xx): the parts every GFMD session summary has."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gfmdreport.diagnostics import Location
from gfmdreport.hooks.registry import Finding
from gfmdreport.labels import TABLE_HEADING_KEYS
from gfmdreport.labels import summary_labels
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable
from gfmdreport.recognize.placeholders import placeholders
from gfmdreport.rules.common import line_of
from gfmdreport.rules.common import people
from gfmdreport.rules.common import texts
from gfmdreport.rules.common import visible


def header_location(summary: SessionSummary, *keys: str) -> Location:
    """Where the first of ``keys`` is written; else the line the metadata starts on; else
    the top of the file."""
    for key in keys:
        if key in summary.locations:
            return summary.locations[key]
    placed = [loc for loc in summary.locations.values() if loc.line]
    if placed:
        first = min(placed, key=lambda loc: (loc.line or 0, loc.column or 0))
        return Location(first.path, first.line, 1)
    return Location(summary.source, 1, 1) if summary.source else Location()


def body_location(summary: SessionSummary, last: bool = False) -> Location:
    """The body's first (or last) block, else the metadata (an empty body has no place
    of its own: the readers keep no location for an empty list)."""
    blocks = [b.loc for b in summary.body if b.loc is not None]
    if blocks:
        return blocks[-1] if last else blocks[0]
    return header_location(summary)


def no_chair(summary: SessionSummary) -> Iterator[Finding]:
    if not summary.chairs:
        yield Finding("the session has no chair", header_location(summary, "chairs"),
                      "add 'chairs:' with the chair's name, honorific, role and organization")


def no_rapporteur(summary: SessionSummary) -> Iterator[Finding]:
    if not summary.rapporteurs:
        yield Finding("the session has no rapporteur", header_location(summary, "rapporteurs"),
                      "add 'rapporteurs:' with each rapporteur's name, role and organization")


def no_questions(summary: SessionSummary) -> Iterator[Finding]:
    if not summary.questions:
        yield Finding("the summary has no guiding questions", body_location(summary),
                      "add each guiding question with the takeaways of its discussion")


def question_without_takeaways(summary: SessionSummary) -> Iterator[Finding]:
    for question in summary.questions:
        if not question.takeaways:
            yield Finding(f"question {question.number} has no takeaways", question.loc,
                          "list the main points of its discussion under it")


def question_numbering(summary: SessionSummary) -> Iterator[Finding]:
    seen: dict[int, Location | None] = {}
    previous = 0
    for question in summary.questions:
        n = question.number
        if n in seen:
            first = line_of(seen[n])
            yield Finding(f"question {n} appears twice" + (f", first at {first}" if first
                                                           else ""),
                          question.loc, "number the questions 1, 2, 3 … in order")
        elif n > previous + 1:
            missing = (f"question {previous + 1} is missing" if n == previous + 2 else
                       f"questions {previous + 1} to {n - 1} are missing")
            after = f"question {previous}" if previous else "the start"
            yield Finding(f"question {n} follows {after}: {missing}", question.loc,
                          "number the questions 1, 2, 3 … in order")
        elif n <= previous:
            yield Finding(f"question {n} comes after question {previous}", question.loc,
                          "put the questions in the order of their numbers")
        seen.setdefault(n, question.loc)
        previous = max(previous, n)


def no_summary_table(summary: SessionSummary) -> Iterator[Finding]:
    if summary.table is None:
        yield Finding("the summary has no closing table", body_location(summary, last=True),
                      "end with the table of points of convergence, practical "
                      "recommendations and challenges")


def _tables(summary: SessionSummary) -> list[SummaryTable]:
    return [b for b in summary.body if isinstance(b, SummaryTable)]


def empty_table_column(summary: SessionSummary) -> Iterator[Finding]:
    for table in _tables(summary):
        for column in table.columns:
            if not column.items:
                heading = visible(column.heading).strip() or "without a heading"
                yield Finding(f"table column '{heading}' has no items",
                              column.loc or table.loc,
                              "list its points, or write what the discussion left open")


_LOOSE_PUNCT = re.compile(r"[^\w\s]")


def loose(heading: str) -> str:
    """A heading reduced for a forgiving comparison: case, "/" or "&" for "and",
    punctuation and spacing do not count."""
    text = visible(heading).casefold()
    text = re.sub(r"\s*(/|&|\+)\s*", " and ", text)
    text = _LOOSE_PUNCT.sub(" ", text)
    return " ".join(text.split())


def table_headings_rule(summary: SessionSummary) -> Iterator[Finding]:
    """(An empty heading is left to ``empty-text``.)"""
    labels = summary_labels(summary)
    expected = tuple(labels[key] for key in TABLE_HEADING_KEYS)
    for table in _tables(summary):
        if len(table.columns) != len(expected):
            count = len(table.columns)
            have = {loose(c.heading) for c in table.columns}
            missing = [h for h in expected if loose(h) not in have]
            lacks = (f": it lacks '{missing[0]}'" if len(missing) == 1 else
                     ": it lacks " + ", ".join(f"'{h}'" for h in missing) if missing and
                     count < len(expected) else "")
            yield Finding(f"the closing table has {count} column{'' if count == 1 else 's'}, "
                          f"not {len(expected)}{lacks}", table.loc,
                          "GFMD tables have the columns: " + "; ".join(expected))
        for column, want in zip(table.columns, expected, strict=False):
            if loose(column.heading) and loose(column.heading) != loose(want):
                other = _language_of_heading(column.heading, summary.language)
                what = f" (the {other} heading)" if other else ""
                yield Finding(f"table column heading '{visible(column.heading)}' is not "
                              f"'{want}'{what}", column.loc or table.loc,
                              f"write '{want}', the heading of this column in a summary "
                              f"in this language")


def _language_of_heading(heading: str, language: str) -> str | None:
    """The other language whose GFMD table heading this is, if it is one."""
    from gfmdreport.labels import LABELS
    from gfmdreport.labels import primary
    from gfmdreport.labels import table_headings

    names = {"en": "English", "fr": "French", "es": "Spanish"}
    for other in LABELS:
        if other != primary(language) and loose(heading) in {loose(h) for h in
                                                             table_headings(other)}:
            return names.get(other, other)
    return None


def multiple_tables(summary: SessionSummary) -> Iterator[Finding]:
    tables = _tables(summary)
    for table in tables[1:]:
        yield Finding(f"the summary has {len(tables)} tables; it should end with one "
                      f"closing table", table.loc, "merge the tables into one")


_BULLETS = frozenset({"item", "takeaway", "cell"})


def empty_item(summary: SessionSummary) -> Iterator[Finding]:
    """An empty bullet is a slip of the keyboard: it is left out of nothing, but it
    prints as an empty line, so it is pointed at without stopping the render."""
    for text in texts(summary):
        if text.kind in _BULLETS and not visible(text.text).strip():
            yield Finding(f"{text.label} is empty", text.location,
                          "write the point, or delete the empty bullet")


def empty_text(summary: SessionSummary) -> Iterator[Finding]:
    for text in texts(summary):
        if text.kind in _BULLETS:
            continue  # empty-item (GFMD111)
        if not visible(text.text).strip():
            what = text.label if text.kind != "question" else f"the text of {text.label}"
            yield Finding(f"{what} is empty", text.location,
                          "write the text, or remove the empty entry")
    for column_table in _tables(summary):
        for i, column in enumerate(column_table.columns):
            if not visible(column.heading).strip():
                yield Finding(f"the heading of table column {i + 1} is empty",
                              column.loc or column_table.loc,
                              "write the column's heading, e.g. 'Points of Convergence'")


# ---- GFMD112: placeholders of the notes template ----------------------------------------------


def placeholder(summary: SessionSummary) -> Iterator[Finding]:
    """Text still holding a placeholder of ``gfmdreport new``'s template was never filled
    in: the report would print ``[Full name]``."""
    hint = "write what the placeholder asks for in its place, or delete it"

    def shown(found: str) -> str:
        return found if len(found) <= 50 else found[:45].rstrip() + " …]"

    for key in ("title", "session", "venue"):
        found = next(placeholders(getattr(summary, key)), None)
        if found:
            yield Finding(f"the {key} still holds the template's placeholder '{shown(found)}'",
                          summary.location_of(key), hint)
    for role, person in people(summary):
        for field in ("honorific", "name", "role", "organization"):
            found = next(placeholders(getattr(person, field)), None)
            if found:
                yield Finding(f"the {role}'s {field} still holds the template's placeholder "
                              f"'{shown(found)}'", person.loc or summary.location_of(f"{role}s"),
                              hint)
    for text in texts(summary):
        found = next(placeholders(text.text), None)
        if found:
            yield Finding(f"{text.label} still holds the template's placeholder '{shown(found)}'",
                          text.location, hint)
