"""A reference document reduced to what a template may give a report: its styles, lists,
page setup, headers and footers (with their pictures), fonts, theme and settings.

Everything else a Word package can carry is left out of the parts a report is made
from, so that no report inherits it: the body's own parts (comments, pictures, custom
XML, a previous report's model), the document properties, and above all what makes a
document reach outside itself or run code:

- **external relationships** (a picture linked from a web address, a linked object, a
  mail-merge data source): Word and LibreOffice would fetch them when the report is
  opened or converted;
- an **attached template** (``w:attachedTemplate``, often on a server);
- **macros** (``vbaProject.bin`` and its data), whatever the main part's content type;
- **embedded objects** (OLE objects, ActiveX controls, packages) in headers and footers.

Each of these is said in a :class:`Dropped` note, which the writer reports as a warning
of every render with the template. Hyperlinks in headers and footers are kept: a link
is followed only when a reader clicks it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from gfmdreport.formats.docx.ooxml.ns import CT_NS
from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import RT_ATTACHED_TEMPLATE
from gfmdreport.formats.docx.ooxml.ns import RT_CORE_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import RT_ENDNOTES
from gfmdreport.formats.docx.ooxml.ns import RT_EXTENDED_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import RT_FONT
from gfmdreport.formats.docx.ooxml.ns import RT_FONT_TABLE
from gfmdreport.formats.docx.ooxml.ns import RT_FOOTER
from gfmdreport.formats.docx.ooxml.ns import RT_FOOTNOTES
from gfmdreport.formats.docx.ooxml.ns import RT_HEADER
from gfmdreport.formats.docx.ooxml.ns import RT_HYPERLINK
from gfmdreport.formats.docx.ooxml.ns import RT_IMAGE
from gfmdreport.formats.docx.ooxml.ns import RT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import RT_OFFICE_DOCUMENT
from gfmdreport.formats.docx.ooxml.ns import RT_SETTINGS
from gfmdreport.formats.docx.ooxml.ns import RT_STYLES
from gfmdreport.formats.docx.ooxml.ns import RT_STYLES_WITH_EFFECTS
from gfmdreport.formats.docx.ooxml.ns import RT_THEME
from gfmdreport.formats.docx.ooxml.ns import RT_WEB_SETTINGS
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.package import CONTENT_TYPES
from gfmdreport.formats.docx.ooxml.package import PACKAGE_RELS
from gfmdreport.formats.docx.ooxml.package import Relationship
from gfmdreport.formats.docx.ooxml.package import read_relationships
from gfmdreport.formats.docx.ooxml.package import rels_part_name
from gfmdreport.formats.docx.ooxml.package import safe_parser
from gfmdreport.formats.docx.ooxml.package import serialize

MAIN_PARTS = {RT_STYLES, RT_STYLES_WITH_EFFECTS, RT_NUMBERING, RT_SETTINGS, RT_FONT_TABLE,
              RT_THEME, RT_WEB_SETTINGS, RT_HEADER, RT_FOOTER, RT_FOOTNOTES, RT_ENDNOTES}
"""The parts of the main document a template gives (the footnotes and endnotes parts
hold the separator lines the settings name)."""
FURNITURE = {RT_HEADER, RT_FOOTER, RT_FOOTNOTES, RT_ENDNOTES}
"""Parts whose pictures are kept (a logo in the header), internal ones only."""
INNER_PARTS = {RT_IMAGE, RT_FONT, RT_THEME}
"""What the kept parts may relate to inside the package: pictures (of headers,
footers, picture bullets, the theme) and embedded fonts (of the font table)."""

_PACKAGE_PARTS = {RT_OFFICE_DOCUMENT, RT_CORE_PROPERTIES, RT_EXTENDED_PROPERTIES}
_MACRO_WORDS = ("vbaProject", "vbaData", "keyMapCustomizations", "wordVbaData",
                "attachedToolbars")
_OBJECT_WORDS = ("oleObject", "package", "control", "activeX")
_HOLDERS = {qn(f"w:{tag}") for tag in ("drawing", "pict", "object", "control", "mailMerge",
                                       "attachedTemplate", "numPicBullet", "subDoc",
                                       "altChunk")}
"""Elements removed whole when something in them refers to a relationship left out."""
_R = f"{{{NS['r']}}}"
_A_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_CT_OVERRIDE = f"{{{CT_NS}}}Override"
_CT_DEFAULT = f"{{{CT_NS}}}Default"
_PR_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}" \
    "Relationship"


@dataclass(frozen=True)
class Dropped:
    """Something of the reference document a report does not take, in words."""

    what: str
    part: str


def _kind(reltype: str) -> str:
    return reltype.rsplit("/", 1)[-1]


def _describe(rel: Relationship, source: str) -> Dropped | None:
    """The note for a relationship left out, or ``None`` for one left out silently
    (what belongs to the body, which a template never gives)."""
    kind = _kind(rel.type)
    shown = rel.target if len(rel.target) <= 80 else rel.target[:79] + "…"
    where = source or "the package"
    if rel.type == RT_ATTACHED_TEMPLATE or kind == "attachedTemplate":
        return Dropped(f"the attached template {shown}", where)
    if any(word.lower() in kind.lower() for word in _MACRO_WORDS):
        return Dropped(f"the macros ({shown})", where)
    if rel.external and rel.type == RT_HYPERLINK:
        return None  # a link of the body, which goes with it (it is never followed)
    if rel.external:
        noun = "picture" if rel.type == RT_IMAGE else f"{kind} link"
        return Dropped(f"a {noun} to {shown}, outside the document", where)
    if any(word.lower() in kind.lower() for word in _OBJECT_WORDS):
        return Dropped(f"an embedded object ({kind}: {shown})", where)
    return None


def reduce_reference(parts: Iterable[tuple[str, bytes]]
                     ) -> tuple[list[tuple[str, bytes]], str, list[Dropped]]:
    """The parts of a reference document that a template gives, in their order, the
    name of its main part, and what was left out that must be said.

    ``parts`` are the members of a package :func:`.package.usable_package` accepted
    (well-formed, a Word document's main part). Parts are kept by the relationships
    that lead to them from the main document (see the module's description); the
    relationships and content types of the kept parts are rewritten to match, and
    elements that referred to a relationship left out (a linked picture, an attached
    template, an object) are removed from them.
    """
    order = [name for name, _ in parts]
    blobs = dict(parts)
    parser = safe_parser()
    package_rels = read_relationships(etree.fromstring(blobs[PACKAGE_RELS], parser), "")
    main = next(r.target for r in package_rels if r.type == RT_OFFICE_DOCUMENT)
    dropped: list[Dropped] = []
    keep: dict[str, bytes] = {}
    root = etree.fromstring(blobs[PACKAGE_RELS], parser)
    for el, rel in zip(list(root.iter(_PR_RELATIONSHIP)), package_rels, strict=True):
        if rel.type in _PACKAGE_PARTS and not rel.external and rel.target in blobs:
            keep[rel.target] = blobs[rel.target]  # the properties are replaced later
            continue
        note = _describe(rel, "")
        if note is not None:
            dropped.append(note)
        el.getparent().remove(el)
    keep[PACKAGE_RELS] = serialize(root)

    def visit(source: str, allowed, external) -> None:
        """Keep ``source``'s relationships of the allowed types (and the parts they lead
        to, visited in turn); rewrite its relationships and XML without the others."""
        rels_name = rels_part_name(source)
        if rels_name not in blobs:
            return
        root = etree.fromstring(blobs[rels_name], parser)
        gone: set[str] = set()
        for el, rel in zip(list(root.iter(_PR_RELATIONSHIP)),
                           read_relationships(root, source), strict=True):
            fine = rel.type in external if rel.external else (
                rel.type in allowed and rel.target in blobs)
            if fine:
                if not rel.external and rel.target not in keep:
                    keep[rel.target] = blobs[rel.target]
                    inner = INNER_PARTS if rel.type in FURNITURE | {
                        RT_NUMBERING, RT_THEME, RT_FONT_TABLE, RT_STYLES} else set()
                    visit(rel.target, inner, {RT_HYPERLINK} if rel.type in FURNITURE
                          else set())
                continue
            note = _describe(rel, source)
            if note is not None:
                dropped.append(note)
            gone.add(rel.id)
            el.getparent().remove(el)
        keep[rels_name] = serialize(root)
        if gone and source in keep:
            keep[source] = _without_references(keep[source], gone, parser)

    keep[main] = blobs[main]
    visit(main, MAIN_PARTS, set())
    for name in order:  # what nothing kept leads to: macros, objects, the body's parts
        if name not in keep and name != main and not name.endswith(".rels") and \
                name not in (CONTENT_TYPES,) and any(w.lower() in name.lower()
                                                      for w in _MACRO_WORDS) and \
                not any(d.what.startswith("the macros") for d in dropped):
            dropped.append(Dropped(f"the macros ({posixpath.basename(name)})", name))
    keep[CONTENT_TYPES] = _content_types(blobs[CONTENT_TYPES], keep, parser)
    return [(name, keep[name]) for name in order if name in keep], main, dropped


def _without_references(blob: bytes, gone: set[str], parser) -> bytes:
    """A part without the elements that refer to the relationships ``gone``: a picture
    that also embeds its image loses only its link; anything else goes whole (its
    drawing, picture, object or setting)."""
    root = etree.fromstring(blob, parser)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        refs = [name for name, value in el.attrib.items()
                if name.startswith(_R) and value in gone]
        if not refs:
            continue
        if el.tag == _A_BLIP and el.get(_R + "embed") not in (None, *gone):
            for name in refs:
                del el.attrib[name]
            continue
        holder = el
        node = el
        while node is not None:
            if node.tag in _HOLDERS:
                holder = node
                break
            node = node.getparent()
        parent = holder.getparent()
        if parent is not None:
            parent.remove(holder)
    return serialize(root)


def _content_types(blob: bytes, keep: dict[str, bytes], parser) -> bytes:
    """The content types without the overrides of parts left out, and without the
    defaults of extensions no kept part has (the package's own ``rels`` and ``xml``
    stay)."""
    root = etree.fromstring(blob, parser)
    names = set(keep)
    extensions = {name.rsplit(".", 1)[-1].lower() for name in names if "." in name}
    for el in list(root):
        unused_part = el.tag == _CT_OVERRIDE and \
            (el.get("PartName") or "").lstrip("/") not in names
        unused_extension = el.tag == _CT_DEFAULT and \
            (el.get("Extension") or "").lower() not in extensions | {"rels", "xml"}
        if unused_part or unused_extension:
            root.remove(el)
    return serialize(root)
