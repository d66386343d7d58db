"""The session summary as an Akoma Ntoso 3.0 meeting report, by the AKN4UN guidelines
(the UN system's: Meeting Reports class) and the Akoma Ntoso Naming Convention.

Layout of the document::

    akomaNtoso/debateReport[@name="meetingReport"]
      meta/identification        FRBRWork, FRBRExpression, FRBRManifestation (IRIs below)
      meta/references            TLCOrganization (GFMD: the author; gfmdreport: the
                                 mark-up), TLCPerson (chairs, rapporteurs), TLCRole
                                 (chair, rapporteur), TLCLocation (venue)
      preface                    docTitle, session, docDate/time/location, chairs and
                                 rapporteurs as person/role
      mainBody
        paragraph    para_N           num "N.", content/p; or a lettered sub-list:
                                      list (intro, point "a)", "b)" …)
        division     dvs_N            a section heading and the paragraphs it titles
        hcontainer   question_N       num "Question N:", heading, content/blockList of
                     (name=question)  the takeaways
        hcontainer   summarytable_N   content/table: caption, a header row (class
                     (name=summaryTable)  "header") of th, a row of td whose items are
                                      blockLists

The IRIs (AKN4UN Naming Convention)::

    Work           /akn/un/debateReport/report/gfmd/{date}/{number}
    Expression     {work}/{eng|fra|spa}@
    Manifestation  {expression}.xml   (FRBRthis: {expression}/!main.xml)

Every part is backed by metadata: ``un`` by FRBRcountry, ``debateReport`` by the
document element, ``report`` by FRBRsubtype, ``gfmd`` by the end of the IRI of the
TLCOrganization the Work's FRBRauthor refers to, the date by the Work's FRBRdate and the
number by FRBRnumber. Nothing in the Work IRI depends on the language, so the English,
French and Spanish summaries of a session are expressions of one Work; one that is not in
the original language names the original expression in FRBRtranslation.

eIds follow the Naming Convention: ``{type}_{number}`` with the number from ``num``
("3." → ``para_3``, "a)" → ``point_a``, "Question 1:" → ``question_1``), sublevels
joined by ``__``; paragraphs are numbered through the whole document, so their eId is
their own (``para_5`` inside ``dvs_1``).

The body's mentions of the chairs and rapporteurs ("Mr. Ola Henrikson", "Mr.
Angenendt") are ``person`` elements that refer to them, and the roles ("The Chair", "the
thematic expert rapporteur") ``role`` elements. Inline markup becomes ``b``, ``i``,
``a`` (links), ``inline name="code"`` and ``eol``. Characters XML 1.0 cannot hold
(control characters) are left out and reported.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from gfmdreport import Diagnostic
from gfmdreport import Heading
from gfmdreport import Item
from gfmdreport import Location
from gfmdreport import Paragraph
from gfmdreport import Person
from gfmdreport import Question
from gfmdreport import SessionSummary
from gfmdreport import Severity
from gfmdreport import SummaryTable
from gfmdreport import format_date
from gfmdreport import format_time
from gfmdreport import labels_for
from gfmdreport import link_target
from gfmdreport import report
from gfmdreport import runs

from .mentions import Matcher

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
MEDIA_TYPE = "application/akn+xml"
"""The media type of the file (the writer's); the FRBRformat is the IRI's extension."""
FORMAT = "xml"
"""The Manifestation's data format: the extension of its IRI and its FRBRformat (AKN4UN:
"xml" for an XML Manifestation)."""
JURISDICTION = "un"
"""The jurisdiction part of the IRIs (FRBRcountry): the one AKN4UN reserves for the UN
system; the Forum is the actor (see the plugin's README for why)."""
DOC_TYPE = "debateReport"
"""AKN4UN's document type for the Meeting Reports class."""
DOC_NAME = "meetingReport"
"""AKN4UN's ``@name`` of a meeting report (the class's sub-class)."""
SUBTYPE = "report"
"""AKN4UN's prescribed subtype of meeting reports (FRBRsubtype, and the IRI)."""
AUTHOR = "gfmd"
"""The authoring body: the eId of its TLCOrganization, and the actor part of the IRI."""
AUTHOR_NAME = "Global Forum on Migration and Development"
MARKUP = "gfmdreport"
"""The author of the Manifestation (the mark-up)."""
LANGUAGES = {"en": "eng", "fr": "fra", "es": "spa", "ar": "ara", "ru": "rus", "zh": "zho"}
"""ISO 639-2 codes used in FRBR expression URIs and FRBRlanguage."""
ORIGINAL_LANGUAGE = "en"
"""The language a GFMD summary is written in, of which the others are translations."""
UNDATED = "0001-01-01"
UNNUMBERED = "nn"
"""The number of a session whose summary gives none and no start time."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def slug(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by dashes, cut at a word boundary."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def letter(index: int) -> str:
    letters = string.ascii_lowercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def language_code(language: str) -> str:
    """The ISO 639-2 code of a BCP 47 tag (``fr-CH`` → ``fra``)."""
    primary = (language or ORIGINAL_LANGUAGE).split("-")[0].lower()
    return LANGUAGES.get(primary, primary)


def iri_number(number: str) -> str:
    """A document number as the IRI writes it (AKN4UN): "/" becomes "-", a space "_",
    and what an IRI segment cannot hold is left out."""
    text = re.sub(r"\s+", "_", number.strip()).replace("/", "-")
    return "".join(c for c in text if c.isalnum() or c in "-_.~")


def eid_number(num: str) -> str:
    """The number part of an eId from the text of a ``num`` ("3." → "3", "a)" → "a",
    "Question 1 :" → "1"): its last word, final punctuation stripped."""
    words = num.split()
    last = words[-1] if words else ""
    if last in (":", ".") and len(words) > 1:
        last = words[-2]
    return last.strip(".:);(").replace(".", "-") or "1"


def markup_date() -> dt.date:
    """The date of the mark-up: today (UTC), or the day of ``SOURCE_DATE_EPOCH`` for
    reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def append_text(element: Any, text: str) -> None:
    """Add text at the end of an element's content (after its last child, if any)."""
    if not text:
        return
    children = len(element)
    if children:
        last = element[children - 1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


class Builder:
    """Builds one document; keeps what must be unique or reported across it."""

    def __init__(self, summary: SessionSummary, options: Mapping[str, Any] | None = None):
        from lxml import etree

        options = options or {}
        self.etree = etree
        self.summary = summary
        self.language = (summary.language or "en").split("-")[0].lower()
        self.original = (str(options.get("akn_original_language") or ORIGINAL_LANGUAGE)
                         .split("-")[0].lower())
        self.given_number = str(options.get("akn_number") or "").strip()
        self.labels = labels_for(summary.language, summary.labels)
        self.removed: dict[str, tuple[set[str], Location]] = {}
        self.dropped: set[tuple[str, str]] = set()
        self.person_ids: dict[int, str] = {}
        self.eids: set[str] = set()
        self.roles_used: set[str] = set()
        self.assign_person_ids()
        people = [(p, self.person_ids[id(p)], "chair") for p in summary.chairs]
        people += [(p, self.person_ids[id(p)], "rapporteur") for p in summary.rapporteurs]
        self.mentions = Matcher(people, self.language)

    # ---- small helpers --------------------------------------------------------------------
    def el(self, parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        element = self.etree.SubElement(parent, f"{{{AKN_NS}}}{tag}",
                                        {k.rstrip("_"): v for k, v in attrs.items()})
        if text:
            element.text = self.clean(text, tag)
        return element

    def clean(self, text: str, where: str, loc: Location | None = None) -> str:
        """``text`` without the characters XML 1.0 cannot hold (each reported once)."""
        found = set(_NOT_XML.findall(text))
        if not found:
            return text
        known = self.removed.setdefault(where, (set(), loc or Location(self.summary.source)))
        known[0].update(found)
        return _NOT_XML.sub("", text)

    def link(self, href: str, where: str, loc: Location | None) -> str | None:
        """The link's target under the one link policy, or ``None`` (said once per
        link) when only its text may be written."""
        target = link_target(href)
        if target is None and (where, href) not in self.dropped:
            self.dropped.add((where, href))
            shown = href if len(href) <= 60 else href[:59] + "…"
            report(Diagnostic(Severity.WARNING, "akn-link",
                              f"link to {shown!r} written as its text: only "
                              f"http, https and mailto links are kept",
                              loc or Location(self.summary.source),
                              "give a full http(s):// or mailto: address; the link text "
                              "is kept"))
        return target

    def report_removed(self) -> None:
        for where, (chars, loc) in self.removed.items():
            names = ", ".join(f"U+{ord(c):04X}" for c in sorted(chars))
            report(Diagnostic(Severity.WARNING, "akn-control-character",
                              f"left out {names} in {where}: XML cannot hold control "
                              f"characters", loc, "remove them from the notes"))

    def eid(self, prefix: str, level: str) -> str:
        """``{prefix}__{level}`` (or ``level`` at the top), unique in the document: a
        number met twice (two questions numbered 2) gets ``-2``, ``-3`` … after it."""
        base = f"{prefix}__{level}" if prefix else level
        eid, n = base, 1
        while eid in self.eids:
            n += 1
            eid = f"{base}-{n}"
        self.eids.add(eid)
        return eid

    def inline(self, parent: Any, source: str, where: str, loc: Location | None, *,
               mark: bool = True) -> None:
        """Append inline source (Markdown) to ``parent`` as AKN inline elements: a link
        is ``a`` around its runs; bold, italic and code nest inside it; with ``mark``,
        the mentions of the session's people and roles are ``person`` and ``role``."""
        container, href = parent, None
        for run in _merged(runs(source)):
            if run.href != href:
                href = run.href
                target = None if href is None else self.link(href, where, loc)
                container = parent if target is None else self.etree.SubElement(
                    parent, f"{{{AKN_NS}}}a", {"href": self.clean(target, where, loc)})
            if run.line_break:
                self.etree.SubElement(container, f"{{{AKN_NS}}}eol")
                continue
            text = self.clean(run.text, where, loc)
            node = container
            for flag, tag, attrs in ((run.bold, "b", {}), (run.italic, "i", {}),
                                     (run.code, "inline", {"name": "code"})):
                if flag:
                    node = self.etree.SubElement(node, f"{{{AKN_NS}}}{tag}", attrs)
            if mark and not run.code:
                self.marked(node, text)
            else:
                append_text(node, text)

    def marked(self, node: Any, text: str) -> None:
        """Append ``text`` to ``node``, its mentions of people and roles marked."""
        at = 0
        for mention in self.mentions.find(text):
            append_text(node, text[at:mention.start])
            words = text[mention.start:mention.end]
            if mention.kind == "person":
                self.el(node, "person", words, refersTo=f"#{mention.ref}",
                        as_=f"#{mention.role}")
                self.roles_used.add(mention.role)
            else:
                self.el(node, "role", words, refersTo=f"#{mention.ref}")
                self.roles_used.add(mention.ref)
            at = mention.end
        append_text(node, text[at:])

    # ---- the document ---------------------------------------------------------------------
    def build(self) -> bytes:
        etree = self.etree
        root = etree.Element(f"{{{AKN_NS}}}akomaNtoso", nsmap={None: AKN_NS})
        doc = self.el(root, DOC_TYPE, name=DOC_NAME, contains="originalVersion")
        meta = self.el(doc, "meta")
        preface = self.el(doc, "preface")
        self.preface(preface)
        if not len(preface):  # nothing to say before the body: no preface at all
            doc.remove(preface)
        self.main_body(self.el(doc, "mainBody"))
        self.meta(meta)  # last: it names the roles the body refers to
        self.report_removed()
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                              pretty_print=True)

    def number(self) -> tuple[str, str | None]:
        """The Work's number and how it is shown: the one given (``--akn-number``), or
        the session's start time ("10:30" → ``1030``): the same in every language."""
        if self.given_number:
            number = iri_number(self.given_number)
            if number:
                return number, self.given_number if number != self.given_number else None
        start = self.summary.start_time or ""
        if _HHMM.fullmatch(start):
            return start.replace(":", ""), None
        report(Diagnostic(
            Severity.WARNING, "akn-no-number",
            f"the summary has no start time: its Work IRI ends with '{UNNUMBERED}', as any "
            f"other session of that day without one", self.summary.location_of("time"),
            "give the session's time, or a number with --akn-number"))
        return UNNUMBERED, None

    def uris(self) -> dict[str, str]:
        summary = self.summary
        date = summary.date_value.isoformat() if summary.date_value else UNDATED
        number, shown = self.number()
        work = f"/akn/{JURISDICTION}/{DOC_TYPE}/{SUBTYPE}/{AUTHOR}/{date}/{number}"
        expression = f"{work}/{language_code(self.language)}@"
        return {"work": work, "expression": expression,
                "original": f"{work}/{language_code(self.original)}@",
                "manifestation": f"{expression}.{FORMAT}", "date": date, "number": number,
                "shown": shown or ""}

    def meta(self, meta: Any) -> None:
        summary = self.summary
        uris = self.uris()
        date = uris["date"]
        if summary.date_value is None:
            report(Diagnostic(Severity.WARNING, "akn-no-date",
                              f"the summary has no valid date: the FRBR dates say {UNDATED}",
                              summary.location_of("date"), "give the session's date"))
        translated = self.language != self.original
        identification = self.el(meta, "identification", source=f"#{MARKUP}")

        work = self.el(identification, "FRBRWork")
        self.el(work, "FRBRthis", value=f"{uris['work']}/!main")
        self.el(work, "FRBRuri", value=uris["work"])
        self.el(work, "FRBRdate", date=date, name="session")
        self.el(work, "FRBRauthor", href=f"#{AUTHOR}")
        self.el(work, "FRBRcountry", value=JURISDICTION)
        self.el(work, "FRBRsubtype", value=SUBTYPE)
        number = {"showAs": uris["shown"]} if uris["shown"] else {}
        self.el(work, "FRBRnumber", value=uris["number"], **number)

        expression = self.el(identification, "FRBRExpression")
        self.el(expression, "FRBRthis", value=f"{uris['expression']}/!main")
        self.el(expression, "FRBRuri", value=uris["expression"])
        self.el(expression, "FRBRdate", date=date, name="session")
        if translated or not summary.rapporteurs:
            self.el(expression, "FRBRauthor", href=f"#{AUTHOR}")
        else:
            for person in summary.rapporteurs:
                self.el(expression, "FRBRauthor", href=f"#{self.person_ids[id(person)]}",
                        as_="#rapporteur")
                self.roles_used.add("rapporteur")
        self.el(expression, "FRBRlanguage", language=language_code(self.language))
        if translated:
            self.el(expression, "FRBRtranslation", href=uris["original"],
                    fromLanguage=language_code(self.original), by=f"#{AUTHOR}")

        manifestation = self.el(identification, "FRBRManifestation")
        self.el(manifestation, "FRBRthis", value=f"{uris['expression']}/!main.{FORMAT}")
        self.el(manifestation, "FRBRuri", value=uris["manifestation"])
        self.el(manifestation, "FRBRdate", date=markup_date().isoformat(), name="markup")
        self.el(manifestation, "FRBRauthor", href=f"#{MARKUP}")
        self.el(manifestation, "FRBRformat", value=FORMAT)

        references = self.el(meta, "references", source=f"#{MARKUP}")
        self.el(references, "TLCOrganization", eId=AUTHOR,
                href=f"/ontology/organization/{AUTHOR}", showAs=AUTHOR_NAME)
        self.el(references, "TLCOrganization", eId=MARKUP,
                href=f"/ontology/organization/{MARKUP}", showAs=MARKUP)
        for person in (*summary.chairs, *summary.rapporteurs):
            eid = self.person_ids[id(person)]
            if references.find(f"{{{AKN_NS}}}TLCPerson[@eId='{eid}']") is None:
                self.el(references, "TLCPerson", eId=eid, href=f"/ontology/person/{eid}",
                        showAs=self.clean(person.display_name or person.name, "a person"))
        if summary.chairs or "chair" in self.roles_used:
            self.el(references, "TLCRole", eId="chair", href="/ontology/role/chair",
                    showAs=self.labels["chair"])
        if summary.rapporteurs or "rapporteur" in self.roles_used:
            self.el(references, "TLCRole", eId="rapporteur", href="/ontology/role/rapporteur",
                    showAs=self.labels["rapporteur"])
        if summary.venue:
            self.el(references, "TLCLocation", eId="venue",
                    href=f"/ontology/location/{slug(summary.venue) or 'venue'}",
                    showAs=self.clean(summary.venue, "the venue"))

    def assign_person_ids(self) -> None:
        used: dict[str, Person] = {}
        reserved = {AUTHOR, MARKUP, "chair", "rapporteur", "venue"}
        for i, person in enumerate((*self.summary.chairs, *self.summary.rapporteurs), 1):
            base = slug(person.name, 40) or f"person-{i}"
            if base[0].isdigit() or base in reserved:
                base = f"person-{base}"
            eid, n = base, 1
            while eid in used and used[eid] != person:
                n += 1
                eid = f"{base}-{n}"
            used[eid] = person
            self.person_ids[id(person)] = eid

    def preface(self, preface: Any) -> None:
        summary = self.summary
        if summary.title:
            self.el(self.el(preface, "p", class_="title"), "docTitle", summary.title)
        if summary.session:
            self.el(preface, "p", summary.session, class_="session")
        date = summary.date_value
        times = [t for t in (summary.start_time, summary.end_time) if _HHMM.fullmatch(t or "")]
        if date or times or summary.venue:
            # "6 September 2017, 10:30-12:30, Hotel Savoyen", as every writer prints it
            line = self.el(preface, "p", class_="dateline")
            between = self.labels["time_range"].split("{start}", 1)[-1].split("{end}", 1)[0]
            groups: list[list[Any]] = []
            if date:
                groups.append([("docDate", format_date(date, summary.language, self.labels),
                                {"date": date.isoformat()})])
            if times:
                groups.append([("time", format_time(t, summary.language, self.labels),
                                {"time": f"{t}:00"}) for t in times])
            if summary.venue:
                groups.append([("location", summary.venue, {"refersTo": "#venue"})])
            for g, group in enumerate(groups):
                if g:
                    append_text(line, ", ")
                for i, (tag, text, attrs) in enumerate(group):
                    if i:
                        append_text(line, between)
                    self.el(line, tag, text, **attrs)
        for people, role, one, several in ((summary.chairs, "chair", "chair", "co_chairs"),
                                           (summary.rapporteurs, "rapporteur", "rapporteur",
                                            "rapporteurs")):
            if not people:
                continue
            container = self.el(preface, "container", name=f"{role}s")
            line = self.el(container, "p")
            label = self.labels[one if len(people) == 1 else several]
            self.el(line, "role", label, refersTo=f"#{role}").tail = ": "
            for i, person in enumerate(people):
                node = self.el(line, "person", person.display_name or person.name,
                               refersTo=f"#{self.person_ids[id(person)]}", as_=f"#{role}")
                details = ", ".join(x for x in (person.role, person.organization) if x)
                tail = f", {details}" if details else ""
                node.tail = self.clean(tail + ("; " if i < len(people) - 1 else ""), role)

    def main_body(self, body: Any) -> None:
        """The body: a section heading is a ``division`` holding what it titles (up to
        the next heading, question or table); a question holds its takeaways."""
        parent = body
        divisions = tables = 0
        for index, (number, block) in enumerate(self.summary.numbered()):
            where = f"body[{index}]"
            if isinstance(block, Paragraph):
                self.paragraph(parent, number, block, where)
                continue
            parent = body
            if isinstance(block, Heading):
                divisions += 1
                parent = self.el(body, "division", eId=self.eid("", f"dvs_{divisions}"))
                self.inline(self.el(parent, "heading"), block.text, where, block.loc)
            elif isinstance(block, Question):
                self.question(body, block, where)
            elif isinstance(block, SummaryTable):
                tables += 1
                self.table(body, block, where, tables)

    def paragraph(self, parent: Any, number: int, block: Paragraph, where: str) -> None:
        eid = self.eid("", f"para_{number}")
        paragraph = self.el(parent, "paragraph", eId=eid)
        self.el(paragraph, "num", f"{number}.")
        if block.items:
            self.points(paragraph, eid, block.text, block.items, where, block.loc,
                        lettered=True)
        else:
            self.inline(self.el(self.el(paragraph, "content"), "p"), block.text, where,
                        block.loc)

    def points(self, parent: Any, prefix: str, introduction: str | None,
               items: Iterable[Item], where: str, loc: Location | None, *,
               lettered: bool) -> None:
        """A sub-list of a paragraph as ``list``: its introduction, then a ``point``
        per item ("a)", "b)" …; the items under them are unnumbered points)."""
        eid = self.eid(prefix, "list_1")
        listing = self.el(parent, "list", eId=eid)
        if introduction:
            intro = self.el(listing, "intro", eId=self.eid(eid, "intro"))
            self.inline(self.el(intro, "p"), introduction, where, loc)
        for i, item in enumerate(items):
            mark = letter(i) if lettered else str(i + 1)
            point = self.el(listing, "point", eId=self.eid(eid, f"point_{mark}"))
            if lettered:
                self.el(point, "num", f"{mark})")
            at = f"{where}[{i}]"
            if item.items:
                self.points(point, point.get("eId"), item.text, item.items, f"{at}.items",
                            item.loc or loc, lettered=False)
            else:
                self.inline(self.el(self.el(point, "content"), "p"), item.text, at,
                            item.loc or loc)

    def question(self, body: Any, block: Question, where: str) -> None:
        label = f"{self.labels['question']} {block.number}"
        num = f"{label}\u00a0:" if self.language == "fr" else f"{label}:"
        eid = self.eid("", f"question_{eid_number(num)}")
        container = self.el(body, "hcontainer", name="question", eId=eid)
        self.el(container, "num", num)
        self.inline(self.el(container, "heading"), block.text, where, block.loc)
        if block.takeaways:
            self.block_list(self.el(container, "content"), eid, block.takeaways,
                            f"{where}.takeaways", block.loc)

    def block_list(self, parent: Any, prefix: str, items: Iterable[Item], where: str,
                   loc: Location | None) -> None:
        """Unnumbered items (takeaways, the items of a table cell) as a ``blockList``."""
        eid = self.eid(prefix, "list_1")
        block_list = self.el(parent, "blockList", eId=eid)
        for i, item in enumerate(items):
            node = self.el(block_list, "item", eId=self.eid(eid, f"item_{i + 1}"))
            at = f"{where}[{i}]"
            self.inline(self.el(node, "p"), item.text, at, item.loc or loc)
            if item.items:
                self.block_list(node, node.get("eId"), item.items, f"{at}.items",
                                item.loc or loc)

    def table(self, body: Any, block: SummaryTable, where: str, count: int) -> None:
        eid = self.eid("", f"summarytable_{count}")
        container = self.el(body, "hcontainer", name="summaryTable", eId=eid)
        content = self.el(container, "content")
        table_id = self.eid(eid, "table_1")
        table = self.el(content, "table", eId=table_id, border="1")
        self.el(table, "caption", self.labels["summary_table"])
        if not block.columns:
            row = self.el(table, "tr", eId=self.eid(table_id, "tr_1"))
            self.el(row, "td", eId=self.eid(row.get("eId"), "td_1"))
            return
        headings = self.el(table, "tr", class_="header", eId=self.eid(table_id, "tr_1"))
        cells = self.el(table, "tr", eId=self.eid(table_id, "tr_2"))
        for j, column in enumerate(block.columns, 1):
            at = f"{where}.columns[{j - 1}]"
            th = self.el(headings, "th", eId=self.eid(headings.get("eId"), f"th_{j}"))
            self.inline(self.el(th, "p"), column.heading, at, column.loc or block.loc)
            td = self.el(cells, "td", eId=self.eid(cells.get("eId"), f"td_{j}"))
            if column.items:
                self.block_list(td, td.get("eId"), column.items, f"{at}.items",
                                column.loc or block.loc)


def _merged(found: list[Any]) -> list[Any]:
    """Runs with neighbours of the same formatting joined (the parser may cut a text in
    two), so that a name is found whole."""
    out: list[Any] = []
    for run in found:
        if out and not run.line_break and not out[-1].line_break and \
                (run.bold, run.italic, run.code, run.href) == \
                (out[-1].bold, out[-1].italic, out[-1].code, out[-1].href):
            out[-1] = type(run)(out[-1].text + run.text, run.bold, run.italic, run.code,
                                run.href)
            continue
        out.append(run)
    return out


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    return Builder(summary, options).build()
