"""Independent parsers for writers' output, one per media type.

Each parser checks that the bytes are what the media type says (it raises
:class:`NotAccepted` otherwise) and returns the document's text, so that a check can
look for every block of the summary in it. A parser is *faithful* when the text of
every block is expected to appear exactly (after white space is collapsed); otherwise
(PDF) only each block's first words are looked for.

Register a parser for another media type with :func:`register_parser`, or give
``parse=`` to :func:`gfmdreport.testing.check_writer`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass


class NotAccepted(Exception):
    """The output is not a valid document of its media type."""


class ParserMissing(Exception):
    """The program or library a parser needs is not installed."""


@dataclass(frozen=True)
class MediaParser:
    media_type: str
    parse: Callable[[bytes], str]
    """``parse(data) -> text``; raises :class:`NotAccepted` for invalid data."""
    faithful: bool = True
    description: str = ""


_PARSERS: dict[str, MediaParser] = {}


def register_parser(media_type: str, parse: Callable[[bytes], str], *, faithful: bool = True,
                    description: str = "") -> MediaParser:
    """Make ``parse`` the parser for ``media_type`` (replacing any other)."""
    parser = MediaParser(media_type, parse, faithful, description)
    _PARSERS[media_type.lower()] = parser
    return parser


def parser_for(media_type: str) -> MediaParser | None:
    """The parser for a media type: exact match, then ``+xml``/``+json`` suffixes, then
    any ``text/*`` as UTF-8 text."""
    base = media_type.split(";", 1)[0].strip().lower()
    if base in _PARSERS:
        return _PARSERS[base]
    for suffix, generic in (("+xml", "application/xml"), ("+json", "application/json")):
        if base.endswith(suffix):
            return _PARSERS[generic]
    if base.startswith("text/"):
        return _PARSERS["text/plain"]
    return None


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotAccepted(f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") \
            from None


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)] if value is not None else []


def parse_text(data: bytes) -> str:
    return _utf8(data)


def parse_json(data: bytes) -> str:
    def no_constants(name: str) -> None:
        raise NotAccepted(f"{name} is not JSON")

    try:
        value = json.loads(_utf8(data), parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise NotAccepted(f"invalid JSON at line {exc.lineno}, column {exc.colno}: "
                          f"{exc.msg}") from None
    return "\n".join(_strings(value))


def parse_yaml(data: bytes) -> str:
    import yaml

    try:
        documents = list(yaml.safe_load_all(_utf8(data)))
    except yaml.YAMLError as exc:
        raise NotAccepted(f"invalid YAML: {exc}") from None
    return "\n".join(_strings(documents))


def parse_markdown(data: bytes) -> str:
    from markdown_it import MarkdownIt

    parts = []
    for token in MarkdownIt("commonmark").parse(_utf8(data)):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append("\n")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
    return "".join(parts)


def parse_xml(data: bytes) -> str:
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise NotAccepted(f"not well-formed XML at line {line}, column {column + 1}: "
                          f"{exc}") from None
    return "".join(root.itertext())


def parse_html(data: bytes) -> str:
    """HTML5, with html5lib's spec parser in strict mode when it is installed (every
    parse error is a failure), the standard library's tolerant parser otherwise."""
    text = _utf8(data)
    try:
        import html5lib
    except ImportError:
        html5lib = None
    if html5lib is not None:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            tree = parser.parse(text)
        except html5lib.html5parser.ParseError as exc:
            raise NotAccepted(f"HTML parse error: {exc}") from None
        return "".join(tree.itertext())
    from html.parser import HTMLParser

    parts: list[str] = []

    class Collect(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    collector = Collect(convert_charrefs=True)
    collector.feed(text)
    collector.close()
    if "<" not in text:
        raise NotAccepted("no HTML markup in the output")
    return "".join(parts)


def parse_docx(data: bytes) -> str:
    """Opened with python-docx; every XML part must be well-formed; the text of the
    body's paragraphs and tables (nested ones included)."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
            if bad:
                raise NotAccepted(f"the zip entry {bad} is damaged")
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                raise NotAccepted("no [Content_Types].xml: not an OOXML package")
            for name in names:
                if name.endswith((".xml", ".rels")):
                    try:
                        ElementTree.fromstring(archive.read(name))
                    except ElementTree.ParseError as exc:
                        raise NotAccepted(f"part {name} is not well-formed XML: {exc}") \
                            from None
    except zipfile.BadZipFile as exc:
        raise NotAccepted(f"not a zip package: {exc}") from None
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise NotAccepted(f"python-docx cannot open it: {type(exc).__name__}: {exc}") \
            from None
    parts: list[str] = []

    def walk(container) -> None:
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)
            else:
                parts.append(block.text)

    walk(document)
    return "\n".join(parts)


def pdftotext_program() -> str | None:
    return shutil.which("pdftotext")


def parse_pdf(data: bytes) -> str:
    """Checked and read by poppler's ``pdftotext``: any syntax error it reports, or a
    failure to open, is a failure."""
    if not data.startswith(b"%PDF-"):
        raise NotAccepted("does not start with %PDF-")
    if b"%%EOF" not in data[-1024:]:
        raise NotAccepted("no %%EOF at the end: truncated")
    program = pdftotext_program()
    if program is None:
        raise ParserMissing("pdftotext (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="gfmdreport-kit-") as folder:
        path = os.path.join(folder, "output.pdf")
        with open(path, "wb") as fh:
            fh.write(data)
        result = subprocess.run([program, "-enc", "UTF-8", path, "-"], capture_output=True,
                                timeout=120)
    errors = [line for line in result.stderr.decode("utf-8", "replace").splitlines()
              if "error" in line.lower()]
    if result.returncode != 0 or errors:
        raise NotAccepted("pdftotext: " + ("; ".join(errors[:3]) or
                                           f"exit status {result.returncode}"))
    return result.stdout.decode("utf-8", "replace")


register_parser("text/plain", parse_text, description="UTF-8 text")
register_parser("text/markdown", parse_markdown, description="CommonMark (markdown-it-py)")
register_parser("application/json", parse_json, description="JSON (strict, no NaN)")
register_parser("application/yaml", parse_yaml, description="YAML (safe loader)")
register_parser("application/xml", parse_xml, description="XML (well-formed, expat)")
register_parser("text/xml", parse_xml, description="XML (well-formed, expat)")
register_parser("text/html", parse_html, description="HTML5 (html5lib, strict)")
register_parser("application/xhtml+xml", parse_xml, description="XHTML (well-formed XML)")
register_parser("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                parse_docx, description="DOCX (python-docx, every part well-formed)")
register_parser("application/pdf", parse_pdf, faithful=False,
                description="PDF (poppler pdftotext)")
