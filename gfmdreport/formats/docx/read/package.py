"""Opening a Word package safely: the checks made before any of its XML is read.

A DOCX is a ZIP archive of XML parts. Before reading one, this module makes sure that it
is one, that unpacking it stays within limits (a "zip bomb" is refused from the sizes
its directory declares, and no part is ever unpacked past its declared size), that no
part declares a document type or entities (which are never expanded), and that no
relationship points outside the package except hyperlinks (nothing is ever fetched).
Each refusal is one :class:`~gfmdreport.InputError` saying what the file is and what to do.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from lxml import etree

from gfmdreport import limits
from gfmdreport.diagnostics import InputError, Location

MAX_MEMBERS = 5000
"""A package with more members than this is refused (Word writes a few dozen)."""
MAX_UNPACKED = limits.DOCX_BYTES.default
"""A package whose members unpack to more than this, in all, is refused (the DOCX
unpacked size limit: ``GFMDREPORT_MAX_DOCX_BYTES`` changes it)."""
MAX_PART = 64 * 2**20
"""An XML part that unpacks to more than this is refused."""
PROLOG_BYTES = 4096
"""How much of each XML part is searched for a document type declaration."""

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_STYLES = _RT + "styles"
RT_NUMBERING = _RT + "numbering"
RT_HYPERLINK = _RT + "hyperlink"
RT_CUSTOM_XML = _RT + "customXml"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/" \
    "core-properties"

WORD_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_OTHER_OFFICE = {
    "spreadsheetml": "an Excel workbook (.xlsx)",
    "presentationml": "a PowerPoint presentation (.pptx)",
    "ms-excel": "an Excel workbook",
    "ms-powerpoint": "a PowerPoint presentation",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HINT = "give a .docx saved by Word or LibreOffice"


@dataclass
class Package:
    """The parts of a Word package that reading its text needs, unpacked and checked."""

    path: str | None
    main: str
    """Zip name of the main document part (``word/document.xml``)."""
    names: set[str]
    zf: zipfile.ZipFile
    rels: dict[str, list[tuple[str, str, str, bool]]] = field(default_factory=dict)
    """Each part's relationships: ``(id, type, target, external)``."""

    def where(self) -> Location:
        return Location(self.path)

    def read(self, name: str) -> bytes:
        """A member's bytes, never more than it declares nor than :data:`MAX_PART`."""
        info = self.zf.getinfo(name)
        if info.file_size > MAX_PART:
            raise self.error(f"the part {name} unpacks to {info.file_size / 2**20:,.0f} MB, "
                             f"over the limit of {MAX_PART // 2**20} MB")
        try:
            with self.zf.open(info) as fh:
                return fh.read(MAX_PART + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
                NotImplementedError, zlib.error) as exc:
            raise self.error(f"the part {name} is damaged ({_reason(exc)})",
                             "open it in Word or LibreOffice and save it again") from None
        except RuntimeError as exc:  # an encrypted member
            raise self.error(f"the part {name} cannot be read ({_reason(exc)})") from None

    def xml(self, name: str):
        """A part parsed as XML, safely (see :func:`parse_xml`)."""
        return parse_xml(self.read(name), name, self.path)

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

    if data.startswith(_OLE):
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
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            struct.error, NotImplementedError) as exc:
        raise refuse(f"the ZIP package is damaged ({_reason(exc)})",
                     "open it in Word or LibreOffice and save it again") from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(f"the package has {len(infos):,} members, more than the "
                     f"{MAX_MEMBERS:,} a Word document could have")
    if any(not info.filename for info in infos):
        raise refuse("the ZIP package is damaged (a member has no name)",
                     "open it in Word or LibreOffice and save it again")
    if any(info.flag_bits & 0x1 for info in infos):
        raise refuse("the ZIP package is encrypted (password-protected), so its "
                     "text cannot be read",
                     "save the document again without a password")
    total = sum(info.file_size for info in infos)
    limit = limits.DOCX_BYTES.value()
    if total > limit:
        found = limits.DOCX_BYTES.diagnostic(total, "the package would unpack to", where,
                                             limit)
        raise InputError([replace(found, message=found.message +
                                  " (a damaged file, or a ZIP bomb)")])
    names = {info.filename for info in infos if not info.is_dir()}
    if "mimetype" in names and "[Content_Types].xml" not in names:
        raise refuse("this is an OpenDocument file (.odt), not a .docx",
                     "open it in LibreOffice and save it as Word (.docx)")
    if "[Content_Types].xml" not in names:
        raise refuse("a ZIP archive, but not a Word document: it has no "
                     "[Content_Types].xml")
    package = Package(path, "", names, zf)
    for name in sorted(names):
        if name.endswith((".xml", ".rels")) or name == "[Content_Types].xml":
            _check_prolog(package, name)
    for name in sorted(n for n in names if n.endswith(".rels")):
        package.rels[_rels_source(name)] = _relationships(package, name)
    package.main = _main_part(package)
    _check_external(package)
    return package


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
    info = package.zf.getinfo(name)
    try:
        with package.zf.open(info) as fh:
            head = fh.read(PROLOG_BYTES)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
            zlib.error) as exc:
        raise package.error(f"the part {name} is damaged ({_reason(exc)})",
                            "open it in Word or LibreOffice and save it again") from None
    except RuntimeError as exc:
        raise package.error(f"the part {name} cannot be read ({_reason(exc)})") from None
    for marker in (b"<!DOCTYPE", b"<!ENTITY"):
        if marker in head or marker.decode().encode("utf-16-le") in head or \
                marker.decode().encode("utf-16-be") in head:
            raise package.error(
                f"the part {name} declares a document type or entities (<!DOCTYPE …>), "
                "which Word never writes; refused, since entities could expand or point "
                "to other files", "save the document again from Word or LibreOffice")


def parse_xml(blob: bytes, name: str, path: str | None):
    """Parse a part: no document type, no entity expanded, no network, no DTD loaded."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError.single("docx-package", f"the part {name} is not well-formed XML "
                                f"({_reason(exc)})", Location(path),
                                "open it in Word or LibreOffice and save it again") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputError.single("docx-package", f"the part {name} declares a document type "
                                "or entities, which Word never writes; refused",
                                Location(path), "save the document again from Word")
    return root


def _rels_source(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word/document.xml``; ``_rels/.rels`` → ``""``."""
    folder, _, file = rels_name.rpartition("/")
    parent = folder.rpartition("/")[0] if folder.endswith("_rels") else folder
    source = file[:-len(".rels")]
    return f"{parent}/{source}" if parent else source


def _relationships(package: Package, name: str) -> list[tuple[str, str, str, bool]]:
    root = package.xml(name)
    source = _rels_source(name)
    base = posixpath.dirname(source)
    found = []
    for rel in root.iter(f"{{{PR_NS}}}Relationship"):
        target = rel.get("Target") or ""
        external = (rel.get("TargetMode") or "").lower() == "external"
        if not external:
            target = resolve(base, unquote(target))
        found.append((rel.get("Id") or "", rel.get("Type") or "", target, external))
    return found


def resolve(folder: str, target: str) -> str:
    """A relationship target relative to ``folder``, as a zip member name."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    joined = posixpath.normpath(posixpath.join(folder, target)) if folder else \
        posixpath.normpath(target)
    return joined.lstrip("/") if not joined.startswith("..") else joined


def _main_part(package: Package) -> str:
    types = package.xml("[Content_Types].xml")
    overrides = {el.get("PartName", "").lstrip("/"): el.get("ContentType", "")
                 for el in types.iter(f"{{{CT_NS}}}Override")}
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
