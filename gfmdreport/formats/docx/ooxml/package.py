"""The OPC package of a Word document: its ZIP members, content types, relationships and
part names, checked before use and written deterministically.

A reference document for the writer (:func:`usable_package`) must be a Word document or
template within the DOCX unpacked size limit whose parts all parse safely (no entity
expanded, nothing fetched).
"""

from __future__ import annotations

import copy
import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote

from lxml import etree

from gfmdreport import limits
from gfmdreport.diagnostics import Location
from gfmdreport.formats.docx.ooxml.ns import (
    CT_DOCUMENT,
    CT_MACRO,
    CT_NS,
    CT_TEMPLATE,
    PR_NS,
    RT_OFFICE_DOCUMENT,
)

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
_RESAVE = "open it in Word or LibreOffice and save it again"
_PR_RELATIONSHIP = f"{{{PR_NS}}}Relationship"
_CT_OVERRIDE = f"{{{CT_NS}}}Override"


# ---- part names and relationships -----------------------------------------------------------

def resolve(folder: str, target: str) -> str:
    """A relationship target relative to ``folder``, as a zip member name."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    joined = posixpath.normpath(posixpath.join(folder, target)) if folder else \
        posixpath.normpath(target)
    return joined.lstrip("/") if not joined.startswith("..") else joined


def rels_part_name(part: str) -> str:
    """``word/document.xml`` → ``word/_rels/document.xml.rels``; ``""`` → ``_rels/.rels``."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


class Relationship(NamedTuple):
    """One relationship of a part; ``target`` is a member name unless ``external``."""

    id: str
    type: str
    target: str
    external: bool


def read_relationships(root, source: str) -> list[Relationship]:
    """The relationships in a relationships part of ``source`` (``""``: the package)."""
    base = posixpath.dirname(source)
    found = []
    for rel in root.iter(_PR_RELATIONSHIP):
        target = rel.get("Target") or ""
        external = (rel.get("TargetMode") or "").lower() == "external"
        if not external:
            target = resolve(base, unquote(target))
        found.append(Relationship(rel.get("Id") or "", rel.get("Type") or "", target,
                                  external))
    return found


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
        etree.SubElement(self.root, _PR_RELATIONSHIP, attrs)
        return r_id


def relationships_element(rels: Sequence[tuple[str, str, str]]):
    """The root of a relationships part: ``(id, type, target)`` each."""
    root = etree.Element(f"{{{PR_NS}}}Relationships", nsmap={None: PR_NS})
    for r_id, reltype, target in rels:
        etree.SubElement(root, _PR_RELATIONSHIP, {"Id": r_id, "Type": reltype,
                                                  "Target": target})
    return root


def relationships_xml(rels: Sequence[tuple[str, str, str]]) -> bytes:
    """A relationships part: ``(id, type, target)`` each."""
    return serialize(relationships_element(rels))


# ---- XML --------------------------------------------------------------------------------

def safe_parser() -> etree.XMLParser:
    """A parser for untrusted parts: no entity expanded, no DTD loaded, nothing fetched.
    (A new one each time: lxml parsers are not shared between threads.)"""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def serialize(element) -> bytes:
    """A part's bytes, as Word writes them: UTF-8, standalone."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---- a reference document for the writer ------------------------------------------------------

class PackageProblem(Exception):
    """A file is not a Word package we can use: ``str()`` says why, ``hint`` what to do."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def _over_size_limit(infos: Iterable[zipfile.ZipInfo], what: str,
                     where: Location | None = None):
    """The error for a package whose members would unpack to more than the DOCX unpacked
    size limit (from the sizes its directory declares), or ``None``."""
    total = sum(info.file_size for info in infos)
    limit = limits.DOCX_BYTES.value()
    return limits.DOCX_BYTES.diagnostic(total, what, where, limit) if total > limit else None


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
            found = _over_size_limit(infos, "the package unpacks to")
            if found is not None:
                raise PackageProblem(found.message, found.hint)
            parts = [(info.filename, zf.read(info)) for info in infos]
    except PackageProblem:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError … from a damaged file
        raise PackageProblem(f"the ZIP package is damaged ({exc})", hint) from None
    names = dict(parts)
    types_xml = names.get(CONTENT_TYPES)
    if types_xml is None:
        raise PackageProblem("not a Word document: the package has no [Content_Types].xml",
                             hint)
    types = _check_part(types_xml, CONTENT_TYPES)
    main = main_part_name(names)
    override = {el.get("PartName"): el for el in types.iter(_CT_OVERRIDE)}.get("/" + main)
    content_type = override.get("ContentType") if override is not None else None
    if content_type in CT_MACRO:
        raise PackageProblem("this is a macro-enabled Word file (.docm/.dotm)",
                             "save a copy as .docx or .dotx, without macros")
    if content_type not in (CT_DOCUMENT, CT_TEMPLATE):
        raise PackageProblem(f"not a Word document: its main part is {content_type or '?'}",
                             hint)
    for name, blob in parts:
        if name.endswith((".xml", ".rels")):
            _check_part(blob, name)
    if content_type == CT_DOCUMENT:
        return data
    override.set("ContentType", CT_DOCUMENT)
    names[CONTENT_TYPES] = serialize(types)
    return write_zip([(name, names[name]) for name, _ in parts])


def _check_part(blob: bytes, name: str):
    try:
        return etree.fromstring(blob, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise PackageProblem(f"its part {name} is not well-formed XML ({exc})",
                             _RESAVE) from None


def main_part_name(names: dict[str, bytes]) -> str:
    """The zip name of the main document part of a package given as its members."""
    rels = names.get(PACKAGE_RELS)
    if rels is None:
        raise PackageProblem("not a Word document: the package has no _rels/.rels")
    for rel in read_relationships(_check_part(rels, PACKAGE_RELS), ""):
        if rel.type == RT_OFFICE_DOCUMENT:
            if rel.target not in names:
                raise PackageProblem(f"not a Word document: its main part {rel.target} "
                                     "is missing")
            return rel.target
    raise PackageProblem("not a Word document: the package names no main document")


# ---- ZIP ----------------------------------------------------------------------------------

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


_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01


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


def write_zip(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A ZIP package of ``parts``, deflated, with fixed timestamps, so that equal parts
    give equal bytes."""
    return zip_bytes([ZipMember.of(name, blob) for name, blob in parts])


def zip_parts(data: bytes) -> list[tuple[str, bytes]]:
    """The members of a ZIP package, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()
                if not info.is_dir()]
