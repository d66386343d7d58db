"""Dates as people type them, in English, French and Spanish, and the line that gives a
session's date, time and venue: ``6 September 2017, 10:30-12:30 Hotel Savoyen – Mancini
3b`` and its variants.

The names of the months are those :mod:`gfmdreport.labels` prints; this module adds the
spellings without accents (``fevrier``), ``setiembre``, and the abbreviations people
type (``Sept.``, ``janv.``). Two grammars read a date line:

- :func:`parse_when`, for legacy text and Word documents: the first date anywhere in
  the line (day-month-year, month-day-year, ISO, numeric), a time or time range, and
  the venue around them;
- :func:`parse_date_line`, for the header of Markdown notes: the whole line is an
  optional weekday, a date (day-month-year, month-day-year or ISO), an optional time or
  time range and an optional venue, and the month's name gives the notes' language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field
from functools import cache

from gfmdreport.labels import LABELS
from gfmdreport.recognize.lazy import lazy
from gfmdreport.recognize.times import NOTES_CLOCK
from gfmdreport.recognize.times import NOTES_RANGE
from gfmdreport.recognize.times import find_time
from gfmdreport.recognize.times import notes_time

# ---- the names of the months ---------------------------------------------------------------


class Month:
    """What a word naming a month says: its ``number`` (1 to 12), its ``language``, and
    its ``kind``: ``name`` (as :mod:`gfmdreport.labels` prints it), ``spelling`` (without
    accents, or a variant such as ``setiembre``) or ``abbreviation``."""

    __slots__ = ("kind", "language", "number")

    def __init__(self, number: int, language: str, kind: str):
        self.number, self.language, self.kind = number, language, kind


_SPELLINGS = {"es": {"setiembre": "septiembre"}}
_ABBREVIATIONS = {"en": "jan feb mar apr jun jul aug sep sept oct nov dec",
                  "fr": "janv fev févr avr juil déc"}
"""Each the start of one month's name (accents aside)."""


def _bare(word: str) -> str:
    """The word without its accents (``février`` → ``fevrier``)."""
    if word.isascii():
        return word
    return unicodedata.normalize("NFD", word).encode("ascii", "ignore").decode()


def _months() -> dict[str, Month]:
    table: dict[str, Month] = {}
    names = {language: LABELS[language]["months"].lower().split()
             for language in ("en", "fr", "es")}
    for language, months in names.items():
        for number, name in enumerate(months, 1):
            table[name] = Month(number, language, "name")
    bare = {language: [_bare(name) for name in months] for language, months in names.items()}
    for language, months in names.items():
        for number, name in enumerate(bare[language], 1):
            table.setdefault(name, Month(number, language, "spelling"))
        for variant, name in _SPELLINGS.get(language, {}).items():
            table[variant] = Month(months.index(name) + 1, language, "spelling")
    for language, abbreviations in _ABBREVIATIONS.items():
        for abbreviation in abbreviations.split():
            start = _bare(abbreviation)
            number = next(n for n, name in enumerate(bare[language], 1) if name.startswith(start))
            table[abbreviation] = Month(number, language, "abbreviation")
    return table


MONTHS = _months()
"""Every name, spelling and abbreviation of a month, in lower case."""

WEEKDAYS = (r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
            r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
            r"lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo")
_ORDINAL = r"(?:st|nd|rd|th|er|º|°)"
_ENGLISH_ORDINAL = r"(?:st|nd|rd|th)"


@dataclass
class When:
    """What a date line says."""

    date: str
    """ISO ``YYYY-MM-DD``."""
    start: str = ""
    end: str = ""
    venue: str = ""
    doubt: str = ""
    """Why the date is a guess, if it is one."""
    language: str | None = None
    """The language of the month's name, where :func:`parse_date_line` found it."""
    at: dict[str, int] = field(default_factory=dict)
    """Where the ``date``, the ``time`` and the ``venue`` start in the line (0-based)."""

    @property
    def time(self) -> str:
        """``HH:MM-HH:MM``, ``HH:MM`` or empty, as in the interchange format."""
        return f"{self.start}-{self.end}" if self.start and self.end else self.start


# ---- a date anywhere in a line (legacy text, Word) -----------------------------------------

_DAY = rf"(\d{{1,2}}){_ORDINAL}?"
_RANGE = rf"(?:\s*[-–—/]\s*\d{{1,2}}{_ENGLISH_ORDINAL}?|\s+(?:and|&|et|y)\s+\d{{1,2}})?"
_LABEL = (r"^(date|time|venue|location|room|place|lieu|heure|salle|fecha|hora|lugar|sala)"
          r"\s*:\s*")
_EDGES = " ,;|–—-:·•\t"


@cache
def _line_patterns() -> tuple[re.Pattern[str], ...]:
    # French abbreviations are read in notes only.
    names = [name for name, month in MONTHS.items()
             if month.kind != "abbreviation" or month.language == "en"]
    month = "|".join(sorted(names, key=len, reverse=True))
    return (
        re.compile(rf"\b{_DAY}{_RANGE}\s*(?:de\s+)?({month})\.?,?\s*(?:de\s+)?(\d{{4}})\b",
                   re.I),
        re.compile(rf"\b({month})\.?\s+{_DAY}{_RANGE},?\s+(\d{{4}})\b", re.I),
        re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b"),
        re.compile(rf"\b(?:{WEEKDAYS})\b,?\s*", re.I),
    )


@cache
def _label() -> re.Pattern[str]:
    return re.compile(_LABEL, re.I)


def find_date(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """``(ISO date, doubt, span)`` for the first date written in ``text``."""
    dmy, mdy, iso, numeric, _weekday = _line_patterns()
    for pattern, order in ((dmy, "dmy"), (mdy, "mdy")):
        m = pattern.search(text)
        if m:
            if order == "dmy":
                day, month, year = m.group(1), m.group(2), m.group(3)
            else:
                month, day, year = m.group(1), m.group(2), m.group(3)
            doubt = ""
            if re.search(r"\d\s*(?:[-–—/]|and|&|et|y)\s*\d", m.group(0)):
                doubt = "the line gives several days; took the first"
            number = MONTHS[month.lower()].number
            return f"{int(year):04d}-{number:02d}-{int(day):02d}", doubt, m.span()
    m = iso.search(text)
    if m:
        return m.group(0), "", m.span()
    m = numeric.search(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month, doubt = a, b, ""
        if a <= 12 and b <= 12 and a != b:
            doubt = (f"'{m.group(0)}' could be day/month or month/day; read it as "
                     "day/month")
        elif b > 12 >= a:
            day, month = b, a
        return f"{year:04d}-{month:02d}-{day:02d}", doubt, m.span()
    return None


def parse_when(text: str) -> When | None:
    """The date, time and venue of a line that holds a date; ``None`` if it holds none."""
    found = find_date(text)
    if found is None:
        return None
    iso, doubt, (start, end) = found
    when = When(date=iso, doubt=doubt, at={"date": start})
    rest = text[:start] + " " * (end - start) + text[end:]
    last = end
    found_time = find_time(rest)
    if found_time:
        (when.start, when.end), (a, b) = found_time
        rest = rest[:a] + " " * (b - a) + rest[b:]
        last = max(last, b)
        when.at["time"] = a + len(text[a:b]) - len(text[a:b].lstrip())
    # The venue is what follows the date and time ("…, 10:30-12:30 Hotel Savoyen");
    # failing that, what precedes them, less a weekday or an article.
    after = rest[last:]
    venue = after.strip(_EDGES)
    offset = last + after.find(venue) if venue else 0
    if not venue:
        weekday = _line_patterns()[-1]
        before = weekday.sub(lambda m: " " * len(m.group(0)), rest[:min(start, last)])
        before = re.sub(r"^\s*(?:on|the|le|el|du|del)\b", lambda m: " " * len(m.group(0)),
                        before, flags=re.I)
        venue = before.strip(_EDGES)
        offset = before.find(venue) if venue else 0
    m = re.match(r"(?:at|in|à|en|venue:?|lieu\s*:|lugar:?)\s+", venue, re.I)
    if m:
        venue, offset = venue[m.end():], offset + m.end()
    when.venue = " ".join(venue.split())
    when.at["venue"] = offset
    return when


def parse_label(text: str) -> tuple[str, str] | None:
    """``("date" | "time" | "venue", value)`` for a labelled line such as ``Venue: X``."""
    m = _label().match(text)
    if not m:
        return None
    label = m.group(1).lower()
    kind = {"date": "date", "fecha": "date", "time": "time", "heure": "time",
            "hora": "time"}.get(label, "venue")
    return kind, text[m.end():].strip()


# ---- the header line of Markdown notes -----------------------------------------------------

@cache
def _date_line() -> re.Pattern[str]:
    return re.compile(
        r"^(?:(?:" + WEEKDAYS + r")\s*,?\s+)?"
        r"(?P<when>(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})"
        r"|(?P<d>[0-9]{1,2})" + _ORDINAL + r"?\.?\s+(?:de\s+)?(?P<m>[^\W\d_]+)\.?"
        r"\s+(?:de\s+|del\s+)?(?P<y>[0-9]{4})"
        r"|(?P<m2>[^\W\d_]+)\.?\s+(?P<d2>[0-9]{1,2})" + _ENGLISH_ORDINAL +
        r"?,?\s+(?P<y2>[0-9]{4}))"
        r"(?:\s*[,;–—-]?\s*(?P<time>(?P<t1>" + NOTES_CLOCK + r")(?:\s*" + NOTES_RANGE +
        r"\s*(?P<t2>" + NOTES_CLOCK + r"))?)(?![0-9]))?"
        r"(?:\s*[,;|–—-]?\s*(?P<venue>\S.*?))?\s*$",
        re.IGNORECASE,
    )


def parse_date_line(line: str) -> When | None:
    """``6 September 2017, 10:30-12:30, Hotel Savoyen`` and its variants (English,
    French, Spanish month names; ISO dates; 24-hour or am/pm times), the whole line;
    ``None`` for a line that is something else."""
    m = _date_line().match(line.strip())
    if not m:
        return None
    if m.group("venue") and not m.group("time") and not re.search(
            r"[,;|–—-]", line.strip()[m.end("when"):m.start("venue")]):
        return None  # "6 September 2017 was …" is a sentence, not a date line
    venue = (m.group("venue") or "").strip()
    if venue.endswith(".") and len(venue.split()) > 5:
        return None  # "6 September 2017, the Chair opened the session." neither
    language = None
    if m.group("iso"):
        date = m.group("iso")
    else:
        day, name, year = ((m.group("d"), m.group("m"), m.group("y")) if m.group("d")
                           else (m.group("d2"), m.group("m2"), m.group("y2")))
        month = MONTHS.get(name.lower())
        if month is None:
            return None
        date = f"{int(year):04d}-{month.number:02d}-{int(day):02d}"
        language = month.language if month.kind == "name" else None
    offset = len(line) - len(line.lstrip())
    when = When(date=date, venue=venue, language=language, at={"date": offset})
    if m.group("t1"):
        times = notes_time(m.group("t1"), m.group("t2") or "")
        if times is None:
            return None
        when.start, when.end = times
        when.at["time"] = offset + m.start("time")
    if m.group("venue"):
        when.at["venue"] = offset + m.start("venue")
    return when


# ---- a date typed in a field -------------------------------------------------------------------

_ISO_LOOSE = lazy(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_NUMERIC = lazy(r"^([0-9]{1,2})([./-])([0-9]{1,2})\2([0-9]{4})$")


@dataclass
class TypedDate:
    """A date typed in a field (``date: 12 March 2018``): the ``iso`` form, which may
    name a day the month does not have (validation says so), and the ``doubt`` when
    the reading was a choice (``12/03/2018``: day-month or month-day)."""

    iso: str
    doubt: str = ""
    language: str | None = None


def read_date(text: str) -> TypedDate | None:
    """The date a field holds, written as the header line of notes reads it
    (``12 March 2018``, ``March 12, 2018``, ``mardi 6 septembre 2017``,
    ``6 de septiembre de 2017``, ISO with or without leading zeros) or with numbers
    (``12/03/2018``, ``12.03.2018``: day first, with a doubt when both readings are
    dates); ``None`` when the field holds something else (a time or a venue too)."""
    text = " ".join(str(text).split())
    m = _ISO_LOOSE.match(text)
    if m:
        return TypedDate(f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    m = _NUMERIC.match(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if b > 12 >= a:  # 03/13/2018: no month 13, so month/day
            return TypedDate(f"{year:04d}-{a:02d}-{b:02d}", f"'{text}' can only be "
                             f"month/day/year: read it as {_name(a)} {b}, {year}")
        doubt = ""
        if a <= 12 and b <= 12 and a != b:
            doubt = (f"'{text}' could be day/month or month/day; read it as day/month: "
                     f"{a} {_name(b)} {year}")
        return TypedDate(f"{year:04d}-{b:02d}-{a:02d}", doubt)
    text = _SHORT_WEEKDAY.sub("", text)
    when = parse_date_line(text)
    if when is None or when.time or when.venue:
        return None
    language = when.language
    if language is None:  # 'setiembre', 'fevrier': a spelling of one language's month
        months = [MONTHS.get(word.lower()) for word in re.findall(r"[^\W\d_]+", text)]
        language = next((m.language for m in months if m and m.kind == "spelling"), None)
    return TypedDate(when.date, language=language)


_SHORT_WEEKDAY = lazy(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim|mié|mie|"
    r"jue|vie|sáb|sab|dom)\.?,?\s+(?=\S)", re.IGNORECASE)


def _name(month: int) -> str:
    return LABELS["en"]["months"].split()[month - 1] if 1 <= month <= 12 else str(month)
