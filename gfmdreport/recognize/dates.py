"""The date, time and venue line: ``6 September 2017, 10:30-12:30 Hotel Savoyen – Mancini
3b`` and its variants in English, French and Spanish."""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}
FRENCH_MONTHS = {"janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet",
                 "août", "aout", "septembre", "octobre", "novembre", "décembre", "decembre"}
SPANISH_MONTHS = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "setiembre", "octubre", "noviembre", "diciembre"}
_WEEKDAYS = (r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
             r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
             r"lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo")
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|º|°)?"
_RANGE = r"(?:\s*[-–—/]\s*\d{1,2}(?:st|nd|rd|th)?|\s+(?:and|&|et|y)\s+\d{1,2})?"

_DMY = re.compile(rf"\b{_DAY}{_RANGE}\s*(?:de\s+)?({_MONTH})\.?,?\s*(?:de\s+)?(\d{{4}})\b", re.I)
_MDY = re.compile(rf"\b({_MONTH})\.?\s+{_DAY}{_RANGE},?\s+(\d{{4}})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_WEEKDAY = re.compile(rf"\b(?:{_WEEKDAYS})\b,?\s*", re.I)
_CLOCK = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?"
_TIME = re.compile(
    rf"(?:\bfrom\s+|\bde\s+)?\b{_CLOCK}\s*(?:[-–—]|\bto\b|\bà\b|\ba\b|\buntil\b)\s*{_CLOCK}"
    rf"(?!\d)", re.I)
_ONE_TIME = re.compile(r"(?:\bat\s+)?\b(\d{1,2})[:h](\d{2})\s*(a\.?m\.?|p\.?m\.?)?(?!\d)", re.I)
_LABEL = re.compile(r"^(date|time|venue|location|room|place|lieu|heure|salle|fecha|hora|"
                    r"lugar|sala)\s*:\s*", re.I)
_EDGES = " ,;|–—-:·•\t"


@dataclass
class When:
    """What a date line holds."""

    date: str = ""
    start: str = ""
    end: str = ""
    venue: str = ""
    doubt: str = ""
    """Why the date is a guess, if it is one."""
    date_span: tuple[int, int] = (0, 0)
    time_offset: int = 0
    venue_offset: int = 0


def _hhmm(hour: str, minute: str | None, half: str | None) -> str | None:
    h, m = int(hour), int(minute or 0)
    if half:
        half = half.lower().replace(".", "")
        if half == "pm" and h < 12:
            h += 12
        elif half == "am" and h == 12:
            h = 0
    if h > 23 or m > 59:
        return None
    return f"{h:02d}:{m:02d}"


def find_date(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """``(ISO date, doubt, span)`` for the first date written in ``text``."""
    for pattern, order in ((_DMY, "dmy"), (_MDY, "mdy")):
        m = pattern.search(text)
        if m:
            if order == "dmy":
                day, month, year = m.group(1), m.group(2), m.group(3)
            else:
                month, day, year = m.group(1), m.group(2), m.group(3)
            doubt = ""
            if re.search(r"\d\s*(?:[-–—/]|and|&|et|y)\s*\d", m.group(0)):
                doubt = "the line gives several days; took the first"
            iso = f"{int(year):04d}-{MONTHS[month.lower()]:02d}-{int(day):02d}"
            return iso, doubt, m.span()
    m = _ISO.search(text)
    if m:
        return m.group(0), "", m.span()
    m = _NUMERIC.search(text)
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
    when = When(date=iso, doubt=doubt, date_span=(start, end))
    rest = text[:start] + " " * (end - start) + text[end:]
    last = end
    found_time = _find_time(rest)
    if found_time:
        (when.start, when.end), (a, b) = found_time
        rest = rest[:a] + " " * (b - a) + rest[b:]
        last = max(last, b)
        when.time_offset = a + len(text[a:b]) - len(text[a:b].lstrip())
    # The venue is what follows the date and time ("…, 10:30-12:30 Hotel Savoyen");
    # failing that, what precedes them, less a weekday or an article.
    after = rest[last:]
    venue = after.strip(_EDGES)
    offset = last + after.find(venue) if venue else 0
    if not venue:
        before = _WEEKDAY.sub(lambda m: " " * len(m.group(0)), rest[:min(start, last)])
        before = re.sub(r"^\s*(?:on|the|le|el|du|del)\b", lambda m: " " * len(m.group(0)),
                        before, flags=re.I)
        venue = before.strip(_EDGES)
        offset = before.find(venue) if venue else 0
    m = re.match(r"(?:at|in|à|en|venue:?|lieu\s*:|lugar:?)\s+", venue, re.I)
    if m:
        venue, offset = venue[m.end():], offset + m.end()
    when.venue = " ".join(venue.split())
    when.venue_offset = offset
    return when


def parse_label(text: str) -> tuple[str, str] | None:
    """``("date" | "time" | "venue", value)`` for a labelled line such as ``Venue: X``."""
    m = _LABEL.match(text)
    if not m:
        return None
    label = m.group(1).lower()
    kind = {"date": "date", "fecha": "date", "time": "time", "heure": "time",
            "hora": "time"}.get(label, "venue")
    return kind, text[m.end():].strip()


def _find_time(text: str) -> tuple[tuple[str, str], tuple[int, int]] | None:
    for m in _TIME.finditer(text):
        if not (m.group(2) or m.group(5) or m.group(3) or m.group(6)):
            continue  # "3-4" is not a time range without minutes or am/pm
        t1 = _hhmm(m.group(1), m.group(2), m.group(3) or m.group(6))
        t2 = _hhmm(m.group(4), m.group(5), m.group(6))
        if t1 and t2:
            return (t1, t2), m.span()
    m = _ONE_TIME.search(text)
    if m and (t := _hhmm(m.group(1), m.group(2), m.group(3))):
        return (t, ""), m.span()
    return None


def parse_time(text: str) -> tuple[str, str] | None:
    """``(start, end)`` of the first time or time range in ``text``."""
    found = _find_time(text)
    return found[0] if found else None


TIME_OF_DAY = re.compile(r"^\s*\d{1,2}[:.h]\d{2}\b")
"""A line that starts with a time of day (as agenda lines do)."""
