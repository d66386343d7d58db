"""All raw WordprocessingML work of the DOCX writer, in one place.

Everything else in :mod:`gfmdreport.formats.docx.write` speaks python-docx; what
python-docx has no API for (list numbering, fields, hyperlinks, table-row options, the
table of contents, custom XML parts, merging a template's styles and lists) is done here
on the XML.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import struct
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from gfmdreport import limits

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

MODEL_NS = "urn:gfmdreport:summary:1"
"""Namespace of the custom XML part that carries the model (docs/docx.md)."""

CT_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
CT_MACRO = ("application/vnd.ms-word.document.macroEnabled.main+xml",
            "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
RT_CUSTOM_XML = RT.CUSTOM_XML
RT_CUSTOM_XML_PROPS = RT.CUSTOM_XML_PROPS

MAX_PACKAGE_BYTES = limits.DOCX_BYTES.default
"""A reference document that unpacks to more than this is refused (the DOCX unpacked
size limit, ``GFMDREPORT_MAX_DOCX_BYTES``)."""
_SECT_PR = qn("w:sectPr")

# Successor tags, for inserting a child at its schema position.
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


class PackageProblem(Exception):
    """A file is not a Word package we can use: ``str()`` says why, ``hint`` what to do."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


# ---- packages (ZIP level) ------------------------------------------------------------------

def zip_parts(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a ZIP package, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()
                if not info.is_dir()]


def write_zip(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A ZIP package of ``parts``, deflated, with fixed timestamps, so that equal parts
    give equal bytes."""
    return zip_bytes([ZipMember.of(name, blob) for name, blob in parts])


def usable_package(data: bytes) -> bytes:
    """Check that ``data`` is a Word document or template and return it in a form
    python-docx opens (a template's main part is relabelled as a document's).

    Raises :class:`PackageProblem` saying what the file is instead.
    """
    hint = ("give a .docx or .dotx saved by Word or LibreOffice, or start from "
            "'gfmdreport docx-template -o reference.docx'")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PackageProblem("this is a legacy Word 97-2003 file (.doc/.dot), not a .docx",
                             "open it in Word or LibreOffice and save it as .docx")
    if not data.startswith(b"PK"):
        raise PackageProblem("not a Word document (.docx): it is not a ZIP package", hint)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = [info for info in zf.infolist() if not info.is_dir()]
            unpacked = sum(info.file_size for info in infos)
            if unpacked > limits.DOCX_BYTES.value():
                d = limits.DOCX_BYTES.diagnostic(unpacked, "the package unpacks to")
                raise PackageProblem(d.message, d.hint)
            parts = [(info.filename, zf.read(info)) for info in infos]
    except PackageProblem:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError … from a damaged file
        raise PackageProblem(f"the ZIP package is damaged ({exc})", hint) from None
    names = dict(parts)
    types_xml = names.get("[Content_Types].xml")
    if types_xml is None:
        raise PackageProblem("not a Word document: the package has no [Content_Types].xml",
                             hint)
    types = _parse_part(types_xml, "[Content_Types].xml")
    main = _main_part_name(names)
    overrides = {el.get("PartName"): el for el in types.iter(f"{{{CT_NS}}}Override")}
    override = overrides.get("/" + main)
    content_type = override.get("ContentType") if override is not None else None
    if content_type in CT_MACRO:
        raise PackageProblem("this is a macro-enabled Word file (.docm/.dotm)",
                             "save a copy as .docx or .dotx, without macros")
    if content_type not in (CT_DOCUMENT, CT_TEMPLATE):
        raise PackageProblem(f"not a Word document: its main part is {content_type or '?'}",
                             hint)
    for name, blob in parts:
        if name.endswith((".xml", ".rels")):
            _parse_part(blob, name)
    if content_type == CT_DOCUMENT:
        return data
    override.set("ContentType", CT_DOCUMENT)
    names["[Content_Types].xml"] = _serialize(types)
    return write_zip([(name, names[name]) for name, _ in parts])


def _main_part_name(names: dict[str, bytes]) -> str:
    rels = names.get("_rels/.rels")
    if rels is None:
        raise PackageProblem("not a Word document: the package has no _rels/.rels")
    root = _parse_part(rels, "_rels/.rels")
    for rel in root.iter(f"{{{PR_NS}}}Relationship"):
        if rel.get("Type") == RT.OFFICE_DOCUMENT:
            target = (rel.get("Target") or "").lstrip("/")
            if target not in names:
                raise PackageProblem(f"not a Word document: its main part {target} is missing")
            return target
    raise PackageProblem("not a Word document: the package names no main document")


def _parse_part(blob: bytes, name: str):
    try:
        return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise PackageProblem(f"its part {name} is not well-formed XML ({exc})",
                             "open it in Word or LibreOffice and save it again") from None


def _serialize(element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---- the prepared package, assembled per document ------------------------------------------

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
    document_rels: object
    """The main document's relationships element; never modified."""
    core_part: str
    core: object
    settings_part: str | None
    settings: object | None
    content_types: object

    @property
    def document_rels_part(self) -> str:
        folder, _, name = self.document_part.rpartition("/")
        return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def prepare_package(blob: bytes) -> PreparedPackage:
    """Parse the parts of a prepared template that each document changes."""
    members = zip_parts(blob)
    names = dict(members)
    document_part = _main_part_name(names)
    folder = document_part.rpartition("/")[0]
    rels_name = (f"{folder}/" if folder else "") + "_rels/" + \
        document_part.rpartition("/")[2] + ".rels"
    document_rels = parse_xml(names[rels_name])
    settings_part = None
    for rel in document_rels.iter(f"{{{PR_NS}}}Relationship"):
        if rel.get("Type") == RT.SETTINGS and rel.get("TargetMode") != "External":
            settings_part = _resolve(folder, rel.get("Target"))
    core_part = "docProps/core.xml"
    for rel in parse_xml(names["_rels/.rels"]).iter(f"{{{PR_NS}}}Relationship"):
        if rel.get("Type") == RT.CORE_PROPERTIES:
            core_part = _resolve("", rel.get("Target"))
    return PreparedPackage(
        members=tuple(ZipMember.of(name, blob) for name, blob in members),
        document_part=document_part,
        document=parse_xml(names[document_part]),
        document_rels=document_rels,
        core_part=core_part,
        core=parse_xml(names[core_part]),
        settings_part=settings_part if settings_part in names else None,
        settings=parse_xml(names[settings_part]) if settings_part in names else None,
        content_types=parse_xml(names["[Content_Types].xml"]),
    )


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = folder.split("/") if folder else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


class Relationships:
    """A part's relationships, added to per document (hyperlinks, the model part)."""

    def __init__(self, root):
        self.root = copy.deepcopy(root)
        self._ids = {rel.get("Id") for rel in self.root}
        self._external: dict[tuple[str, str], str] = {}
        self._next = 1

    def add(self, reltype: str, target: str, external: bool = False) -> str:
        key = (reltype, target)
        if external and key in self._external:
            return self._external[key]
        while f"rId{self._next}" in self._ids:
            self._next += 1
        r_id = f"rId{self._next}"
        self._ids.add(r_id)
        attrs = {"Id": r_id, "Type": reltype, "Target": target}
        if external:
            attrs["TargetMode"] = "External"
            self._external[key] = r_id
        etree.SubElement(self.root, f"{{{PR_NS}}}Relationship", attrs)
        return r_id


def free_name(package: PreparedPackage, pattern: str) -> int:
    """The smallest n for which ``pattern % n`` names no member of the package."""
    names = {m.name for m in package.members}
    n = 1
    while pattern % n in names:
        n += 1
    return n


def assemble(package: PreparedPackage, *, document, document_rels, core,
             settings=None, extra: Sequence[tuple[str, bytes, str | None]] = ()) -> bytes:
    """The bytes of a document: the template's parts with the document's own main part,
    relationships, core properties (and settings), plus ``extra`` parts, each given as
    ``(zip name, bytes, content type or None for the default by suffix)``."""
    content_types = package.content_types
    overrides = [(name, ct) for name, _, ct in extra if ct]
    if overrides:
        content_types = copy.deepcopy(content_types)
        for name, ct in overrides:
            etree.SubElement(content_types, f"{{{CT_NS}}}Override",
                             {"PartName": "/" + name, "ContentType": ct})
    changed = {
        "[Content_Types].xml": content_types,
        package.document_part: document,
        package.document_rels_part: document_rels,
        package.core_part: core,
    }
    if settings is not None and package.settings_part:
        changed[package.settings_part] = settings
    members = [ZipMember.of(m.name, _serialize(changed[m.name]), DOCUMENT_LEVEL)
               if m.name in changed else m for m in package.members]
    members += [ZipMember.of(name, blob, DOCUMENT_LEVEL) for name, blob, _ in extra]
    return zip_bytes(members)


@dataclass(frozen=True)
class ZipMember:
    """A member of a ZIP package, deflated."""

    name: str
    data: bytes
    """The raw deflate stream."""
    crc: int
    size: int

    @classmethod
    def of(cls, name: str, blob: bytes, level: int = 6) -> ZipMember:
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name, deflate.compress(blob) + deflate.flush(), zlib.crc32(blob), len(blob))


DOCUMENT_LEVEL = 3
"""Deflate level of the parts written per document (the template's are compressed once,
at level 6)."""


def zip_bytes(members: Sequence[ZipMember]) -> bytes:
    """A ZIP archive of already deflated members, all dated 1980-01-01 (so the same
    parts give the same bytes)."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        fields = (20, flags, 8, 0, _DOS_DATE, m.crc, len(m.data), m.size, len(name))
        central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIH", *fields) + \
            struct.pack("<HHHHII", 0, 0, 0, 0, 0, len(out)) + name
        out += struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIH", *fields) + \
            struct.pack("<H", 0) + name + m.data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                      len(central), len(out), 0)
    return bytes(out + central + end)


_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01


def relationships_xml(rels: Sequence[tuple[str, str, str]]) -> bytes:
    """A relationships part: ``(id, type, target)`` each."""
    root = etree.Element(f"{{{PR_NS}}}Relationships", nsmap={None: PR_NS})
    for r_id, reltype, target in rels:
        etree.SubElement(root, f"{{{PR_NS}}}Relationship",
                         {"Id": r_id, "Type": reltype, "Target": target})
    return _serialize(root)


def append_block(body, element) -> None:
    """Append a block (paragraph, table) to the body, before its section properties."""
    last = body[-1] if len(body) else None
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(element)
    else:
        body.append(element)


# ---- skeleton of the default template -------------------------------------------------------

def skeleton_parts(page: PageSetup, defaults: TextDefaults) -> list[tuple[str, bytes]]:
    """The parts of an empty, lean Word package: no styles but the defaults, no lists.

    ``make_template`` opens it with python-docx and adds the contract's styles.
    """
    decl = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    w = f'xmlns:w="{W_NS}"'
    r = f'xmlns:r="{R_NS}"'
    content_types = (
        f'<Types xmlns="{CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{CT_DOCUMENT}"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/numbering.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
        '<Override PartName="/word/settings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
        'openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.extended-properties+xml"/>'
        '</Types>')
    package_rels = (
        f'<Relationships xmlns="{PR_NS}">'
        f'<Relationship Id="rId1" Type="{RT.OFFICE_DOCUMENT}" Target="word/document.xml"/>'
        f'<Relationship Id="rId2" Type="{RT.CORE_PROPERTIES}" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{RT.EXTENDED_PROPERTIES}" Target="docProps/app.xml"/>'
        '</Relationships>')
    document_rels = (
        f'<Relationships xmlns="{PR_NS}">'
        f'<Relationship Id="rId1" Type="{RT.STYLES}" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{RT.NUMBERING}" Target="numbering.xml"/>'
        f'<Relationship Id="rId3" Type="{RT.SETTINGS}" Target="settings.xml"/>'
        '</Relationships>')
    document = (
        f'<w:document {w} {r}><w:body><w:sectPr>'
        f'<w:pgSz w:w="{page.width}" w:h="{page.height}"/>'
        f'<w:pgMar w:top="{page.top}" w:right="{page.right}" w:bottom="{page.bottom}" '
        f'w:left="{page.left}" w:header="{page.header}" w:footer="{page.footer}" '
        'w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/>'
        '</w:sectPr></w:body></w:document>')
    font = defaults.font
    styles = (
        f'<w:styles {w}><w:docDefaults><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
        f'<w:sz w:val="{defaults.size}"/><w:szCs w:val="{defaults.size}"/>'
        f'<w:lang w:val="{defaults.language}" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/>'
        f'<w:spacing w:after="{defaults.space_after}" w:line="{defaults.line}" '
        'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
        '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>'
        '</w:styles>')
    numbering = f'<w:numbering {w}/>'
    settings = (
        f'<w:settings {w}><w:zoom w:percent="100"/><w:defaultTabStop w:val="567"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
        '<w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '</w:settings>')
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title>GFMD session summary</dc:title></cp:coreProperties>')
    app = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>gfmdreport</Application></Properties>')
    return [
        ("[Content_Types].xml", decl + content_types.encode()),
        ("_rels/.rels", decl + package_rels.encode()),
        ("word/document.xml", decl + document.encode()),
        ("word/_rels/document.xml.rels", decl + document_rels.encode()),
        ("word/styles.xml", decl + styles.encode()),
        ("word/numbering.xml", decl + numbering.encode()),
        ("word/settings.xml", decl + settings.encode()),
        ("docProps/core.xml", decl + core.encode()),
        ("docProps/app.xml", decl + app.encode()),
    ]


@dataclass(frozen=True)
class PageSetup:
    """Page size and margins in twentieths of a point."""

    width: int
    height: int
    top: int
    right: int
    bottom: int
    left: int
    header: int
    footer: int


@dataclass(frozen=True)
class TextDefaults:
    """Document-wide text defaults (``w:docDefaults``)."""

    font: str
    size: int
    """Half-points."""
    language: str
    space_after: int
    """Twentieths of a point."""
    line: int
    """240ths of a line."""


# ---- styles ---------------------------------------------------------------------------------

def set_outline_level(style_or_p, level: int) -> None:
    """Give a paragraph style (or paragraph) an outline level (0 = level 1)."""
    style_or_p.get_or_add_pPr().get_or_add_outlineLvl().val = level


def set_style_numbering(style, num_id: int, level: int) -> None:
    """Link a paragraph style to level ``level`` of list ``num_id``."""
    _set_num_pr(style.get_or_add_pPr(), num_id, level if level else None)


def style_num_id(style) -> int | None:
    """The list a paragraph style is linked to, if any."""
    num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num is None:
        return None
    try:
        return int(num.get(qn("w:val")))
    except (TypeError, ValueError):
        return None


def set_run_font(style, name: str) -> None:
    """Set every script's font of a style (python-docx sets only two)."""
    fonts = style.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def set_table_style_properties(style, *, border_color: str, border_size: int,
                               header_fill: str, cell_margin: tuple[int, int]) -> None:
    """Borders, cell margins and a shaded, bold, repeating first row for a table style."""
    vertical, horizontal = cell_margin
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="{border_size}" w:space="0" w:color="{border_color}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tbl_pr = parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:tblBorders>{borders}</w:tblBorders><w:tblCellMar>'
        f'<w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{horizontal}" w:type="dxa"/>'
        f'<w:bottom w:w="{vertical}" w:type="dxa"/><w:right w:w="{horizontal}" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr>')
    first_row = parse_xml(
        f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        '<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tcPr><w:shd w:val="clear" '
        f'w:color="auto" w:fill="{header_fill}"/><w:vAlign w:val="center"/></w:tcPr>'
        '</w:tblStylePr>')
    tc_pr = parse_xml(f'<w:tcPr {nsdecls("w")}><w:vAlign w:val="top"/></w:tcPr>')
    for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        for old in style.findall(qn(tag)):
            style.remove(old)
    style.append(tbl_pr)
    style.append(tc_pr)
    style.append(first_row)


def set_doc_language(styles, tag: str) -> None:
    """The document's language (spell-checking, hyphenation) in ``w:docDefaults``; a
    template's styles that name a language of their own lose it (the language is the
    text's, not the house style's)."""
    for lang in styles.iterfind(f"{qn('w:style')}/{qn('w:rPr')}/{qn('w:lang')}"):
        lang.attrib.pop(qn("w:val"), None)
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = doc_defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        doc_defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        _insert_before(rpr, lang, _RPR_AFTER_LANG)
    lang.set(qn("w:val"), tag)


def styles_by_name(styles) -> dict[str, object]:
    """Every ``w:style`` element of a styles part, by lower-cased name."""
    found = {}
    for style in styles.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")):
            found.setdefault(name.get(qn("w:val")).lower(), style)
    return found


def style_type(style) -> str:
    return style.get(qn("w:type")) or "paragraph"


def style_id(style) -> str:
    return style.get(qn("w:styleId")) or ""


def copy_missing_styles(target, source, names: Iterable[str]) -> list[str]:
    """Copy the styles named ``names`` from the ``source`` styles element into ``target``
    where ``target`` has no style of that name, with the styles they are based on.

    Style ids are remapped by name, so a copied style's ``basedOn`` points at the target's
    own style of that name (``Normal`` in any language). Returns the names copied.
    """
    target_by_name = styles_by_name(target)
    source_by_name = styles_by_name(source)
    source_by_id = {style_id(s): s for s in source.iterchildren(qn("w:style"))}
    taken = {style_id(s) for s in target.iterchildren(qn("w:style"))}
    copied: list[str] = []
    id_map: dict[str, str] = {}

    def name_of(style) -> str:
        return style.find(qn("w:name")).get(qn("w:val"))

    def ensure(name: str) -> str | None:
        """The target's id for the style ``name``, copying it over if needed."""
        key = name.lower()
        if key in target_by_name:
            return style_id(target_by_name[key])
        original = source_by_name.get(key)
        if original is None:
            return None
        new = copy.deepcopy(original)
        new_id = style_id(original)
        n = 1
        while new_id in taken:
            n += 1
            new_id = f"{style_id(original)}{n}"
        taken.add(new_id)
        new.set(qn("w:styleId"), new_id)
        id_map[style_id(original)] = new_id
        if new.get(qn("w:default")):
            del new.attrib[qn("w:default")]
        target_by_name[key] = new
        target.append(new)
        copied.append(name_of(original))
        for ref in ("w:basedOn", "w:next", "w:link"):
            el = new.find(qn(ref))
            if el is None:
                continue
            other = source_by_id.get(el.get(qn("w:val")))
            mapped = ensure(name_of(other)) if other is not None else None
            if mapped is None:
                new.remove(el)
            else:
                el.set(qn("w:val"), mapped)
        return new_id

    for name in names:
        ensure(name)
    return copied


# ---- numbering --------------------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    """One level of a list definition."""

    format: str
    """``decimal``, ``lowerLetter``, ``lowerRoman``, ``bullet`` …"""
    text: str
    """``%1.``, ``%2)``, or the bullet character."""
    left: int
    hanging: int
    style_id: str | None = None


def add_list(numbering, name: str, levels: Sequence[Level]) -> int:
    """Add a list definition (``w:abstractNum``) and an instance of it (``w:num``);
    return the instance's id, which paragraphs and styles refer to."""
    abstract_ids = _ids(numbering.iterchildren(qn("w:abstractNum")), "w:abstractNumId")
    abstract_id = max(abstract_ids, default=-1) + 1
    num_id = max(_ids(numbering.iterchildren(qn("w:num")), "w:numId"), default=0) + 1
    nsid = hashlib.sha1(f"{name}:{abstract_id}".encode()).hexdigest()[:8].upper()
    parts = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
             f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="multilevel"/>'
             f'<w:name w:val="{_attr(name)}"/>']
    for i, level in enumerate(levels):
        style = f'<w:pStyle w:val="{_attr(level.style_id)}"/>' if level.style_id else ""
        font = ""
        if level.format == "bullet":
            font = '<w:rPr><w:rFonts w:hint="default"/></w:rPr>'
        parts.append(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{level.format}"/>'
            f'{style}<w:lvlText w:val="{_attr(level.text)}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{level.left}"/></w:tabs>'
            f'<w:ind w:left="{level.left}" w:hanging="{level.hanging}"/></w:pPr>{font}'
            '</w:lvl>')
    parts.append("</w:abstractNum>")
    abstract = parse_xml("".join(parts))
    existing = list(numbering.iterchildren(qn("w:abstractNum")))
    if existing:
        existing[-1].addnext(abstract)
    else:
        first = next(iter(numbering.iterchildren(qn("w:num"), qn("w:numIdMacAtCleanup"))),
                     None)
        if first is not None:
            first.addprevious(abstract)
        else:
            numbering.append(abstract)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                    f'<w:abstractNumId w:val="{abstract_id}"/></w:num>')
    cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(num)
    else:
        numbering.append(num)
    return num_id


def _ids(elements, attr: str) -> list[int]:
    values = (el.get(qn(attr)) or "" for el in elements)
    return [int(v) for v in values if v.isdigit()]


def list_definition(numbering, num_id: int):
    """The ``w:abstractNum`` that list instance ``num_id`` uses, or ``None``."""
    for num in numbering.iterchildren(qn("w:num")):
        if num.get(qn("w:numId")) == str(num_id):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                return None
            for abstract in numbering.iterchildren(qn("w:abstractNum")):
                if abstract.get(qn("w:abstractNumId")) == ref.get(qn("w:val")):
                    return abstract
    return None


def list_levels(numbering, num_id: int) -> list[tuple[str, str]]:
    """``(numFmt, lvlText)`` of each level of a list instance (empty if unknown)."""
    abstract = list_definition(numbering, num_id)
    if abstract is None:
        return []
    levels = []
    for lvl in abstract.iterchildren(qn("w:lvl")):
        fmt = lvl.find(qn("w:numFmt"))
        text = lvl.find(qn("w:lvlText"))
        levels.append((fmt.get(qn("w:val")) if fmt is not None else "decimal",
                       text.get(qn("w:val")) if text is not None else ""))
    return levels


def copy_list(target, source, num_id: int, style_ids: dict[str, str]) -> int | None:
    """Copy list instance ``num_id`` of the ``source`` numbering element, with its
    definition, into ``target``; return the new instance id. ``style_ids`` maps the
    source's style ids to the target's, for the levels linked to styles."""
    abstract = list_definition(source, num_id)
    if abstract is None:
        return None
    levels = []
    for lvl in abstract.iterchildren(qn("w:lvl")):
        fmt = lvl.find(qn("w:numFmt"))
        text = lvl.find(qn("w:lvlText"))
        ind = lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        pstyle = lvl.find(qn("w:pStyle"))
        levels.append(Level(
            fmt.get(qn("w:val")) if fmt is not None else "decimal",
            text.get(qn("w:val")) if text is not None else "",
            int(ind.get(qn("w:left"), "0")) if ind is not None else 0,
            int(ind.get(qn("w:hanging"), "0")) if ind is not None else 0,
            style_ids.get(pstyle.get(qn("w:val"))) if pstyle is not None else None))
    name = abstract.find(qn("w:name"))
    return add_list(target, name.get(qn("w:val")) if name is not None else "gfmdreport",
                    levels)


def link_list_level(numbering, num_id: int, level: int, style_id_: str) -> None:
    """Link a list level back to the paragraph style that uses it (``w:pStyle``)."""
    abstract = list_definition(numbering, num_id)
    if abstract is None:
        return
    for lvl in abstract.iterchildren(qn("w:lvl")):
        if lvl.get(qn("w:ilvl")) == str(level):
            pstyle = lvl.find(qn("w:pStyle"))
            if pstyle is None:
                pstyle = OxmlElement("w:pStyle")
                _insert_before(lvl, pstyle, ("w:isLgl", "w:suff", "w:lvlText",
                                             "w:lvlPicBulletId", "w:legacy", "w:lvlJc",
                                             "w:pPr", "w:rPr"))
            pstyle.set(qn("w:val"), style_id_)


# ---- body -------------------------------------------------------------------------------

def clear_body(body) -> None:
    """Remove the body's content, keeping the final section properties."""
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def set_paragraph_style(p, style_id_: str) -> None:
    p.get_or_add_pPr().style = style_id_


def _set_num_pr(ppr, num_id: int, level: int | None) -> None:
    num_pr = ppr.get_or_add_numPr()
    for child in list(num_pr):
        num_pr.remove(child)
    if level is not None:
        num_pr.append(_val("w:ilvl", level))
    num_pr.append(_val("w:numId", num_id))


_P, _PPR, _PSTYLE, _NUMPR, _ILVL, _NUMID = (qn(t) for t in (
    "w:p", "w:pPr", "w:pStyle", "w:numPr", "w:ilvl", "w:numId"))
_R, _RPR, _RSTYLE, _B, _I, _T, _TAB, _BR = (qn(t) for t in (
    "w:r", "w:rPr", "w:rStyle", "w:b", "w:i", "w:t", "w:tab", "w:br"))
_VAL = qn("w:val")
_TBL = qn("w:tbl")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_SPLIT = re.compile(r"(\t|\n)")


def add_paragraph(parent, style_id_: str, num_id: int | None = None, level: int = 0,
                  before=None):
    """Append a paragraph of style ``style_id_`` (an item of list ``num_id`` at
    ``level`` when given) to ``parent`` (a table cell), or insert it before ``before``
    (the body's section properties)."""
    p = _paragraph_prototype(style_id_, num_id, level).__copy__()
    if before is not None:
        before.addprevious(p)
    else:
        parent.append(p)
    return p


# Copying a prototype element (lxml's __copy__ is a deep copy) is several times faster
# than building it element by element.
@lru_cache(maxsize=512)
def _paragraph_prototype(style_id_: str, num_id: int | None, level: int):
    p = OxmlElement("w:p")
    ppr = etree.SubElement(p, _PPR)
    etree.SubElement(ppr, _PSTYLE, {_VAL: style_id_})
    if num_id is not None:
        num_pr = etree.SubElement(ppr, _NUMPR)
        etree.SubElement(num_pr, _ILVL, {_VAL: str(level)})
        etree.SubElement(num_pr, _NUMID, {_VAL: str(num_id)})
    return p


def add_run(parent, text: str = "", *, bold: bool = False, italic: bool = False,
            style_id_: str | None = None, line_break: bool = False):
    """Append a run to a paragraph or hyperlink: ``text`` (tabs and newlines become
    ``w:tab`` and ``w:br``), or a line break."""
    if line_break or "\t" in text or "\n" in text or not text:
        r = _run_prototype(bold, italic, style_id_, None).__copy__()
        if line_break:
            etree.SubElement(r, _BR)
        for piece in _TEXT_SPLIT.split(text) if text else ():
            if piece == "\t":
                etree.SubElement(r, _TAB)
            elif piece == "\n":
                etree.SubElement(r, _BR)
            elif piece:
                t = etree.SubElement(r, _T)
                t.text = piece
                if piece[0] == " " or piece[-1] == " ":
                    t.set(_XML_SPACE, "preserve")
    else:
        r = _run_prototype(bold, italic, style_id_,
                           text[0] == " " or text[-1] == " ").__copy__()
        r[-1].text = text
    parent.append(r)
    return r


@lru_cache(maxsize=64)
def _run_prototype(bold: bool, italic: bool, style_id_: str | None, spaced: bool | None):
    """A run with its properties and, unless ``spaced`` is ``None``, an empty ``w:t``
    (keeping its edge spaces when ``spaced``)."""
    r = OxmlElement("w:r")
    if style_id_ or bold or italic:
        rpr = etree.SubElement(r, _RPR)
        if style_id_:
            etree.SubElement(rpr, _RSTYLE, {_VAL: style_id_})
        if bold:
            etree.SubElement(rpr, _B)
        if italic:
            etree.SubElement(rpr, _I)
    if spaced is not None:
        t = etree.SubElement(r, _T)
        if spaced:
            t.set(_XML_SPACE, "preserve")
    return r


def add_hyperlink(p, *, r_id: str | None = None, anchor: str | None = None):
    """Append a ``w:hyperlink`` (external through relationship ``r_id``, or to a bookmark
    ``anchor``) to paragraph ``p`` and return it, to receive runs."""
    link = etree.SubElement(p, qn("w:hyperlink"))
    if r_id:
        link.set(qn("r:id"), r_id)
    if anchor:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    return link


def add_field(p, instruction: str, result: str) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES`` …) with its cached result."""
    p.append(_fld_char("begin"))
    p.append(_instr(instruction))
    p.append(_fld_char("separate"))
    if result:
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = result
        r.append(t)
        p.append(r)
    p.append(_fld_char("end"))


def _fld_char(kind: str):
    r = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    r.append(fld)
    return r


def _instr(instruction: str):
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    r.append(instr)
    return r


def table_of_contents(body, heading: str, entries: Sequence[tuple[str | None, str]], *,
                      heading_style: str, levels: int) -> None:
    """Append a table of contents: a ``TOC`` field in a content control, marked to be
    refreshed on opening, with ``entries`` (entry style id, text) as its provisional
    result, and an empty paragraph to part it from the text."""
    sdt = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj>'
        '<w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
        '</w:sdtPr><w:sdtContent/></w:sdt>')
    content = sdt[1]
    add_run(add_paragraph(content, heading_style), heading)
    paragraphs = []
    for style, text in list(entries) or [(None, "")]:
        p = etree.SubElement(content, _P)
        if style:
            etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE, {_VAL: style})
        paragraphs.append((p, text))
    first, last = paragraphs[0][0], paragraphs[-1][0]
    first.append(_fld_char("begin"))
    first[-1][0].set(qn("w:dirty"), "true")
    first.append(_instr(f'TOC \\o "1-{levels}" \\h \\z \\u'))
    first.append(_fld_char("separate"))
    for p, text in paragraphs:
        add_run(p, text)
    last.append(_fld_char("end"))
    etree.SubElement(content, _P)
    append_block(body, sdt)


def set_update_fields(settings) -> None:
    """Ask Word to refresh the fields (the table of contents) when the file is opened."""
    el = settings.find(qn("w:updateFields"))
    if el is None:
        el = OxmlElement("w:updateFields")
        _insert_before(settings, el, _SETTINGS_AFTER_UPDATE_FIELDS)
    el.set(qn("w:val"), "true")


# ---- tables -----------------------------------------------------------------------------

def new_table(style_id_: str, widths: Sequence[int], body_rows: int):
    """A table of style ``style_id_`` with fixed column widths (twips) filling the text
    area, the style's first-row formatting on, a header row that repeats on every page
    and ``body_rows`` rows; no row splits across pages. Cells are empty: each needs at
    least one paragraph."""
    return _table_prototype(style_id_, tuple(widths), body_rows).__copy__()


@lru_cache(maxsize=64)
def _table_prototype(style_id_: str, widths: tuple[int, ...], body_rows: int):
    cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr></w:tc>'
                    for w in widths)
    header = f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>"
    body = f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>" * body_rows
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{_attr(style_id_)}"/>'
        '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid>{grid}</w:tblGrid>{header}{body}</w:tbl>')


def text_area(sect_pr) -> tuple[int, int]:
    """Width and height (twips) of the text area of a section."""
    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))

    def get(el, attr: str, default: int) -> int:
        try:
            return int(el.get(qn(attr))) if el is not None and el.get(qn(attr)) else default
        except ValueError:
            return default

    width = get(size, "w:w", 11906) - get(margins, "w:left", 1440) - \
        get(margins, "w:right", 1440) - get(margins, "w:gutter", 0)
    height = get(size, "w:h", 16838) - abs(get(margins, "w:top", 1440)) - \
        abs(get(margins, "w:bottom", 1440))
    return max(width, 1440), max(height, 1440)


# ---- the model part -----------------------------------------------------------------------

def body_digest(body) -> str:
    """``sha256:`` of the body's text, one line per paragraph (in the body and its tables,
    in document order), leaving out body-level content controls (the table of contents,
    which Word refreshes). A DOCX reader compares it with the digest stored beside the
    model to tell whether the text was edited since."""
    h = hashlib.sha256()
    for child in body:
        if child.tag == _P:
            paragraphs = (child,)
        elif child.tag == _TBL:
            paragraphs = child.iter(_P)
        else:
            continue
        for p in paragraphs:
            h.update("".join([t.text or "" for t in p.iter(_T)]).encode("utf-8"))
            h.update(b"\n")
    return "sha256:" + h.hexdigest()


def model_part_xml(model_json: str, digest: str, generator: str) -> bytes:
    """The custom XML part holding the model: the interchange JSON, and the digest of the
    text it was rendered to."""
    root = parse_xml(f'<gfmd:summary xmlns:gfmd="{MODEL_NS}"/>')
    root.set("version", "1")
    root.set("generator", generator)
    root.set("digest", digest)
    root.set("format", "application/json")
    root.text = model_json
    return _serialize(root)


def model_props_xml(model_json: str) -> bytes:
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, MODEL_NS + model_json)).upper() + "}"
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            + f'<ds:datastoreItem ds:itemID="{item_id}" xmlns:ds="{DS_NS}"><ds:schemaRefs>'
              f'<ds:schemaRef ds:uri="{MODEL_NS}"/></ds:schemaRefs></ds:datastoreItem>'
            .encode())


def is_model_part(blob: bytes) -> bool:
    return MODEL_NS.encode() in blob[:400]


def read_model_part(blob: bytes) -> tuple[str, str]:
    """The JSON text and the digest stored in a model part."""
    root = etree.fromstring(blob)
    if root.tag != f"{{{MODEL_NS}}}summary":
        raise ValueError("not a gfmdreport model part")
    return root.text or "", root.get("digest", "")


# ---- core properties ---------------------------------------------------------------------

def reset_core_properties(core) -> None:
    """Drop every core property a template carried (its title, author, dates …)."""
    for child in list(core):
        core.remove(child)


# ---- helpers ------------------------------------------------------------------------------

def _val(tag: str, value: object):
    el = OxmlElement(tag)
    el.set(qn("w:val"), str(value))
    return el


def _insert_before(parent, child, successors: Sequence[str]) -> None:
    tags = {qn(s) for s in successors}
    for existing in parent:
        if existing.tag in tags:
            existing.addprevious(child)
            return
    parent.append(child)


def _attr(value: str | None) -> str:
    return (value or "").replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
