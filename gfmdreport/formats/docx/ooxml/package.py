"""The OPC package of a Word document: its ZIP members, content types, relationships and
part names, opened safely and written deterministically.

A DOCX is a ZIP archive of XML parts. Before one is read (:func:`open_package`), this
module makes sure that it is one, that unpacking it stays within limits (a "zip bomb" is
refused from the sizes its directory declares, and no part is ever unpacked past its
declared size), that no part declares a document type or entities (which are never
expanded), and that no relationship points outside the package except hyperlinks
(nothing is ever fetched). Each refusal is one :class:`~gfmdreport.InputError` saying
what the file is and what to do.

A reference document for the writer (:func:`usable_package`) passes the same size limit
and must parse safely; it may point outside itself (Word's attached template), since
python-docx follows no external relationship.
"""

from __future__ import annotations

import copy
import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import NamedTuple
from urllib.parse import unquote

from lxml import etree

from gfmdreport import limits
from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.formats.docx.ooxml.ns import CT_DOCUMENT
from gfmdreport.formats.docx.ooxml.ns import CT_MACRO
from gfmdreport.formats.docx.ooxml.ns import CT_NS
from gfmdreport.formats.docx.ooxml.ns import CT_TEMPLATE
from gfmdreport.formats.docx.ooxml.ns import PR_NS
from gfmdreport.formats.docx.ooxml.ns import RT_HYPERLINK
from gfmdreport.formats.docx.ooxml.ns import RT_OFFICE_DOCUMENT
from gfmdreport.formats.docx.ooxml.ns import WORD_TYPES

MAX_MEMBERS = 5000
"""A package with more members than this is refused (Word writes a few dozen)."""
MAX_PART = 64 * 2**20
"""An XML part that unpacks to more than this is refused."""
PROLOG_BYTES = 4096
"""How much of each XML part is searched for a document type declaration."""

CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of a legacy Office (OLE compound) file: .doc, .xls, or an encrypted .docx."""
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
              struct.error, NotImplementedError, zlib.error)
"""What :mod:`zipfile` raises on a damaged archive (``RuntimeError`` is an encrypted
member)."""

_OTHER_OFFICE = {
    "spreadsheetml": "an Excel workbook (.xlsx)",
    "presentationml": "a PowerPoint presentation (.pptx)",
    "ms-excel": "an Excel workbook",
    "ms-powerpoint": "a PowerPoint presentation",
}
HINT = "give a .docx saved by Word or LibreOffice"
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


def rels_source(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word/document.xml``; ``_rels/.rels`` → ``""``."""
    folder, _, file = rels_name.rpartition("/")
    parent = folder.rpartition("/")[0] if folder.endswith("_rels") else folder
    source = file[:-len(".rels")]
    return f"{parent}/{source}" if parent else source


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


def content_type_overrides(root) -> dict[str, str]:
    """The content types the ``[Content_Types].xml`` root names part by part."""
    return {el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
            for el in root.iter(_CT_OVERRIDE)}


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

SAFE_PARSING = {"resolve_entities": False, "no_network": True, "load_dtd": False,
                "dtd_validation": False, "huge_tree": False, "remove_comments": True,
                "remove_pis": True}
"""How untrusted parts are parsed: no entity expanded, no DTD loaded, nothing fetched
(for :class:`lxml.etree.XMLParser` and :func:`lxml.etree.iterparse` alike)."""


def safe_parser() -> etree.XMLParser:
    """A parser for untrusted parts (:data:`SAFE_PARSING`). (A new one each time: lxml
    parsers are not shared between threads.)"""
    return etree.XMLParser(**SAFE_PARSING)


def serialize(element) -> bytes:
    """A part's bytes, as Word writes them: UTF-8, standalone."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse_part(blob: bytes, name: str, path: str | None):
    """Parse a part of a document being read: no document type, no entity expanded, no
    network, no DTD loaded."""
    try:
        root = etree.fromstring(blob, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError.single("docx-package", f"the part {name} is not well-formed XML "
                                f"({_reason(exc)})", Location(path), _RESAVE) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputError.single("docx-package", f"the part {name} declares a document type "
                                "or entities, which Word never writes; refused",
                                Location(path), "save the document again from Word")
    return root


# ---- a package opened for reading -------------------------------------------------------------

@dataclass
class Package:
    """The parts of a Word package that reading its text needs, unpacked and checked."""

    path: str | None
    main: str
    """Zip name of the main document part (``word/document.xml``)."""
    names: set[str]
    zf: zipfile.ZipFile
    rels: dict[str, list[Relationship]] = field(default_factory=dict)
    """Each part's relationships."""

    def where(self) -> Location:
        return Location(self.path)

    def read(self, name: str) -> bytes:
        """A member's bytes, never more than it declares nor than :data:`MAX_PART`."""
        info = self.zf.getinfo(name)
        if info.file_size > MAX_PART:
            raise self.error(f"the part {name} unpacks to {info.file_size / 2**20:,.0f} MB, "
                             f"over the limit of {MAX_PART // 2**20} MB")
        return self._unpack(info, MAX_PART + 1)

    def _unpack(self, info: zipfile.ZipInfo, size: int) -> bytes:
        try:
            with self.zf.open(info) as fh:
                return fh.read(size)
        except ZIP_ERRORS as exc:
            raise self.error(f"the part {info.filename} is damaged ({_reason(exc)})",
                             _RESAVE) from None
        except RuntimeError as exc:  # an encrypted member
            raise self.error(f"the part {info.filename} cannot be read "
                             f"({_reason(exc)})") from None

    def xml(self, name: str):
        """A part parsed as XML, safely (see :func:`parse_part`)."""
        return parse_part(self.read(name), name, self.path)

    def related(self, source: str, reltype: str) -> list[str]:
        """The parts ``source`` relates to with ``reltype`` (internal targets only)."""
        return [target for _id, kind, target, external in self.rels.get(source, ())
                if kind == reltype and not external and target in self.names]

    def targets(self, source: str) -> dict[str, tuple[str, str, bool]]:
        """``source``'s relationships by id: ``(type, target, external)``."""
        return {r_id: (kind, target, external)
                for r_id, kind, target, external in self.rels.get(source, ())}

    def error(self, message: str, hint: str | None = HINT) -> InputError:
        return InputError.single("docx-package", message, self.where(), hint)


def open_package(data: bytes, path: str | None) -> Package:
    """Check that ``data`` is a Word document that can be read safely and open it.

    Raises :class:`~gfmdreport.InputError` (rule ``docx-package``) saying what is wrong.
    """
    where = Location(path)

    def refuse(message: str, hint: str | None = HINT) -> InputError:
        return InputError.single("docx-package", message, where, hint)

    if data.startswith(OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data or \
                "EncryptionInfo".encode("utf-16-le") in data:
            raise refuse("the document is password-protected (encrypted), so its "
                         "text cannot be read",
                         "remove the password in Word (File ▸ Info ▸ Protect Document "
                         "▸ Encrypt with Password), save, and read it again")
        raise refuse("this is a Word 97-2003 file (.doc) or another legacy Office "
                     "file, not a .docx",
                     "open it in Word or LibreOffice and save it as .docx")
    if not data.startswith(b"PK"):
        raise refuse(f"not a Word document (.docx): {_what(data)}", _hint_for(data))
    count = _declared_members(data)
    if count is not None and count > MAX_MEMBERS:
        raise refuse(f"the package has {count:,} members, more than the "
                     f"{MAX_MEMBERS:,} a Word document could have")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS as exc:
        raise refuse(f"the ZIP package is damaged ({_reason(exc)})", _RESAVE) from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(f"the package has {len(infos):,} members, more than the "
                     f"{MAX_MEMBERS:,} a Word document could have")
    if any(not info.filename for info in infos):
        raise refuse("the ZIP package is damaged (a member has no name)", _RESAVE)
    if any(info.flag_bits & 0x1 for info in infos):
        raise refuse("the ZIP package is encrypted (password-protected), so its "
                     "text cannot be read",
                     "save the document again without a password")
    found = _over_size_limit(infos, "the package would unpack to", where)
    if found is not None:
        raise InputError([replace(found, message=found.message +
                                  " (a damaged file, or a ZIP bomb)")])
    names = {info.filename for info in infos if not info.is_dir()}
    if "mimetype" in names and CONTENT_TYPES not in names:
        raise refuse("this is an OpenDocument file (.odt), not a .docx",
                     "open it in LibreOffice and save it as Word (.docx)")
    if CONTENT_TYPES not in names:
        raise refuse("a ZIP archive, but not a Word document: it has no "
                     "[Content_Types].xml")
    package = Package(path, "", names, zf)
    for name in sorted(names):
        if name.endswith((".xml", ".rels")):
            _check_prolog(package, name)
    for name in sorted(n for n in names if n.endswith(".rels")):
        source = rels_source(name)
        package.rels[source] = read_relationships(package.xml(name), source)
    package.main = _main_part(package)
    _check_external(package)
    return package


def _over_size_limit(infos: Iterable[zipfile.ZipInfo], what: str,
                     where: Location | None = None):
    """The error for a package whose members would unpack to more than the DOCX unpacked
    size limit (from the sizes its directory declares), or ``None``."""
    total = sum(info.file_size for info in infos)
    limit = limits.DOCX_BYTES.value()
    return limits.DOCX_BYTES.diagnostic(total, what, where, limit) if total > limit else None


def _what(data: bytes) -> str:
    head = data[:512].lstrip()
    if head.startswith(b"%PDF"):
        return "it is a PDF"
    if head.startswith(b"{\\rtf"):
        return "it is an RTF document"
    if head[:200].lower().startswith((b"<!doctype html", b"<html")):
        return "it is a web page (HTML)"
    if head.startswith(b"<?xml"):
        return "it is an XML file, not a ZIP package"
    return "it is not a ZIP package"


def _hint_for(data: bytes) -> str:
    head = data[:512].lstrip()
    if head.startswith(b"%PDF"):
        return ("extract its text with 'pdftotext -layout' and read that with the text "
                "reader (-f text)")
    if head.startswith(b"{\\rtf"):
        return "open it in Word or LibreOffice and save it as .docx"
    return HINT


def _declared_members(data: bytes) -> int | None:
    """The member count the end-of-directory record declares, read before the directory
    itself is parsed (``None`` when there is no such record, or it says 0xFFFF)."""
    tail = data[-(22 + 0xFFFF):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    count = struct.unpack("<H", tail[at + 10:at + 12])[0]
    return None if count == 0xFFFF else count


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _check_prolog(package: Package, name: str) -> None:
    """Refuse a part that declares a document type (and so possibly entities)."""
    head = package._unpack(package.zf.getinfo(name), PROLOG_BYTES)
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        if marker in head or marker.decode().encode("utf-16-le") in head or \
                marker.decode().encode("utf-16-be") in head:
            raise package.error(
                f"the part {name} declares a document type or entities (<!DOCTYPE …>), "
                "which Word never writes; refused, since entities could expand or point "
                "to other files", "save the document again from Word or LibreOffice")


def _main_part(package: Package) -> str:
    overrides = content_type_overrides(package.xml(CONTENT_TYPES))
    mains = package.related("", RT_OFFICE_DOCUMENT)
    if not mains:
        raise package.error("a ZIP archive, but not a Word document: it names no main "
                            "document part")
    main = mains[0]
    kind = overrides.get(main, "")
    if kind not in WORD_TYPES:
        other = next((label for key, label in _OTHER_OFFICE.items() if key in kind), None)
        raise package.error(f"not a Word document: this is {other}" if other else
                            f"not a Word document: its main part is {kind or 'of no type'}")
    return main


def _check_external(package: Package) -> None:
    """Refuse relationships to anything outside the package but hyperlinks (which are
    read as link targets and never followed)."""
    for source, rels in sorted(package.rels.items()):
        for _id, kind, target, external in rels:
            if external and kind != RT_HYPERLINK:
                what = kind.rsplit("/", 1)[-1] or "unknown"
                part = source or "the package"
                shown = target if len(target) <= 80 else target[:79] + "…"
                raise package.error(
                    f"{part} has an external relationship ({what} → {shown}); documents "
                    "that point outside themselves are refused, and nothing is fetched",
                    "detach the template or unlink the picture or file it names in Word, "
                    "save, and read it again")


# ---- a reference document for the writer ------------------------------------------------------

class PackageProblem(Exception):
    """A file is not a Word package we can use: ``str()`` says why, ``hint`` what to do."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def usable_package(data: bytes) -> bytes:
    """Check that ``data`` is a Word document or template and return it in a form
    python-docx opens (a template's main part is relabelled as a document's).

    Raises :class:`PackageProblem` saying what the file is instead.
    """
    hint = ("give a .docx or .dotx saved by Word or LibreOffice, or start from "
            "'gfmdreport docx-template -o reference.docx'")
    if data.startswith(OLE_SIGNATURE):
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
