"""Text-quality rules (GFMD3xx): the marks of text copied out of a PDF or typed in haste.

All are warnings: they point at text a person should look at, and never stop rendering.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from gfmdreport.diagnostics import Location
from gfmdreport.hooks.registry import Finding
from gfmdreport.model import Person
from gfmdreport.model import SessionSummary
from gfmdreport.recognize.people import honorific_prefix
from gfmdreport.rules.common import line_of
from gfmdreport.rules.common import people
from gfmdreport.rules.common import texts
from gfmdreport.rules.common import visible

# ---- GFMD301: fragments -------------------------------------------------------------------


_TWO_ALNUM = re.compile(r"[^\W_].*?[^\W_]", re.S)


def extraction_fragment(summary: SessionSummary) -> Iterator[Finding]:
    for text in texts(summary):
        value = visible(text.text).strip()
        if value and not _TWO_ALNUM.search(value):
            yield Finding(f"{text.label} is only '{value}': it looks like a fragment left "
                          f"by text extraction", text.location,
                          "restore the full text from the original document")


# ---- GFMD302: hyphens split across a line -------------------------------------------------

_SPLIT = re.compile(r"(?<![\w-])([^\W\d_]{2,})-(\s*\n\s*|\s+)([a-z][a-z]+)")
_SUSPENDED = {"and", "or", "nor", "to", "as", "but", "than", "versus", "vs", "through",
              "et", "ou", "y", "o", "e", "u", "und", "oder", "bis"}


def split_hyphen(summary: SessionSummary) -> Iterator[Finding]:
    for text in texts(summary):
        value = visible(text.text)
        if "- " not in value and "-\n" not in value:
            continue
        for match in _SPLIT.finditer(value):
            first, gap, second = match.groups()
            if second in _SUSPENDED and "\n" not in gap:
                continue  # "short- and long-term": a suspended hyphen, not a split word
            yield Finding(f"'{first}- {second}' in {text.label} looks like a word split "
                          f"across a line", text.location,
                          f"join it as '{first}{second}', or remove the space after the hyphen")


# ---- GFMD303: damaged characters ------------------------------------------------------------

_INVISIBLE = {"\u00ad": "soft hyphen", "\ufeff": "byte-order mark", "\ufffd":
              "replacement character", "\u200b": "zero-width space"}
_SUSPECT = re.compile("[\u00ad\ufeff\ufffd\u200b\x00-\x08\x0b-\x1f\x7f-\x9f"
                      "\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]")
"""Characters :func:`_damaged` may name: found with one search, then told apart."""


def _damaged(char: str) -> str | None:
    if char in _INVISIBLE:
        return _INVISIBLE[char]
    category = unicodedata.category(char)
    if category == "Co":
        return "private-use glyph"
    if category == "Cs":
        return "lone surrogate"
    if category == "Cc" and char not in "\n\t":
        return "control character"
    return None


def damaged_glyph(summary: SessionSummary) -> Iterator[Finding]:
    for text in texts(summary):
        value = visible(text.text)
        for match in _SUSPECT.finditer(value):
            what = _damaged(match.group())
            if what:
                yield Finding(f"{text.label} holds a {what} (U+{ord(match.group()):04X}) at "
                              f"character {match.start() + 1}", text.location,
                              "a bullet or symbol lost in text extraction: delete it or "
                              "write the character it stood for")
                break


# ---- GFMD304: doubled spaces ----------------------------------------------------------------

_DOUBLED = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


def doubled_space(summary: SessionSummary) -> Iterator[Finding]:
    for text in texts(summary):
        value = visible(text.text)
        match = _DOUBLED.search(value)
        if match:
            before = value[max(0, match.start() - 12):match.start()].split()[-1:] or [""]
            yield Finding(f"{text.label} has doubled spaces (after '{before[0]}')",
                          text.location, "use one space between words")


# ---- GFMD305: a person's name spelt two ways --------------------------------------------------

# A word: letters, with apostrophes, full stops, hyphens and digits inside. Split on it, a
# text alternates between what lies between words and the words (the cut runs in C).
_WORDS = re.compile(r"([^\W\d_](?:[\w'’.-]*[^\W\d_])?)")
_POSSESSIVE = re.compile(r"['’]s?$")
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "he", "h.e", "hon",
               "ambassador", "minister", "sir", "madam", "mme", "m", "sr", "sra", "dra",
               "chair", "co-chair", "rapporteur", "director", "president", "excellency"}


@dataclass(frozen=True)
class _Name:
    role: str
    person: Person
    given: tuple[str, ...]
    surname: str
    given_folded: frozenset[str]


def _split_name(role: str, person: Person) -> _Name | None:
    _honorific, name = honorific_prefix(person.name)  # "name: Ms. Jane Doe"
    words = [w for w in name.replace(",", " ").split() if w]
    if not words:
        return None
    return _Name(role, person, tuple(words[:-1]), words[-1],
                 frozenset(w.casefold() for w in words[:-1]))


@lru_cache(maxsize=4096)
def distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbours as one edit (remembered: the same
    words meet the same names in file after file)."""
    a, b = a.casefold(), b.casefold()
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def close(word: str, name: str, shortest: int = 4) -> bool:
    """``word`` looks like a misspelling of ``name``: same first letter, a close length,
    one edit apart (two for names of eight letters or more)."""
    if len(name) < shortest or word.casefold() == name.casefold():
        return False
    if word[0].casefold() != name[0].casefold() or abs(len(word) - len(name)) > 2:
        return False
    return distance(word, name) <= (1 if len(name) < 8 else 2)


def _bare(word: str) -> str:
    """A word without a trailing full stop or possessive."""
    return _POSSESSIVE.sub("", word.rstrip(".")) or word


def _is_honorific(word: str) -> bool:
    """``Ms``, ``Dr.``, ``H.E``, ``Sra``: a title, not a name."""
    return word.rstrip(".").casefold() in _HONORIFICS or bool(
        honorific_prefix(word.rstrip(".") + ". X")[0])


def _joined(gap: str, first: str) -> bool:
    """Two words read as one name: only spaces between them, or the full stop of an
    honorific (``Mr. Henrikson``)."""
    gap = gap.strip()
    return not gap or (gap == "." and first.casefold() in _HONORIFICS)


def name_spelling(summary: SessionSummary) -> Iterator[Finding]:
    names = [n for n in (_split_name(role, p) for role, p in people(summary)) if n]
    if not names:
        return
    known = {w.casefold() for n in names for w in (*n.given, n.surname)}
    by_surname = {n.surname.casefold(): n for n in names}
    by_initial: dict[str, list[_Name]] = {}
    for n in names:
        by_initial.setdefault(n.surname[0].casefold(), []).append(n)
    initials = {w[0].upper() for n in names for w in (*n.given, n.surname)}
    for text in texts(summary):
        parts = _WORDS.split(visible(text.text))
        words, gaps = parts[1::2], parts[0::2]  # gaps[i] comes before words[i]
        reported: set[tuple[str, str]] = set()
        for i in [i for i, w in enumerate(words) if w[0] in initials]:
            raw = words[i]
            word = _bare(raw)
            if word.casefold() in known or _is_honorific(raw):
                continue  # an honorific ("Ms.", "H.E.") is never a misspelt name
            prev = words[i - 1] if i and _joined(gaps[i], words[i - 1]) else None
            after = words[i + 1] if i + 1 < len(words) and _joined(gaps[i + 1], raw) \
                else None
            before = _bare(prev).casefold() if prev else ""
            found: list[tuple[_Name, str]] = []
            if not (after and after[0].isupper()):  # a surname ends the name
                for name in by_initial.get(word[0].casefold(), ()):
                    introduced = before in _HONORIFICS or before in name.given_folded
                    if prev and prev[0].isupper() and not introduced:
                        continue  # another person's given name: another person
                    if close(word, name.surname, 4 if introduced else 6):
                        found.append((name, name.surname))
            if after:
                name = by_surname.get(_bare(after).casefold())
                given = next((g for g in name.given if close(word, g, 3)), None) \
                    if name else None
                if name and given:
                    found.append((name, given))
            for name, wrong in found:
                if (word, wrong) not in reported:
                    reported.add((word, wrong))
                    yield Finding(
                        f"'{word}' in {text.label} looks like a misspelling: the "
                        f"{name.role} is listed as {name.person.name}", text.location,
                        f"spell the name as in the {name.role}s list, or correct the list")


# ---- GFMD306: duplicated text ---------------------------------------------------------------

_PROSE = {"paragraph", "item", "takeaway"}


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", visible(text).casefold()).split())


def duplicate_text(summary: SessionSummary) -> Iterator[Finding]:
    first: dict[str, tuple[str, Location | None]] = {}
    for text in texts(summary):
        if text.kind not in _PROSE:
            continue
        key = _normal(text.text)
        if len(key.split()) < 4:
            continue
        if key in first:
            label, where = first[key]
            at = line_of(where)
            yield Finding(f"{text.label} repeats {label}" + (f", at {at}" if at else ""),
                          text.location, "delete one of the two")
        else:
            first[key] = (text.label, text.location)


# ---- GFMD308: bidirectional controls ----------------------------------------------------------

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: they make text display in another order than it is
stored (the marks U+200E, U+200F and U+061C, used in right-to-left text, are fine)."""


def _bidi(value: str) -> str | None:
    match = _BIDI.search(value)
    if match is None:
        return None
    char = match.group()
    return f"U+{ord(char):04X} {unicodedata.name(char, 'bidirectional control').lower()}"


def bidi_control(summary: SessionSummary) -> Iterator[Finding]:
    hint = ("delete it: a name or text written right to left needs no control character, "
            "and this one can make what is shown differ from what is stored")
    for key in ("title", "session", "venue"):
        found = _bidi(getattr(summary, key))
        if found:
            yield Finding(f"the {key} holds a bidirectional control character ({found})",
                          summary.location_of(key), hint)
    for role, person in people(summary):
        for field in ("name", "honorific", "role", "organization"):
            found = _bidi(getattr(person, field))
            if found:
                yield Finding(f"the {role} {person.name!r} has a bidirectional control "
                              f"character in the {field} ({found})",
                              person.loc or Location(summary.source), hint)
    for text in texts(summary):
        found = _bidi(text.text)
        if found:
            yield Finding(f"{text.label} holds a bidirectional control character ({found})",
                          text.location, hint)

