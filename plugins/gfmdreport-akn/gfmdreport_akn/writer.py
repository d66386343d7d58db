"""The session summary as an Akoma Ntoso 3.0 ``doc`` (``name="summary"``).

Layout of the document::

    akomaNtoso/doc[@name="summary"]
      meta/identification        FRBRWork, FRBRExpression, FRBRManifestation
      meta/references            TLCOrganization (GFMD), TLCPerson (chairs, rapporteurs),
                                 TLCRole (chair, rapporteur), TLCLocation (venue)
      preface                    docTitle, session, docDate/time/location, chairs and
                                 rapporteurs as person/role
      mainBody
        paragraph  eId=para_N    num "N.", content/p, or content/blockList with
                                 listIntroduction and items "a)", "b)" …
        hcontainer name=heading  heading
        hcontainer name=question num "Question N:", heading, content/blockList of takeaways
        hcontainer name=summaryTable
                                 content/table: a row of th (the column headings), a row
                                 of td, each holding the column's items as a blockList

Paragraph numbers run through the whole document, as in the printed report. Inline
markup becomes ``b``, ``i``, ``a`` (links), ``inline name="code"`` and ``eol``.
Characters XML 1.0 cannot hold (control characters) are left out and reported.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from gfmdreport import (
    Diagnostic,
    Heading,
    Item,
    Location,
    Paragraph,
    Person,
    Question,
    SessionSummary,
    Severity,
    SummaryTable,
    format_date,
    format_time,
    labels_for,
    report,
    runs,
)

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
MEDIA_TYPE = "application/akn+xml"
COUNTRY = "un"
"""The jurisdiction part of FRBR URIs: the UN system (AKN4UN)."""
LANGUAGES = {"en": "eng", "fr": "fra", "es": "spa", "ar": "ara", "ru": "rus", "zh": "zho"}
"""ISO 639-2 codes used in FRBR expression URIs and FRBRlanguage."""
UNDATED = "0001-01-01"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
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

    def __init__(self, summary: SessionSummary):
        from lxml import etree

        self.etree = etree
        self.summary = summary
        self.language = (summary.language or "en").split("-")[0].lower()
        self.labels = labels_for(summary.language, summary.labels)
        self.removed: dict[str, tuple[set[str], Location]] = {}
        self.person_ids: dict[int, str] = {}
        self.counters: dict[str, int] = {}

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

    def report_removed(self) -> None:
        for where, (chars, loc) in self.removed.items():
            names = ", ".join(f"U+{ord(c):04X}" for c in sorted(chars))
            report(Diagnostic(Severity.WARNING, "akn-control-character",
                              f"left out {names} in {where}: XML cannot hold control "
                              f"characters", loc, "remove them from the notes"))

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}_{self.counters[prefix]}"

    def inline(self, parent: Any, source: str, where: str, loc: Location | None) -> None:
        """Append inline source (Markdown) to ``parent`` as AKN inline elements: a link
        is ``a`` around its runs; bold, italic and code nest inside it."""
        container, href = parent, None
        for run in runs(source):
            if run.href != href:
                href = run.href
                container = parent if href is None else self.etree.SubElement(
                    parent, f"{{{AKN_NS}}}a", {"href": self.clean(href, where, loc)})
            if run.line_break:
                self.etree.SubElement(container, f"{{{AKN_NS}}}eol")
                continue
            text = self.clean(run.text, where, loc)
            node = container
            for flag, tag, attrs in ((run.bold, "b", {}), (run.italic, "i", {}),
                                     (run.code, "inline", {"name": "code"})):
                if flag:
                    node = self.etree.SubElement(node, f"{{{AKN_NS}}}{tag}", attrs)
            if node is container:
                append_text(container, text)
            else:
                node.text = text


    # ---- the document ---------------------------------------------------------------------
    def build(self) -> bytes:
        etree = self.etree
        root = etree.Element(f"{{{AKN_NS}}}akomaNtoso", nsmap={None: AKN_NS})
        doc = self.el(root, "doc", name="summary", contains="originalVersion")
        self.meta(self.el(doc, "meta"))
        preface = self.el(doc, "preface")
        self.preface(preface)
        if not len(preface):  # nothing to say before the body: no preface at all
            doc.remove(preface)
        self.main_body(self.el(doc, "mainBody"))
        self.report_removed()
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                              pretty_print=True)

    def uris(self) -> tuple[str, str, str]:
        summary = self.summary
        date = summary.date_value.isoformat() if summary.date_value else UNDATED
        number = slug(summary.session or summary.title) or "session"
        work = f"/akn/{COUNTRY}/doc/summary/gfmd/{date}/{number}"
        expression = f"{work}/{LANGUAGES.get(self.language, self.language)}@"
        return work, expression, date

    def meta(self, meta: Any) -> None:
        summary = self.summary
        work, expression, date = self.uris()
        if summary.date_value is None:
            report(Diagnostic(Severity.WARNING, "akn-no-date",
                              f"the summary has no valid date: the FRBR dates say {UNDATED}",
                              summary.location_of("date"), "give the session's date"))
        self.assign_person_ids()
        authors = [f"#{self.person_ids[id(p)]}" for p in summary.rapporteurs] or ["#gfmd"]
        identification = self.el(meta, "identification", source="#gfmdreport")
        for level, this, uri in (("FRBRWork", f"{work}/!main", work),
                                 ("FRBRExpression", f"{expression}/!main", expression),
                                 ("FRBRManifestation", f"{expression}/!main.xml",
                                  f"{expression}.akn")):
            frbr = self.el(identification, level)
            self.el(frbr, "FRBRthis", value=this)
            self.el(frbr, "FRBRuri", value=uri)
            self.el(frbr, "FRBRdate", date=date, name="session")
            if level == "FRBRManifestation":
                self.el(frbr, "FRBRauthor", href="#gfmdreport")
                self.el(frbr, "FRBRformat", value=MEDIA_TYPE)
                continue
            for author in authors:
                attrs = {"as_": "#rapporteur"} if author != "#gfmd" else {}
                self.el(frbr, "FRBRauthor", href=author, **attrs)
            if level == "FRBRWork":
                self.el(frbr, "FRBRcountry", value=COUNTRY)
                self.el(frbr, "FRBRname", value="summary")
            else:
                self.el(frbr, "FRBRlanguage",
                        language=LANGUAGES.get(self.language, self.language))
        references = self.el(meta, "references", source="#gfmdreport")
        self.el(references, "TLCOrganization", eId="gfmd",
                href="/ontology/organization/gfmd",
                showAs="Global Forum on Migration and Development")
        self.el(references, "TLCOrganization", eId="gfmdreport",
                href="/ontology/organization/gfmdreport", showAs="gfmdreport")
        for person in (*summary.chairs, *summary.rapporteurs):
            eid = self.person_ids[id(person)]
            if references.find(f"{{{AKN_NS}}}TLCPerson[@eId='{eid}']") is None:
                self.el(references, "TLCPerson", eId=eid, href=f"/ontology/person/{eid}",
                        showAs=self.clean(person.display_name or person.name, "a person"))
        if summary.chairs:
            self.el(references, "TLCRole", eId="chair", href="/ontology/role/chair",
                    showAs=self.labels["chair"])
        if summary.rapporteurs:
            self.el(references, "TLCRole", eId="rapporteur", href="/ontology/role/rapporteur",
                    showAs=self.labels["rapporteur"])
        if summary.venue:
            self.el(references, "TLCLocation", eId="venue",
                    href=f"/ontology/location/{slug(summary.venue) or 'venue'}",
                    showAs=self.clean(summary.venue, "the venue"))

    def assign_person_ids(self) -> None:
        used: dict[str, Person] = {}
        for i, person in enumerate((*self.summary.chairs, *self.summary.rapporteurs), 1):
            base = slug(person.name, 40) or f"person-{i}"
            if base[0].isdigit():
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
        times = [t for t in (summary.start_time, summary.end_time)
                 if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", t or "")]
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
        summary = self.summary
        for index, (number, block) in enumerate(summary.numbered()):
            where = f"body[{index}]"
            if isinstance(block, Paragraph):
                eid = f"para_{number}"
                paragraph = self.el(body, "paragraph", eId=eid)
                self.el(paragraph, "num", f"{number}.")
                content = self.el(paragraph, "content")
                if block.items:
                    self.block_list(content, f"{eid}__list_1", block.items, where, block.loc,
                                    lettered=True, introduction=block.text)
                else:
                    self.inline(self.el(content, "p"), block.text, where, block.loc)
            elif isinstance(block, Heading):
                container = self.el(body, "hcontainer", name="heading",
                                    eId=self.next_id("hcontainer"))
                self.inline(self.el(container, "heading"), block.text, where, block.loc)
            elif isinstance(block, Question):
                eid = self.next_id("hcontainer")
                container = self.el(body, "hcontainer", name="question", eId=eid)
                separator = "\u00a0:" if self.language == "fr" else ":"
                self.el(container, "num", f"{self.labels['question']} {block.number}"
                        f"{separator}")
                self.inline(self.el(container, "heading"), block.text, where, block.loc)
                if block.takeaways:
                    content = self.el(container, "content")
                    self.block_list(content, f"{eid}__list_1", block.takeaways,
                                    f"{where}.takeaways", block.loc)
            elif isinstance(block, SummaryTable):
                self.table(body, block, where)

    def block_list(self, parent: Any, eid: str, items: Iterable[Item], where: str,
                   loc: Location | None, *, lettered: bool = False,
                   introduction: str | None = None) -> None:
        block_list = self.el(parent, "blockList", eId=eid)
        if introduction is not None:
            self.inline(self.el(block_list, "listIntroduction"), introduction, where, loc)
        for i, item in enumerate(items):
            mark = letter(i) if lettered else str(i + 1)
            node = self.el(block_list, "item", eId=f"{eid}__item_{mark}")
            if lettered:
                self.el(node, "num", f"{mark})")
            at = f"{where}[{i}]"
            self.inline(self.el(node, "p"), item.text, at, item.loc or loc)
            if item.items:
                self.block_list(node, f"{eid}__item_{mark}__list_1", item.items,
                                f"{at}.items", item.loc or loc)

    def table(self, body: Any, block: SummaryTable, where: str) -> None:
        eid = self.next_id("hcontainer")
        container = self.el(body, "hcontainer", name="summaryTable", eId=eid)
        content = self.el(container, "content")
        table = self.el(content, "table", eId=f"{eid}__table_1", border="1")
        if not block.columns:
            row = self.el(table, "tr")
            self.el(row, "td")
            return
        headings = self.el(table, "tr")
        cells = self.el(table, "tr")
        for j, column in enumerate(block.columns, 1):
            self.inline(self.el(self.el(headings, "th"), "p"), column.heading,
                        f"{where}.columns[{j - 1}]", column.loc or block.loc)
            cell = self.el(cells, "td")
            if column.items:
                self.block_list(cell, f"{eid}__table_1__col_{j}__list_1", column.items,
                                f"{where}.columns[{j - 1}].items", column.loc or block.loc)


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    return Builder(summary).build()
