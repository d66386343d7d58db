"""An event's proceedings as an Akoma Ntoso 3.0 ``documentCollection``: the collection's
own metadata (FRBR identification of the proceedings, the event's title and dates in its
preface), and each session's meeting report, written as ``-t akn`` writes it alone, as a
``component`` of its ``collectionBody``.

Layout::

    akomaNtoso/documentCollection[@name="proceedings"]
      meta/identification    /akn/un/documentCollection/proceedings/gfmd/{first day}/main
      meta/references        TLCOrganization gfmd, gfmdreport
      preface                docTitle, docProponent (organisers), docDate
      collectionBody
        component cmp_N      debateReport[@name="meetingReport"] of session N

The schema wants every eId unique in the collection, so each component's eIds (and the
references to them, ``#…``) are prefixed with its own: ``cmp_2__para_5``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gfmdreport import Proceedings
from gfmdreport import format_date

from .writer import AKN_NS
from .writer import AUTHOR
from .writer import AUTHOR_NAME
from .writer import FORMAT
from .writer import JURISDICTION
from .writer import MARKUP
from .writer import UNDATED
from .writer import Builder
from .writer import language_code
from .writer import markup_date

DOC_TYPE = "documentCollection"
NAME = "proceedings"
_IDS = ("eId", "wId")
_REFS = ("refersTo", "as", "href", "by", "source")


def _prefix(element: Any, prefix: str) -> None:
    """Prefix every eId of ``element``'s subtree, and every local reference to one."""
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        for name in _IDS:
            value = node.get(name)
            if value:
                node.set(name, prefix + value)
        for name in _REFS:
            value = node.get(name)
            if value and value.startswith("#"):
                node.set(name, "#" + prefix + value[1:])


def write(proceedings: Proceedings, options: Mapping[str, Any]) -> bytes:
    from lxml import etree

    p = proceedings
    tag = f"{{{AKN_NS}}}"

    def el(parent, local, text=None, **attrs):
        node = etree.SubElement(parent, tag + local, {k.rstrip("_"): v for k, v in
                                                     attrs.items()})
        if text:
            node.text = text
        return node

    root = etree.Element(tag + "akomaNtoso", nsmap={None: AKN_NS})
    collection = el(root, DOC_TYPE, name=NAME, contains="originalVersion")
    meta = el(collection, "meta")
    date = p.start_date or UNDATED
    work = f"/akn/{JURISDICTION}/{DOC_TYPE}/{NAME}/{AUTHOR}/{date}"
    expression = f"{work}/{language_code(p.language)}@"
    identification = el(meta, "identification", source=f"#{MARKUP}")
    frbr = el(identification, "FRBRWork")
    el(frbr, "FRBRthis", value=f"{work}/!main")
    el(frbr, "FRBRuri", value=work)
    el(frbr, "FRBRdate", date=date, name="event")
    el(frbr, "FRBRauthor", href=f"#{AUTHOR}")
    el(frbr, "FRBRcountry", value=JURISDICTION)
    el(frbr, "FRBRsubtype", value=NAME)
    frbr = el(identification, "FRBRExpression")
    el(frbr, "FRBRthis", value=f"{expression}/!main")
    el(frbr, "FRBRuri", value=expression)
    el(frbr, "FRBRdate", date=date, name="event")
    el(frbr, "FRBRauthor", href=f"#{AUTHOR}")
    el(frbr, "FRBRlanguage", language=language_code(p.language))
    frbr = el(identification, "FRBRManifestation")
    el(frbr, "FRBRthis", value=f"{expression}/!main.{FORMAT}")
    el(frbr, "FRBRuri", value=f"{expression}.{FORMAT}")
    el(frbr, "FRBRdate", date=markup_date().isoformat(), name="markup")
    el(frbr, "FRBRauthor", href=f"#{MARKUP}")
    el(frbr, "FRBRformat", value=FORMAT)
    references = el(meta, "references", source=f"#{MARKUP}")
    el(references, "TLCOrganization", eId=AUTHOR, href=f"/ontology/organization/{AUTHOR}",
       showAs=AUTHOR_NAME)
    el(references, "TLCOrganization", eId=MARKUP,
       href=f"/ontology/organization/{MARKUP}", showAs=MARKUP)

    preface = el(collection, "preface")
    block = el(preface, "longTitle")
    title = el(block, "p")
    el(title, "docTitle", p.title)
    if p.subtitle:
        el(title, "eol")
        el(title, "docStage", p.subtitle)
    if p.start_date:
        line = el(preface, "p")
        el(line, "docDate", format_date(p.start_date, p.language), date=p.start_date)
    for organiser in p.organisers:
        el(el(preface, "p"), "docProponent", organiser)

    body = el(collection, "collectionBody")
    for number, chapter in enumerate(p.chapters, 1):
        data = Builder(chapter.summary, options).build()
        document = etree.fromstring(data)[0]
        component = el(body, "component", eId=f"cmp_{number}")
        _prefix(document, f"cmp_{number}__")
        component.append(document)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
