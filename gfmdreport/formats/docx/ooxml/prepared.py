"""A template package prepared once and assembled into each document written on it.

The parts a document changes (main part, its relationships, core properties, settings,
content types) are kept parsed and copied per document; every other part is kept
deflated, as the bytes to write.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from gfmdreport.formats.docx.ooxml.ns import CT_NS
from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import RT_CORE_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import RT_SETTINGS
from gfmdreport.formats.docx.ooxml.package import CONTENT_TYPES
from gfmdreport.formats.docx.ooxml.package import PACKAGE_RELS
from gfmdreport.formats.docx.ooxml.package import ZipMember
from gfmdreport.formats.docx.ooxml.package import main_part_name
from gfmdreport.formats.docx.ooxml.package import read_relationships
from gfmdreport.formats.docx.ooxml.package import rels_part_name
from gfmdreport.formats.docx.ooxml.package import serialize
from gfmdreport.formats.docx.ooxml.package import zip_bytes
from gfmdreport.formats.docx.ooxml.package import zip_parts

DOCUMENT_LEVEL = 1
"""Deflate level of the parts written per document (the template's are compressed once,
at level 6)."""


@dataclass(frozen=True)
class PreparedPackage:
    """A template package parsed once: the parts a document changes are kept parsed
    (copied per document), every other part as the bytes to write."""

    members: tuple[ZipMember, ...]
    """Every member of the package, in order, compressed once (the parts a document
    changes are replaced when written)."""
    document_part: str
    """Zip name of the main document part, e.g. ``word/document.xml``."""
    document: object
    """The main document's root element, body empty; never modified."""
    document_head: bytes
    """The main document part up to its body's content: what a document streams its
    body's blocks after (:mod:`.stream`)."""
    document_tail: bytes
    """The main document part from its final section properties on."""
    document_rels: object
    """The main document's relationships element; never modified."""
    core_part: str
    core: object
    """The core properties' root element (empty in a prepared template)."""
    settings_part: str | None
    settings: object | None
    content_types: object

    @property
    def document_rels_part(self) -> str:
        return rels_part_name(self.document_part)


def _parser() -> etree.XMLParser:
    """The parser for the parts of a prepared template (python-docx wrote them)."""
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def prepare_package(package: bytes | Sequence[tuple[str, bytes]]) -> PreparedPackage:
    """Parse the parts of a prepared template (its bytes, or its members in order) that
    each document changes."""
    members = zip_parts(package) if isinstance(package, bytes) else list(package)
    names = dict(members)
    parser = _parser()

    def parse(name: str):
        return etree.fromstring(names[name], parser)

    document_part = main_part_name(names)
    document_rels = parse(rels_part_name(document_part))
    settings_part = None
    for rel in read_relationships(document_rels, document_part):
        if rel.type == RT_SETTINGS and not rel.external:
            settings_part = rel.target
    core_part = "docProps/core.xml"
    for rel in read_relationships(parse(PACKAGE_RELS), ""):
        if rel.type == RT_CORE_PROPERTIES:
            core_part = rel.target
    has_settings = settings_part in names
    document = _binding_w_and_r(parse(document_part))
    head, tail = _around_body(document)
    return PreparedPackage(
        members=tuple(ZipMember.of(name, blob) for name, blob in members),
        document_part=document_part,
        document=document,
        document_head=head,
        document_tail=tail,
        document_rels=document_rels,
        core_part=core_part,
        core=parse(core_part),
        settings_part=settings_part if has_settings else None,
        settings=parse(settings_part) if has_settings else None,
        content_types=parse(CONTENT_TYPES),
    )


def _binding_w_and_r(document):
    """The document's root, declaring the prefixes ``w`` and ``r`` that the body's blocks,
    written on their own, use (a root that lacks them is rebuilt with them)."""
    if document.nsmap.get("w") == NS["w"] and document.nsmap.get("r") == NS["r"]:
        return document
    nsmap = {prefix: uri for prefix, uri in document.nsmap.items()
             if prefix not in ("w", "r")}
    nsmap.update(w=NS["w"], r=NS["r"])
    root = etree.Element(document.tag, dict(document.attrib), nsmap=nsmap)
    root.extend(list(document))
    return root


_MARK = b"<!--gfmdreport-body-->"


def _around_body(document) -> tuple[bytes, bytes]:
    """The bytes of the document part before and after its body's content."""
    body = document.find(f"{{{NS['w']}}}body")
    if body is None:
        body = etree.SubElement(document, f"{{{NS['w']}}}body")
    marker = etree.Comment(_MARK[4:-3].decode())
    sect_pr = body.find(f"{{{NS['w']}}}sectPr")
    if sect_pr is not None:
        sect_pr.addprevious(marker)
    else:
        body.append(marker)
    try:
        head, tail = serialize(document).split(_MARK)
    finally:
        body.remove(marker)
    return head, tail


def free_name(package: PreparedPackage, pattern: str) -> int:
    """The smallest n for which ``pattern % n`` names no member of the package."""
    names = {m.name for m in package.members}
    n = 1
    while pattern % n in names:
        n += 1
    return n


def assemble(package: PreparedPackage, *, document, document_rels, core,
             settings=None, extra: Sequence[tuple[str, bytes, str | None]] = ()) -> bytes:
    """The bytes of a document: the template's parts with the document's own main part
    (its root element, or the member already written, :mod:`.stream`), relationships,
    core properties (and settings), plus ``extra`` parts, each given as ``(zip name,
    bytes, content type or None for the default by suffix)``."""
    content_types = package.content_types
    overrides = [(name, ct) for name, _, ct in extra if ct]
    if overrides:
        content_types = copy.deepcopy(content_types)
        for name, ct in overrides:
            etree.SubElement(content_types, f"{{{CT_NS}}}Override",
                             {"PartName": "/" + name, "ContentType": ct})
    changed = {
        CONTENT_TYPES: content_types,
        package.document_part: document,
        package.document_rels_part: document_rels,
        package.core_part: core,
    }
    if settings is not None and package.settings_part:
        changed[package.settings_part] = settings
    members = [_member(m.name, changed[m.name]) if m.name in changed else m
               for m in package.members]
    members += [ZipMember.of(name, blob, DOCUMENT_LEVEL) for name, blob, _ in extra]
    return zip_bytes(members)


def empty_core_properties():
    """An empty core properties part, declaring the namespaces of its properties."""
    return etree.Element(f"{{{NS['cp']}}}coreProperties", nsmap={
        prefix: NS[prefix] for prefix in ("cp", "dc", "dcterms", "dcmitype", "xsi")})


def core_properties_element(*, title: str, subject: str, creator: str, keywords: str,
                            last_modified_by: str, revision: str, category: str,
                            language: str, created=None, modified=None):
    """The core properties part of a document (empty properties are left out), in the
    order Word writes them; ``created`` and ``modified`` are naive UTC datetimes."""
    core = empty_core_properties()

    def add(prefix: str, name: str, value: str, w3cdtf: bool = False) -> None:
        if not value:
            return
        el = etree.SubElement(core, f"{{{NS[prefix]}}}{name}")
        el.text = value
        if w3cdtf:
            el.set(f"{{{NS['xsi']}}}type", "dcterms:W3CDTF")

    add("dc", "title", title)
    add("dc", "subject", subject)
    add("dc", "creator", creator)
    add("cp", "keywords", keywords)
    add("cp", "lastModifiedBy", last_modified_by)
    add("cp", "revision", revision)
    for name, stamp in (("created", created), ("modified", modified)):
        if stamp is not None:
            add("dcterms", name, stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), w3cdtf=True)
    add("cp", "category", category)
    add("dc", "language", language)
    return core


def _member(name: str, part) -> ZipMember:
    if isinstance(part, ZipMember):
        return part
    return ZipMember.of(name, serialize(part), DOCUMENT_LEVEL)


def reset_core_properties(core) -> None:
    """Drop every core property a template carried (its title, author, dates …)."""
    for child in list(core):
        core.remove(child)
