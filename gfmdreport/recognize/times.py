"""Times of day as people type them (``10:30``, ``10.30``, ``10h30``, ``4 pm``,
``10:30 a.m.``) and time ranges (``10:30-12:30``, ``from 2 to 4 pm``, ``de 10h30 à
12h30``), turned into the model's 24-hour ``HH:MM`` by one clock, :func:`clock`.

Three grammars read times, each for its own context, and all give their hour, minutes
and am/pm to :func:`clock`:

- the date line of a legacy text or a Word document (:func:`find_time`), found anywhere
  in the line: ``10:30-12:30``, ``10.30 to 12.30``, ``2-4 pm``, ``at 14h00`` (the Word
  reader first writes ``10 h 30`` as ``10h30``, :func:`close_up`);
- the header line of Markdown notes (:data:`NOTES_CLOCK`, :func:`notes_time`), where
  each time has minutes or am/pm (a bare ``10`` is not a time) and am/pm may be spaced
  (``4 p. m.``);
- the interchange format's canonical ``HH:MM-HH:MM`` (:func:`split_time`).
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled when first used, so that what reads no time compiles none."""
    return re.compile(pattern, flags)


# ---- the clock -------------------------------------------------------------------------------


def clock(hour: str, minute: str | None = None, meridiem: str | None = None, *,
          checked: bool = True) -> str | None:
    """``"HH:MM"`` on the 24-hour clock for an hour, its minutes and its am/pm (any
    spelling: ``pm``, ``p.m.``, ``P. M.``, or the bare letter); ``None`` when that is
    no time of day (``25:00``, ``10:75``), unless ``checked`` is false: then such a
    time is written ``HH:MM`` as it is, for validation to report."""
    h, m = int(hour), int(minute or 0)
    if meridiem:
        half = meridiem[:1].lower()
        if half == "p" and h < 12:
            h += 12
        elif half == "a" and h == 12:
            h = 0
    if checked and (h > 23 or m > 59):
        return None
    return f"{h:02d}:{m:02d}"


# ---- times in a date line ------------------------------------------------------------------

_MERIDIEM = r"[ap]\.?m\.?"
_CLOCK = rf"(\d{{1,2}})(?:[:.h](\d{{2}}))?\s*({_MERIDIEM})?"
_UNIT = r"(?:\s*(?:h\b|hrs?\b\.?|hours\b|horas\b|heures\b|hs\b\.?))?"
"""What may follow a time and belongs to it: ``11h``, ``18.00 horas``, ``16.00 hrs``."""


@cache
def _line_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    time_range = re.compile(
        rf"(?:\bfrom\s+|\b(?:de|desde)\s+(?:las\s+)?)?\b{_CLOCK}\s*(?:[-–—]|\bto\b|\bà\b|"
        rf"\b(?:a|hasta)\b(?:\s+las\b)?|\buntil\b)\s*{_CLOCK}(?!\d){_UNIT}", re.I)
    one_time = re.compile(rf"(?:\bat\s+|\bà\s+|\ba\s+las\s+)?\b(\d{{1,2}})[:h](\d{{2}})\s*"
                          rf"({_MERIDIEM})?(?!\d){_UNIT}", re.I)
    return time_range, one_time


def find_time(text: str) -> tuple[tuple[str, str], tuple[int, int]] | None:
    """``((start, end), span)`` of the first time range in ``text``, or failing one, of
    the first time with minutes (``end`` empty)."""
    time_range, one_time = _line_patterns()
    for m in time_range.finditer(text):
        if not (m.group(2) or m.group(5) or m.group(3) or m.group(6)):
            continue  # "3-4" is not a time range without minutes or am/pm
        t1 = clock(m.group(1), m.group(2), m.group(3) or m.group(6))
        t2 = clock(m.group(4), m.group(5), m.group(6))
        if t1 and t2:
            return (t1, t2), m.span()
    m = one_time.search(text)
    if m and (t := clock(m.group(1), m.group(2), m.group(3))):
        return (t, ""), m.span()
    return None


def parse_time(text: str) -> tuple[str, str] | None:
    """``(start, end)`` of the first time or time range in ``text``."""
    found = find_time(text)
    return found[0] if found else None


def close_up(text: str) -> str:
    """``10 h 30`` (how French writes a time, and how gfmdreport prints it) as
    ``10h30``, which :func:`find_time` reads."""
    return _pattern(r"\b(\d{1,2})\s*h\s*(\d{2})\b").sub(r"\1h\2", text)


def time_of_day() -> re.Pattern[str]:
    """What matches a line that starts with a time of day (as agenda lines do)."""
    return _pattern(r"^\s*\d{1,2}[:.h]\d{2}\b")


# ---- times in the header line of Markdown notes ---------------------------------------------

_NOTES_MERIDIEM = r"[ap]\.?\s?m\.?"
NOTES_CLOCK = rf"[0-9]{{1,2}}(?:[:.h][0-9]{{2}}(?:\s*{_NOTES_MERIDIEM})?|\s*{_NOTES_MERIDIEM})"
"""A time in the notes' header line: it has minutes or am/pm (``10:30``, ``10h30``,
``10.30 am``, ``4 pm``), never a bare ``10``."""
NOTES_RANGE = r"(?:[-–—]|to|à|a|al)"
"""What joins the two times of a range in the notes' header line."""
_NOTES_PARTS = r"([0-9]{1,2})(?:[:.h]([0-9]{2}))?\s*(?:([ap])\.?\s?m\.?)?"


def notes_time(first: str, second: str = "") -> tuple[str, str] | None:
    """``(start, end)`` of the times a header line gives (each matched by
    :data:`NOTES_CLOCK`; ``end`` empty without a second); ``None`` if either is no time
    of day. In ``2:30-4:30 pm`` the start takes the end's pm when that keeps it before
    the end."""
    found: list[tuple[str, str]] = []
    for text in (first, second) if second else (first,):
        m = _pattern(_NOTES_PARTS, re.IGNORECASE).match(text.strip())
        time = clock(m.group(1), m.group(2), m.group(3)) if m else None
        if time is None:
            return None
        found.append((time, (m.group(3) or "").lower()))
    if len(found) == 1:
        return found[0][0], ""
    (start, half), (end, end_half) = found
    if end_half == "p" and not half and int(start[:2]) + 12 <= int(end[:2]):
        start = f"{int(start[:2]) + 12:02d}{start[2:]}"
    return start, end


# ---- the interchange format's times --------------------------------------------------------

_CANONICAL = r"^\s*(\d{1,2}):(\d{2})\s*$"


def split_time(value: str) -> tuple[str, str]:
    """``"10:30-12:30"`` → ``("10:30", "12:30")``; a single time is the start. A part
    that is not ``H:MM`` is kept as written, and a time out of range (``9:75``) written
    ``HH:MM`` as it is, for validation to report."""
    if not value:
        return "", ""
    parts = re.split(r"\s*[-–—]\s*", value.strip(), maxsplit=1)
    times = []
    for part in parts:
        m = _pattern(_CANONICAL).match(part)
        times.append(clock(m.group(1), m.group(2), checked=False) if m else part.strip())
    return (times[0], times[1] if len(times) > 1 else "")


# ---- a time typed in a field ---------------------------------------------------------------

_FIELD_CLOCK = rf"[0-9]{{1,2}}(?:[:.h][0-9]{{2}})?(?:\s*h\b)?(?:\s*{_NOTES_MERIDIEM})?"
_FIELD_RANGE = r"(?:[-–—]|\bto\b|\buntil\b|\btill\b|\bà\b|\ba\b|\bal\b|\bhasta\b)"
_FIELD_TIME = (r"^(?:(?:from|de|desde|of)\s+)?(?P<t1>" + _FIELD_CLOCK + r")(?:\s*"
               + _FIELD_RANGE + r"\s*(?P<t2>" + _FIELD_CLOCK + r"))?"
               r"\s*(?:h|hrs?|hours|horas|heures)?\.?$")


def read_time(text: str) -> tuple[str, str] | None:
    """``(start, end)`` of a time or time range typed in a field as people write one
    (``14:30-16:00``, ``2.30–4 pm``, ``2:30 pm - 4 pm``, ``14h30-16h00``, ``9h30-11h``,
    ``14.30 to 16.00``, ``de 16.00 a 18.00 horas``); ``None`` when the whole field is
    not one (a bare ``10-12`` neither: it needs minutes, ``h`` or am/pm)."""
    text = close_up(" ".join(str(text).split()))
    m = _pattern(_FIELD_TIME, re.IGNORECASE).match(text)
    if not m:
        return None
    first, second = m.group("t1"), m.group("t2") or ""
    if not any(re.search(r"[:.h]|[ap]\.?\s?m", t, re.I) for t in (first, second) if t) \
            and not re.search(r"(?:h|hrs?|hours|horas|heures)\.?$", text.strip(), re.I):
        return None
    return notes_time(first, second)
