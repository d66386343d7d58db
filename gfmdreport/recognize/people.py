"""The chair, co-chairs, moderators and rapporteurs, from the sentences that name them:

- "… was chaired by Mr. Ola Henrikson, Director General for Migration and Asylum from
  the Swedish Ministry of Justice."
- "The GCM rapporteur, Dr. Steffen Angenendt of the Stiftung Wissenschaft und Politik,
  presented …"
- "… Ms. Michelle Klein-Solomon, Director of … of the IOM, served as an expert
  rapporteur …"
- "co-chaired by Mr. A (Germany) and Ms. B (Morocco)", "moderated by …",
  "The rapporteur was …", label lines such as "Chair: Mr. X, …", and the French and
  Spanish equivalents ("présidée par", "presidida por", "Le rapporteur, M. X, …").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from gfmdreport.diagnostics import Location
from gfmdreport.model import Person
from gfmdreport.recognize.lazy import lazy
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import short

_HON_WORD = (r"(?:H\.\s?E\.|S\.\s?E\.|M\.|(?:Mr|Mrs|Ms|Mx|Dr|Prof|Amb|Hon|Mme|Mlle|Sr|Sra|"
             r"Srta|Dra|Pr|Excmo|Excma|Lic|Ing)\.?|Ambassador|Ambassadeur|Embajador(?:a)?|"
             r"Professor|Sir|Dame|Miss|Don|Doña)")
HONORIFIC = rf"(?<![\w.])(?:{_HON_WORD}\s+)+"
_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_NAME_TOKEN = rf"(?:[{_UP}]\.|[{_UP}][\w'’-]+)"
_PARTICLE = r"(?:de|da|das|do|dos|du|del|della|der|den|van|von|la|le|bin|binti|al|el|ter|ten|zu|y)"
NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_TOKEN}){{0,5}}"
_PERSON = lazy(rf"(?P<hon>{HONORIFIC})?(?P<name>{NAME})(?P<rest>.*)$", re.S)
_HON_AHEAD = lazy(HONORIFIC + rf"(?=[{_UP}])")

_KIND_WORDS = {
    "chair": r"co-?chair(?:person|man|woman)?s?|chair(?:person|man|woman)?s?|"
             r"co-?présidente?s?|présidente?s?|co-?presidentes?|presidentes?|presidenta",
    "moderator": r"co-?moderators?|moderators?|facilitators?|modérat(?:eur|rice)s?|"
                 r"animat(?:eur|rice)s?|moderador(?:a|es)?",
    "rapporteur": r"co-?rapporteur(?:e|s|es)?|co-?rapporteuses?|co-?relator(?:a|as|es)?|"
                  r"correlator(?:a|as|es)?|rapporteur(?:e|s|es)?|rapporteuses?|"
                  r"relator(?:a|as|es)?",
}
_ANY_KIND = "|".join(_KIND_WORDS.values())
_BY_VERBS = {
    "chair": r"co-?chaired|chaired|co-?presided(?:\s+over)?|presided(?:\s+over)?|"
             r"co-?présidée?s?|présidée?s?|co-?presidid[oa]s?|presidid[oa]s?",
    "moderator": r"co-?moderated|moderated|facilitated|modérée?s?|animée?s?|moderad[oa]s?",
}
_BY_VERB = lazy(
    r"\b(?P<verb>" + "|".join(f"(?P<{k}>{v})" for k, v in _BY_VERBS.items()) + r")\s+"
    r"(?:jointly\s+)?(?:by|par|por)\s+(?:(?:el|la|los|las)\s+|l['’]\s*)?", re.I)
_APPOSITION = lazy(
    r"\b(?:the|le|la|les|el|los|las)\s+(?P<role>(?:[\w-]+\s+){0,4}?(?:" + _ANY_KIND + r"))"
    r"\s*,\s*(?P<who>.+?),\s+(?=(?-i:[a-zà-ÿ]))", re.I | re.S)
# French and Spanish put the role's words after its noun: "Le rapporteur chargé du
# Pacte mondial (…), le Dr X, de la Stiftung …, a présenté".
_APPOSITION_AFTER = lazy(
    r"\b(?:the|le|la|el)\s+(?P<role>(?:" + _ANY_KIND + r")\b[^;]{0,200}?)\s*,\s*"
    r"(?:(?:le|la|el|the)\s+)?(?P<who>" + HONORIFIC + rf"[{_UP}].+?),\s+"
    r"(?!(?:of|de|del|du|des)\b|d['’])(?=(?-i:[a-zà-ÿ]))", re.I | re.S)
_SERVED = lazy(
    r"(?P<before>.*?),?\s+(?:served|acted|functioned|was|were|serving|acting|"
    r"a\s+(?:été|assuré|agi|servi)|ont\s+(?:été|assuré|agi|servi)|"
    r"(?:a\s+(?:pour\s+sa\s+part\s+)?)?fait\s+office|actuó|fungió|fue|"
    r"actuaron|fungieron|fueron|han\s+actuado)\s+(?:(?:as|comme|como|de|en\s+tant\s+que)\s+)?"
    r"(?:the\s+|an?\s+|l[ea]\s+|el\s+|la\s+|une?\s+)?(?P<role>(?:[\w-]+\s+){0,3}?(?:"
    + _ANY_KIND + r"))\b", re.I | re.S)
_COPULA = lazy(
    r"\b(?:the|le|la|les|el|los|las)\s+(?P<role>(?:[\w-]+\s+){0,3}?(?:" + _ANY_KIND + r"))\s+"
    r"(?:was|were|is|are|était|étaient|fue|fueron)\s+(?P<who>.+)$", re.I | re.S)
_SERVED_VERB = lazy(r"\b(?:served|acted|functioned|was|were|serving|acting|été|assuré|"
                          r"agi|servi|office|actuó|fungió|fue|actuaron|fungieron|fueron|"
                          r"actuado)"
                          r"\s+(?:as|comme|como|de|en\s+tant\s+que|(?=(?:the\s+|l[ea]s?\s+|"
                          r"el\s+|los\s+)?(?:co-?)?(?:rapporteur|relator|correlator|"
                          r"chair|président|president)))", re.I)
_WHILE = lazy(r"[.;:]\s*$|\b(?:while|whereas|and then|mientras\s+que|tandis\s+que|"
                    r"alors\s+que)(?:\s+(?:the|la|el|le))?\s*$", re.I)
_LEADING_PREPOSITION = lazy(r"^(?:(?:of|from|at|with|de|du|del|des)\s+|d['’]\s*)", re.I)
_KIND = lazy(_ANY_KIND, re.I)
# "Rapporteur(s):", "Relator(es):", "Rapporteur(e)(s):": the forms a template gives
_LABEL = lazy(r"^(?P<role>" + _ANY_KIND + r")(?:\s?\((?:e|s|es|a|as)\)){0,2}\s*:"
                    r"\s*(?P<who>.+)$", re.I | re.S)


def is_label_line(text: str) -> bool:
    """A line that names people after a label: "Chair: Mr. X, …", "Rapporteur(s): …"."""
    return _LABEL.match(text.strip()) is not None

_SPLIT_PERSONS = lazy(
    r"\s*(?:,\s*(?:and|et|y|&)\s+|\s+(?:and|et|y|&)\s+|[,;]\s*)"
    r"(?:(?:el|la|los|las|le|les)\s+)?(?=" + HONORIFIC + rf"[{_UP}])")
_DESC_END = lazy(r",\s+(?!the\b|a\b|an\b|la\b|le\b|el\b)(?=[a-zà-ÿ])|"
                       r"\s+(?:who|which|whom|qui|que|quien|quienes)\b|"
                       r"\s+(?:and|et|y)\s+(?!(?:of|the|for|in|de|du|des|la|le|les|l['’]|"
                       r"el|del|los|las|pour|para|en)\b)(?=[a-zà-ÿ])|[;]", re.S)
_ARTICLE = lazy(r"^(?:(?:the|a|an|le|la|les|el|los|las|un|une|una)\s+|l['’]\s*)",
                      re.I)
_ORG_WORDS = lazy(
    r"\b(?:Ministry|Ministère|Ministerio|Department|Département|Departamento|Office|"
    r"Organi[sz]ation|Organisation|Organización|Agency|Agence|Agencia|Commission|Comisión|"
    r"Institute|Institut|Instituto|University|Université|Universidad|Government|"
    r"Gouvernement|Gobierno|Council|Conseil|Consejo|Foundation|Fondation|Fundación|"
    r"Cent(?:re|er|ro)|Bank|Banque|Banco|Union|Secretariat|Secrétariat|Secretaría|"
    r"Mission|Embassy|Ambassade|Embajada|Republic|République|República|Kingdom|Royaume|"
    r"Reino|Forum|Network|Association|Programme|Program|Fund|Fonds|Stiftung|Division|"
    r"Directorate|Direction|Dirección|Unit|Unité|Unidad|Bureau|Service|Servicio)\b")
_ROLE_WORDS = lazy(
    r"\b(?:Director|Directeur|Directrice|Directora|Minister|Ministre|Ministro|Ministra|Head|"
    r"Chef|Jefe|Jefa|Chief|Secretary|Secrétaire|Secretario|Secretaria|Officer|Advis[oe]r|"
    r"Conseill(?:er|ère)|Asesora?|Ambassador|Ambassadeur|Embajadora?|President|Président|"
    r"Presidente|Chair|Professor|Professeure?|Profesora?|Coordinat(?:or|eur|rice)|"
    r"Coordinadora?|Manager|Representative|Représentante?|Representante|Expert|Experte?|"
    r"Experta?|Specialist|Consultant|Researcher|Fellow|Deputy|Commissioner|Counsel+or|"
    r"Delegate|Envoy|Consul|Attaché|Analyst|Lecturer|Founder|Member|Executive|Vice|"
    r"[Rr]apporteur|[Rr]apporteuse|[Rr]elator|[Rr]elatora|[Mm]oderator|[Ff]acilitator|"
    r"Chairperson|Co-[Cc]hair)\b")
_ACRONYM = lazy(r"^[A-Z][A-Z0-9&.-]{1,9}$")
_SENTENCE = lazy(r"[.!?…]+[\"'”’)]*\s+(?=[\"“(]?[A-ZÀ-ÖØ-Þ])")
_ABBREV = lazy(rf"(?:^|\s|\()(?:{_HON_WORD}|St|No|Nos|Art|e\.g|i\.e|cf|vs|[A-Z])\.?$")


@dataclass
class Found:
    """A person named in the text, with the role the sentence gives them."""

    kind: str
    """``chair``, ``moderator`` or ``rapporteur``."""
    person: Person
    doubts: list[str] = field(default_factory=list)


def clauses(text: str) -> Iterable[tuple[int, str]]:
    """``(offset, clause)``: the text cut into sentences, and sentences at semicolons."""
    start = 0
    for m in _SENTENCE.finditer(text):
        before = text[start:m.start() + 1].rstrip(".!?…\"'”’)")
        if _ABBREV.search(before + ".") and text[m.start()] == ".":
            continue
        yield from _semicolons(start, text[start:m.end()])
        start = m.end()
    yield from _semicolons(start, text[start:])


def _semicolons(offset: int, sentence: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for part in sentence.split(";"):
        if part.strip():
            yield offset + pos, part
        pos += len(part) + 1


def _clean(text: str) -> str:
    return " ".join(text.replace("**", " ").replace("__", " ").split()).strip(" ,.;:")


def _org(text: str) -> str:
    text = _clean(text)
    return _ARTICLE.sub("", text) if not _ACRONYM.match(text) else text


def _orgish(text: str) -> bool:
    text = _ARTICLE.sub("", text.strip())
    head = text.split(",")[0].split(" ")[0]
    return bool(_ORG_WORDS.search(text) or _ACRONYM.match(head) or
                _ACRONYM.match(text.strip(" .")))


def split_role(desc: str) -> tuple[str, str, str]:
    """``(role, organization, doubt)`` from a description such as "Director General for
    Migration and Asylum from the Swedish Ministry of Justice"."""
    desc = _ARTICLE.sub("", _clean(desc))
    if not desc:
        return "", "", ""
    lead = _LEADING_PREPOSITION.match(desc)
    if lead:  # ", de la Stiftung …", ", of the IOM": an organization alone
        return "", _org(desc[lead.end():]), ""
    for sep in (" from ", " at ", " with ", " auprès de ", " auprès du ", " au ", " à la ",
                " en el ", " en la "):
        i = desc.find(sep)
        if i > 0:
            return desc[:i].strip(), _org(desc[i + len(sep):]), ""
    # "ROLE, ORGANISATION" (and a country after it, perhaps).
    first, _comma, rest = desc.partition(",")
    if rest.strip() and _orgish(rest) and _ROLE_WORDS.search(first):
        return first.strip(), _org(rest), ""
    # "ROLE of (the) ORGANISATION": the last "of" that is followed by an organisation.
    candidates = [m for m in re.finditer(r"\s(?:(?:of|du|del|de\s+la|de)\s+|de\s+l['’])", desc)
                  if _orgish(desc[m.end():]) or
                  desc[m.end():].lower().startswith(("the ", "la ", "l'", "l’", "los ", "el "))]
    starting = [m for m in candidates
                if _ORG_WORDS.match(_ARTICLE.sub("", desc[m.end():].lstrip("'’")))]
    if starting and not _orgish(desc[candidates[-1].end():]):
        # "Directrice de l'Office français de l'immigration": at the organization's name
        m = starting[-1]
        return desc[:m.start()].strip(), _org(desc[m.end():]), ""
    if candidates:
        m = candidates[-1]
        doubt = ""
        if len(candidates) > 1:
            doubt = (f"split '{short(desc, 80)}' at its last 'of' into role and "
                     "organization")
        return desc[:m.start()].strip(), _org(desc[m.end():]), doubt
    if rest.strip():
        return first.strip(), _org(rest), ""
    if _ROLE_WORDS.search(desc):
        return desc, "", ""
    return "", _org(desc), ""


def parse_person(phrase: str, need_honorific: bool = True) -> tuple[Person, list[str]] | None:
    """A person from "Mr. X, ROLE from ORG", "Dr. X of ORG", "Ms. X (ORG)" …"""
    phrase = phrase.strip(" ,;:").replace("**", "  ").replace("__", "  ")
    m = _PERSON.match(phrase.strip())
    if not m:
        return None
    hon = " ".join((m.group("hon") or "").split())
    if not hon and need_honorific:
        return None
    name = " ".join(m.group("name").split())
    rest = m.group("rest")
    doubts: list[str] = []
    role = org = ""
    stripped = rest.lstrip()
    if stripped.startswith("("):
        close = stripped.find(")")
        org = _org(stripped[1:close] if close > 0 else stripped[1:])
        after = stripped[close + 1:] if close > 0 else ""
        if after.lstrip().startswith(","):
            role, extra, doubt = split_role(_desc(after.lstrip()[1:]))
            org = org or extra
            doubts += [doubt] if doubt else []
    elif stripped.startswith(","):
        role, org, doubt = split_role(_desc(stripped[1:]))
        doubts += [doubt] if doubt else []
    else:
        m_prep = re.match(r"(?:of|from|at|with|de|du|del|de\s+la)\s+(?P<org>.+)", stripped,
                          re.S)
        if m_prep:
            org_text = _desc(m_prep.group("org"))
            if org_text.startswith(","):
                org_text = ""
            head, _sep, tail = org_text.partition(",")
            org = _org(head)
            if tail.strip():
                role = _clean(_desc(tail))
    if not hon and (len(name.split()) < 2 or _ORG_WORDS.search(name)):
        return None  # "chaired by Germany", "by the Government of …": not a person
    if not hon:
        doubts.append(f"'{name}' has no honorific (Mr., Ms., Dr. …); took it for a name")
    return Person(name=name, honorific=hon, role=role, organization=org), doubts


def _desc(text: str) -> str:
    m = _DESC_END.search(text)
    return text[:m.start()] if m else text


def _persons(who: str, need_honorific: bool) -> list[tuple[int, Person, list[str]]]:
    """Every person in a list such as "Mr. A (Germany) and Ms. B (Morocco)", with the
    offset of each in ``who``."""
    found = []
    starts = [0] + [m.end() for m in _SPLIT_PERSONS.finditer(who)]
    ends = [m.start() for m in _SPLIT_PERSONS.finditer(who)] + [len(who)]
    for a, b in zip(starts, ends, strict=True):
        piece = who[a:b]
        article = re.match(r"\s*(?:el|la|le)\s+(?=" + HONORIFIC + ")", piece)
        if article:  # "fueron el Sr. X": the article before a person
            piece, a = piece[article.end():], a + article.end()
        lead = len(piece) - len(piece.lstrip())
        parsed = parse_person(piece, need_honorific)
        if parsed:
            found.append((a + lead, *parsed))
        if a == 0 and not parsed:
            break
    return found


def _kind_of_role(role: str) -> str:
    """The kind a role names, its noun first ("rapporteur chargé du …") or last ("GCM
    rapporteur")."""
    head = _KIND.match(role.strip())
    return _kind(head.group()) if head else _kind(role)


def _role_words(role: str) -> str:
    """A role as a sentence gives it, without what it puts in brackets ("(ci-après « le
    Pacte mondial »)")."""
    return " ".join(re.sub(r"\s*\([^()]*\)", " ", role).split()).strip(" ,;:")


def _kind(role: str) -> str:
    for kind, pattern in _KIND_WORDS.items():
        if re.search(rf"(?:{pattern})$", role.strip(), re.I):
            return kind
    return "chair"


def _qualified(role: str) -> str:
    """The role a sentence gives ("GCM rapporteur"), or "" when it only says
    "rapporteur" or "chair" (the list the person is in says that already)."""
    role = _ARTICLE.sub("", " ".join(role.split()))
    words = role.split()
    if len(words) <= 1 or words[0].lower() in {"expert", "thematic", "session", "the"}:
        return "" if len(words) <= 1 else role
    return role


def find_people(text: str, locate: Callable[[int], Location],
                label_line: bool = False) -> list[tuple[Found, Location]]:
    """The people a paragraph (or, with ``label_line``, a "Chair: …" line) names."""
    found: list[tuple[Found, Location]] = []
    if label_line:
        m = _LABEL.match(text.strip())
        if m:
            offset = text.find(m.group("who"))
            kind = _kind(m.group("role"))
            for at, person, doubts in _persons(m.group("who"), need_honorific=False):
                found.append((Found(kind, person, doubts), locate(offset + at)))
        return found
    for offset, clause in clauses(text):
        if not _KIND.search(clause) and not _BY_VERB.search(clause):
            continue
        bys = list(_BY_VERB.finditer(clause))
        if bys:
            for k, m in enumerate(bys):
                kind = "chair" if m.group("chair") else "moderator"
                end = bys[k + 1].start() if k + 1 < len(bys) else len(clause)
                who = re.sub(r"(?:,?\s+(?:and|et|y)|,)\s*$", "", clause[m.end():end])
                for at, person, doubts in _persons(who, need_honorific=False):
                    found.append((Found(kind, person, doubts), locate(offset + m.end() + at)))
            continue
        m = _APPOSITION.search(clause) or _APPOSITION_AFTER.search(clause)
        if m:
            kind = _kind_of_role(m.group("role"))
            parsed = parse_person(m.group("who"))
            if parsed:
                person, doubts = parsed
                if kind == "rapporteur" and not person.role:
                    person = _with_role(person, _qualified(_role_words(m.group("role"))))
                found.append((Found(kind, person, doubts), locate(offset + m.start("who"))))
                # The rest of the sentence may name another ("…, mientras que la Sra. Y
                # … actuó como relatora").
                offset, clause = offset + m.end(), clause[m.end():]
                if not _SERVED_VERB.search(clause):
                    continue
        m = _SERVED.search(clause) if _SERVED_VERB.search(clause) else None
        if m:
            before = m.group("before")
            heads = list(_HON_AHEAD.finditer(before))
            if heads:
                # "Mr. A and Ms. B served as co-chairs": every person of the list.
                first = heads[0].start()
                for h in heads:
                    if _WHILE.search(before[:h.start()]):
                        first = h.start()
                kind = _kind(m.group("role"))
                who = before[first:]
                people = _persons(who, need_honorific=True)
                for at, person, doubts in people:
                    if kind == "rapporteur" and not person.role:
                        person = _with_role(person, _qualified(m.group("role")))
                    found.append((Found(kind, person, doubts),
                                  locate(offset + first + at)))
                if people:
                    continue
        m = _COPULA.search(clause)
        if m:
            kind = _kind(m.group("role"))
            base = offset + m.start("who")
            for at, person, doubts in _persons(m.group("who"), need_honorific=True):
                found.append((Found(kind, person, doubts), locate(base + at)))
    return found


def _with_role(person: Person, role: str) -> Person:
    return Person(person.name, person.honorific, role, person.organization)


def collect(found: Iterable[tuple[Found, Location]], notes: Notes,
            ) -> tuple[tuple[Person, ...], tuple[Person, ...]]:
    """Chairs and rapporteurs, each person once, with the doubts reported."""
    chairs: dict[str, Person] = {}
    rapporteurs: dict[str, Person] = {}
    for item, where in found:
        person = item.person
        key = person.name.lower()
        table = rapporteurs if item.kind == "rapporteur" else chairs
        if key in table:
            old = table[key]
            table[key] = Person(old.name, old.honorific or person.honorific,
                                old.role or person.role,
                                old.organization or person.organization, old.loc)
            continue
        table[key] = Person(person.name, person.honorific, person.role, person.organization,
                            where)
        label = person.display_name
        for doubt in item.doubts:
            notes.warn("text-person", f"{label}: {doubt}", where,
                       "check the names, roles and organizations of the chairs and "
                       "rapporteurs")
        if item.kind == "moderator":
            notes.warn("text-person", f"{label} moderated the session; listed as a chair "
                       "(the summary has chairs and rapporteurs only)", where)
    return tuple(chairs.values()), tuple(rapporteurs.values())


# ---- a person typed in a field ----------------------------------------------------------------
# "chair: Ms. Jane Doe, Director of Labour Migration, Ministry of Labour of Ghana", as front
# matter, YAML and JSON accept it: the whole value is people, nothing of it is dropped.

_QUOTES = {'"': '"', "'": "'", "“": "”", "„": "“", "‘": "’", "«": "»"}
_FIELD_AND = lazy(r"\s+(?:and|et|y|&)\s+")
_FIELD_PREP = lazy(r"(?:of|from|at|with|de\s+la|de|du|del)\s+(?P<org>.+)$", re.S | re.I)
_LEADING_HONORIFIC = lazy(rf"^\s*(?P<hon>(?:{_HON_WORD}(?![\w'’-])\s*)+)")


@dataclass
class Typed:
    """One person read from a field: the ``person`` and what the split of the text
    into honorific, name, role and organization had to guess (``doubts``)."""

    person: Person
    doubts: list[str] = field(default_factory=list)
    text: str = ""
    """The part of the field's text this person was read from."""


def honorific_prefix(name: str) -> tuple[str, str]:
    """``("Ms.", "Jane Doe")`` for a name typed with its honorific (``Ms. Jane Doe``,
    ``H.E. Ms. Jane Doe``); ``("", name)`` for a name without one."""
    m = _LEADING_HONORIFIC.match(name)
    if not m or not name[m.end():].strip():
        return "", name.strip()
    return " ".join(m.group("hon").split()), name[m.end():].strip()


def read_people(text: str) -> list[Typed]:
    """Every person a field names: ``Ms. Jane Doe, Director of …, Ministry of …``,
    ``Dr. A B``, ``Mr. A (Germany) and Ms. B (Morocco)``, ``Ms. X, Mr. Y``. The split
    into persons is made before an honorific (``, Ms.`` ``and Mr.``), or at ``and``
    between two bare names; each person's text is split as :func:`read_person` does."""
    text = " ".join(text.split()).strip(" ,;")
    if len(text) > 1 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        text = text[1:-1].strip(" ,;")  # “Ms. Jane Doe”, typed in quotes
    if not text:
        return []
    pieces: list[str] = []
    starts = [0] + [m.end() for m in _SPLIT_PERSONS.finditer(text)]
    ends = [m.start() for m in _SPLIT_PERSONS.finditer(text)] + [len(text)]
    for a, b in zip(starts, ends, strict=True):
        piece = text[a:b].strip(" ,;")
        halves = _FIELD_AND.split(piece)
        if (len(halves) == 2 and not re.search(r"[,(]", piece)
                and all(re.fullmatch(NAME, half) for half in halves)):
            pieces.extend(halves)  # "Jane Doe and John Smith"
        elif piece:
            pieces.append(piece)
    return [read_person(piece) for piece in pieces]


def read_person(text: str) -> Typed:
    """One person from a field's text: the honorific (en, fr, es, combined as
    ``H.E. Ms.``), the name, then the role and the organization, split at commas, at a
    parenthesis and at ``of``/``from``/``de``/``du``/``del`` (:func:`split_role`)."""
    text = " ".join(text.split()).strip(" ,;")
    hon, rest = honorific_prefix(text)
    doubts: list[str] = []
    m = re.match(rf"(?P<name>{NAME})(?P<rest>.*)$", rest, re.S)
    if m and (not m.group("rest").strip() or m.group("rest").lstrip()[:1] in ",(" or
              _FIELD_PREP.match(m.group("rest").lstrip())):
        name, tail = m.group("name"), m.group("rest").strip()
    else:  # a name the pattern does not know ("A B", "jane doe"): up to a comma
        name, comma, tail = rest.partition(",")
        m_paren = re.match(r"(?P<name>[^(]+?)\s*(?P<tail>\(.*)$", name)
        if m_paren:
            name, tail = m_paren.group("name"), m_paren.group("tail") + comma + tail
        else:
            tail = comma + tail
        name, tail = name.strip(), tail.strip()
    role = org = ""
    if tail.startswith("("):
        close = tail.find(")")
        org = _org(tail[1:close] if close > 0 else tail[1:])
        after = tail[close + 1:].strip() if close > 0 else ""
        if after.startswith(","):
            role, extra, doubt = split_role(after[1:])
            org = org if not extra else f"{org}, {extra}" if org else extra
            doubts += [doubt] if doubt else []
    elif tail.startswith(","):
        role, org, doubt = split_role(tail[1:])
        doubts += [doubt] if doubt else []
        if not doubt and org and not role and not _orgish(org):
            doubts.append(f"took '{org}' for the organization, not the role")
    elif tail:
        m_prep = _FIELD_PREP.match(tail)
        head, _sep, after = (m_prep.group("org") if m_prep else tail).partition(",")
        org = _org(head)
        role = _clean(after)
    return Typed(Person(name=name, honorific=hon, role=role, organization=org), doubts, text)
