"""Where the text of a summary names its chairs and rapporteurs, and the roles they hold.

The body of a summary speaks of the people its header lists: "Mr. Ola Henrikson",
"Mr. Angenendt", "The Chair", "the thematic expert rapporteur"; in French "M. Ola
Henrikson", "Le Président", "la rapporteuse experte thématique"; in Spanish "el Sr.
Angenendt", "La Presidencia", "la relatora temática experta". This module finds those
mentions so that the writer can mark them as ``person`` (with ``refersTo`` and ``as``)
and ``role`` (with ``refersTo``).

It is a small, local matcher: gfmdreport's recogniser of people
(``gfmdreport.recognize.people``) is not part of the public API a plugin may use. It
finds only the people it is given, so it cannot invent one:

- a person by full name, with or without an honorific before it, or by honorific and
  surname ("Ms. Klein-Solomon"); a surname two people share is not used alone;
- a role by the word for it after an article ("the Chair", "The GCM rapporteur",
  "as an expert rapporteur", "Le Président", "la Presidencia"), not when it names some
  other office ("the chair of the Council", "the Special Rapporteur on …", "la
  présidence de la Suède").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from gfmdreport import Person

HONORIFIC = (r"(?:H\.\s?E\.|S\.\s?E\.|M\.|(?:Mr|Mrs|Ms|Mx|Dr|Dra|Prof|Amb|Mme|Mlle|Sr|Sra|"
             r"Srta|Excmo|Excma)\.?|Ambassador|Ambassadeur|Ambassadrice|Embajador|"
             r"Embajadora|Professor|Professeur|Profesor|Profesora)")
_BEFORE = r"(?<![\w.])"
_AFTER = r"(?![\w-])"

# The words for a chair and a rapporteur, the article or preposition before them, the
# words that may qualify them, and what makes them some other office.
_ROLES = {
    "en": {
        "lead": r"(?:[Tt]he|[Aa]n?|as)\s+",
        "before": {"chair": "",
                   "rapporteur": r"(?:(?:[A-Z]{2,}|[Tt]hematic|[Ee]xpert|[Ss]ession|[Ll]ead)"
                                 r"\s+){0,3}"},
        "chair": r"(?:[Cc]o-?[Cc]hair(?:s|persons?|m[ae]n|wom[ae]n)?|Chair(?:s|persons?|m[ae]n|"
                 r"wom[ae]n)?|chair(?:s|persons?|m[ae]n|wom[ae]n)?)",
        "rapporteur": r"[Rr]apporteurs?",
        "after": "",
        "other": r"\s+(?:of|on)\b",
    },
    "fr": {
        "lead": r"(?:(?:[Ll]e|[Ll]a|[Ll]es|[Uu]ne?|de|comme)\s+|[Ll]['’]\s*)",
        "before": {"chair": "", "rapporteur": ""},
        "chair": r"(?:[Cc]o-?)?[Pp]résiden(?:te?|ce)s?",
        "rapporteur": r"[Rr]apporteu(?:r|se|re)s?",
        "after": r"(?:\s+(?:thématiques?|experte?s?|principale?s?)){0,3}",
        "other": r"\s+(?:de|du|des|d['’]|sur|spéciale?s?)\b",
    },
    "es": {
        "lead": r"(?:[Ee]l|[Ll]a|[Ll]os|[Ll]as|[Uu]na?|como|de)\s+",
        "before": {"chair": "", "rapporteur": ""},
        "chair": r"(?:[Cc]o-?)?[Pp]residen(?:te|ta|cia)s?",
        "rapporteur": r"[Rr]elator(?:a|es|as)?",
        "after": r"(?:\s+(?:temátic[oa]s?|expert[oa]s?|principal(?:es)?)){0,3}",
        "other": r"\s+(?:de|del|sobre|[Ee]special(?:es)?)\b",
    },
}


@dataclass(frozen=True)
class Mention:
    """A stretch ``text[start:end]`` that names a person or a role."""

    start: int
    end: int
    kind: str
    """``person`` or ``role``."""
    ref: str
    """The ``eId`` of the ``TLCPerson`` or ``TLCRole`` it refers to."""
    role: str = ""
    """For a person: the ``eId`` of the role they hold in the session."""


def _name_pattern(name: str) -> str:
    """``name`` as a pattern: spaces match any run of spaces, case as written."""
    return r"\s+".join(re.escape(word) for word in name.split())


class Matcher:
    """Finds the mentions of ``people`` (``(person, eId, role eId)`` triples) and of
    their roles in texts of a summary in ``language``."""

    def __init__(self, people: Sequence[tuple[Person, str, str]], language: str):
        surnames: dict[str, set[str]] = {}
        for person, eid, _ in people:
            for surname in _surnames(person.name):
                surnames.setdefault(surname, set()).add(eid)
        alternatives: list[str] = []
        self.targets: dict[str, tuple[str, str]] = {}
        seen: set[str] = set()
        for person, eid, role in people:
            if eid in seen or not person.name.split():
                continue
            seen.add(eid)
            group = f"p{len(self.targets)}"
            self.targets[group] = (eid, role)
            names = [_name_pattern(person.name)]
            names_after_title = [_name_pattern(s) for s in _surnames(person.name)
                                 if surnames[s] == {eid}]
            pattern = (rf"(?:{HONORIFIC}\s+)?{names[0]}" if not names_after_title else
                       rf"(?:{HONORIFIC}\s+)?{names[0]}|{HONORIFIC}\s+(?:"
                       + "|".join(names_after_title) + ")")
            alternatives.append(rf"(?P<{group}>{_BEFORE}(?:{pattern}){_AFTER})")
        self.people = re.compile("|".join(alternatives)) if alternatives else None
        table = _ROLES.get((language or "en").split("-")[0].lower(), _ROLES["en"])
        role_words = "|".join(
            rf"(?P<{kind}>(?>{table['before'][kind]}{table[kind]}{table['after']}))"
            for kind in ("chair", "rapporteur"))
        self.roles = re.compile(rf"{_BEFORE}{table['lead']}(?:{role_words}){_AFTER}"
                                rf"(?!{table['other']})")

    def find(self, text: str) -> list[Mention]:
        """The mentions in ``text``, in order, none overlapping another (the longer
        wins)."""
        found: list[Mention] = []
        if self.people is not None:
            for m in self.people.finditer(text):
                eid, role = self.targets[m.lastgroup]
                found.append(Mention(m.start(), m.end(), "person", eid, role))
        for m in self.roles.finditer(text):
            kind = m.lastgroup
            found.append(Mention(m.start(kind), m.end(kind), "role", kind))
        return _without_overlaps(found)


def _surnames(name: str) -> list[str]:
    """The ways a person may be named after a title: all but the first name
    ("Klein-Solomon", "van der Berg"), and the last word alone."""
    words = name.split()
    if len(words) < 2:
        return []
    out = [" ".join(words[1:])]
    if len(words) > 2:
        out.append(words[-1])
    return out


def _without_overlaps(found: Iterable[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
