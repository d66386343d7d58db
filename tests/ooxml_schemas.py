"""Validate the XML parts of a Word package against the ISO/IEC 29500 transitional
schemas vendored in tests/vendor/ooxml (README there), with lxml.

Each part is validated against the schema of its kind (by its name: the main document,
styles, numbering, settings, headers and footers, … against WordprocessingML; the
relationships and content types against OPC; the core and extended properties; the
custom XML properties; a theme against DrawingML), after Markup Compatibility
processing as an Office application does it (ISO/IEC 29500-3): elements and attributes
of namespaces a part declares ignorable are removed, and ``mc:AlternateContent`` is
replaced by its fallback. A part of no known kind (the custom XML data that carries the
model, whose schema is our own) is listed as not checked.

    from ooxml_schemas import validate_package
    errors, unchecked = validate_package(data)   # errors: ["part: line N: message", …]
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent / "vendor" / "ooxml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WML = "transitional/wml.xsd"

SCHEMAS = [
    (r"^word/(document|styles|stylesWithEffects|numbering|settings|fontTable|webSettings|"
     r"footnotes|endnotes|"
     r"comments|header\d*|footer\d*)\.xml$", WML),
    (r"\.rels$", "opc/opc-relationships.xsd"),
    (r"^\[Content_Types\]\.xml$", "opc/opc-contentTypes.xsd"),
    (r"^docProps/core\d*\.xml$", "opc/opc-coreProperties.xsd"),
    (r"^docProps/app\.xml$", "transitional/shared-documentPropertiesExtended.xsd"),
    (r"^customXml/itemProps\d+\.xml$", "transitional/shared-customXmlDataProperties.xsd"),
    (r"^word/theme/theme\d+\.xml$", "transitional/dml-main.xsd"),
]
"""Part names and the schema each is validated against."""

_REMOTE = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "dublin-core/dc.xsd",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd":
        "dublin-core/dcterms.xsd",
}


class _Local(etree.Resolver):
    """The schemas the OPC core properties import from the web, from the vendored
    stand-ins (nothing is ever fetched)."""

    def resolve(self, url, pubid, context):
        local = _REMOTE.get(url)
        if local is not None:
            return self.resolve_filename(str(HERE / local), context)
        if url and url.startswith(("http:", "https:")):
            raise OSError(f"a schema asked for {url}, which is not vendored")
        return None


@cache
def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(HERE / name), parser))


def schema_for(part: str) -> str | None:
    return next((xsd for pattern, xsd in SCHEMAS if re.search(pattern, part)), None)


def _preprocess(root):
    """Markup Compatibility processing: ignorable namespaces' elements and attributes
    removed, the ``mc:`` attributes removed, ``mc:AlternateContent`` → its fallback."""
    ignorable = set()
    for el in root.iter():
        value = el.get(f"{{{MC}}}Ignorable") if isinstance(el.tag, str) else None
        for prefix in (value or "").split():
            if el.nsmap.get(prefix):
                ignorable.add(el.nsmap[prefix])
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        for attr in list(el.attrib):
            if attr.startswith(f"{{{MC}}}") or any(attr.startswith(f"{{{ns}}}")
                                                    for ns in ignorable):
                del el.attrib[attr]
    for el in list(root.iter()):
        if isinstance(el.tag, str) and any(el.tag.startswith(f"{{{ns}}}") for ns in ignorable):
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent = alternate.getparent()
        at = parent.index(alternate)
        for child in list(fallback) if fallback is not None else []:
            parent.insert(at, child)
            at += 1
        parent.remove(alternate)
    return root


def validate_part(name: str, blob: bytes) -> list[str] | None:
    """The schema errors of one part (``None``: no schema for a part of this name)."""
    xsd = schema_for(name)
    if xsd is None:
        return None
    root = _preprocess(etree.fromstring(blob, etree.XMLParser(resolve_entities=False)))
    checker = schema(xsd)
    if checker.validate(etree.ElementTree(root)):
        return []
    return [f"{name}: line {e.line}: {e.message}" for e in checker.error_log]


def validate_package(data: bytes) -> tuple[list[str], list[str]]:
    """Every schema error of every XML part of a package, and the parts not checked."""
    errors: list[str] = []
    unchecked: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = info.filename
            if not name.endswith((".xml", ".rels")):
                continue
            found = validate_part(name, zf.read(info))
            if found is None:
                unchecked.append(name)
            else:
                errors += found
    return errors, unchecked
