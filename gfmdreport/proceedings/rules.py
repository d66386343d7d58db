"""The collection rules: what is wrong with the sessions together, beyond each one.

Each rule's finding is located where the manifest lists the session (so the fix is at
hand) and names the session's file. docs/rules.md documents them with a failing and a
passing example.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Severity
from gfmdreport.event import Proceedings
from gfmdreport.labels import primary
from gfmdreport.proceedings.manifest import Manifest


@dataclass(frozen=True)
class CollectionRule:
    id: str
    name: str
    severity: Severity
    description: str


CATALOGUE = (
    CollectionRule("GFMD401", "session-twice", Severity.ERROR,
                   "A session is listed twice in the manifest"),
    CollectionRule("GFMD402", "event-mismatch", Severity.WARNING,
                   "A session's event title or date disagrees with the manifest"),
    CollectionRule("GFMD403", "date-order", Severity.WARNING,
                   "Sessions are not in the order of their dates and times"),
    CollectionRule("GFMD404", "language-mismatch", Severity.ERROR,
                   "A session is not in the proceedings' language"),
)
BY_ID = {rule.id: rule for rule in CATALOGUE}


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()


def check_collection(proceedings: Proceedings, manifest: Manifest) -> list[Diagnostic]:
    """Every collection rule's findings, in the manifest's order."""
    return sorted(_findings(proceedings, manifest), key=lambda d: d.sort_key)


def _findings(proceedings: Proceedings, manifest: Manifest) -> Iterator[Diagnostic]:
    def found(rule: str, message: str, where, hint: str) -> Diagnostic:
        spec = BY_ID[rule]
        return Diagnostic(spec.severity, rule, message, where, hint)

    seen: dict[str, str] = {}
    same: dict[tuple[str, str, str], str] = {}
    previous = None
    for chapter, entry in zip(proceedings.chapters, manifest.entries, strict=True):
        s = chapter.summary
        where = entry.loc
        real = os.path.realpath(entry.file)
        if real in seen:
            yield found("GFMD401", f"'{entry.path}' is listed twice (first as "
                        f"'{seen[real]}')", where, "remove one of the two entries")
        else:
            seen[real] = entry.path
            content = (_key(s.session), s.date, s.start_time)
            if content[0] and content in same:
                yield found("GFMD401", f"'{entry.path}' is the session '{same[content]}' "
                            "already holds (same session, date and time)", where,
                            "list each session once; remove the copy")
            elif content[0]:
                same[content] = entry.path
        if s.title and proceedings.title and _key(s.title) != _key(proceedings.title):
            yield found("GFMD402", f"'{entry.path}' belongs to the event '{s.title}', not "
                        f"'{proceedings.title}'", where,
                        "correct the session's title or the manifest's, or list the "
                        "session in its own event's proceedings")
        start, end = proceedings.start_date, proceedings.end_date or proceedings.start_date
        if s.date and start and s.date_value and not start <= s.date <= end:
            span = start if end == start else f"{start} to {end}"
            yield found("GFMD402", f"'{entry.path}' is dated {s.date}, outside the event's "
                        f"dates ({span})", where,
                        "correct the session's date or the manifest's 'dates'")
        if s.date_value is not None:
            when = (s.date, s.start_time if s.time_value(s.start_time) else "")
            if previous is not None and when < previous[0]:
                yield found("GFMD403", f"'{entry.path}' ({' '.join(filter(None, when))}) "
                            f"comes after '{previous[1]}' "
                            f"({' '.join(filter(None, previous[0]))}) in the manifest but "
                            "took place before it", where,
                            "list the sessions in the agenda's order")
            if previous is None or when >= previous[0]:
                previous = (when, entry.path)
        if primary(s.language) != primary(proceedings.language):
            yield found("GFMD404", f"'{entry.path}' is in '{s.language}', the proceedings "
                        f"in '{proceedings.language}'", where,
                        f"list the session's {proceedings.language} version, or set the "
                        "manifest's 'language'")
