"""Metadata rules (GFMD2xx): the header every session summary starts with."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from collections.abc import Iterator

from gfmdreport.hooks.registry import Finding
from gfmdreport.labels import known_languages
from gfmdreport.labels import primary
from gfmdreport.model import SessionSummary
from gfmdreport.rules.structure import header_location

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _missing(key: str, what: str, hint: str) -> Callable[[SessionSummary], Iterator[Finding]]:
    def check(summary: SessionSummary) -> Iterator[Finding]:
        if not str(getattr(summary, key) or "").strip():
            yield Finding(f"the summary has no {what}", header_location(summary, key), hint)

    check.__name__ = f"missing_{key}"
    check.__doc__ = f"The summary has a {what}."
    return check


def invalid_date(summary: SessionSummary) -> Iterator[Finding]:
    date = summary.date.strip()
    if not date:
        return
    where = header_location(summary, "date")
    match = _DATE.match(date)
    if not match:
        yield Finding(f"the date '{date}' is not written YYYY-MM-DD", where,
                      "write it as 2017-09-06")
        return
    year, month, day = (int(g) for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            yield Finding(f"the date {date} does not exist: there is no month {month}",
                          where, "check the day and the month (YYYY-MM-DD)")
            return
        last = calendar.monthrange(year, month)[1]
        yield Finding(f"the date {date} does not exist: {_MONTHS[month - 1]} {year} has no "
                      f"day {day}; its last day is the {last}th", where,
                      f"check the day and the month: {year:04d}-{month:02d}-{last:02d} is "
                      f"the last day of {_MONTHS[month - 1]} {year}")


def _minutes(value: str) -> int | None:
    match = _TIME.match(value.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes > 59 or hours > 23:
        return None
    return hours * 60 + minutes


def time_range(summary: SessionSummary) -> Iterator[Finding]:
    where = header_location(summary, "time")
    start, end = summary.start_time, summary.end_time
    for label, value in (("start", start), ("end", end)):
        if value and _minutes(value) is None:
            yield Finding(f"the {label} time '{value}' is not a time of day", where,
                          "write times as HH:MM on the 24-hour clock, e.g. 10:30-12:30")
    if not (start and end):
        return
    first, last = _minutes(start), _minutes(end)
    if first is None or last is None:
        return
    if last == first:
        yield Finding(f"the session ends when it starts ({start}-{end})", where,
                      "write the start and the end time, e.g. 10:30-12:30")
    elif last < first:
        yield Finding(f"the session ends at {end}, before it starts at {start}", where,
                      f"did you mean {end}-{start}?")


def unknown_language(summary: SessionSummary) -> Iterator[Finding]:
    code = summary.language.strip()
    where = header_location(summary, "language")
    known = known_languages()
    supported = ", ".join(known)
    if not _LANGUAGE.match(code):
        yield Finding(f"'{code}' is not a language code" if code else "the language is empty",
                      where, f"write a code such as {supported}")
        return
    if primary(code) not in known:
        yield Finding(f"language '{code}' has no labels; headings and table columns will "
                      f"be in English", where, f"supported languages: {supported}")


missing_title = _missing("title", "title",
                         "add 'title:' with the event's name, e.g. 'GFMD Thematic Workshop on …'")
missing_session = _missing("session", "session title",
                           "add 'session:' with the working session's title")
missing_date = _missing("date", "date", "add 'date:' as YYYY-MM-DD")
missing_venue = _missing("venue", "venue", "add 'venue:' with the room or place")
