"""The parts of an empty, lean Word package, from which the default template is built:
no styles but the defaults, no lists, one section."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from gfmdreport.formats.docx.ooxml.ns import CT_CORE_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import CT_DOCUMENT
from gfmdreport.formats.docx.ooxml.ns import CT_EXTENDED_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import CT_NS
from gfmdreport.formats.docx.ooxml.ns import CT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import CT_RELATIONSHIPS
from gfmdreport.formats.docx.ooxml.ns import CT_SETTINGS
from gfmdreport.formats.docx.ooxml.ns import CT_STYLES
from gfmdreport.formats.docx.ooxml.ns import CT_XML
from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import RT_CORE_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import RT_EXTENDED_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import RT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import RT_OFFICE_DOCUMENT
from gfmdreport.formats.docx.ooxml.ns import RT_SETTINGS
from gfmdreport.formats.docx.ooxml.ns import RT_STYLES
from gfmdreport.formats.docx.ooxml.package import relationships_element
from gfmdreport.formats.docx.ooxml.schema import element
from gfmdreport.formats.docx.ooxml.schema import sub

_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


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


def skeleton_parts(page: PageSetup, defaults: TextDefaults) -> list[tuple[str, bytes]]:
    """The parts of an empty, lean Word package: no styles but the defaults, no lists.

    ``make_template`` opens it with python-docx and adds the contract's styles.
    """
    return [
        ("[Content_Types].xml", _bytes(_content_types())),
        ("_rels/.rels", _rels([(RT_OFFICE_DOCUMENT, "word/document.xml"),
                               (RT_CORE_PROPERTIES, "docProps/core.xml"),
                               (RT_EXTENDED_PROPERTIES, "docProps/app.xml")])),
        ("word/document.xml", _bytes(_document(page))),
        ("word/_rels/document.xml.rels", _rels([(RT_STYLES, "styles.xml"),
                                                (RT_NUMBERING, "numbering.xml"),
                                                (RT_SETTINGS, "settings.xml")])),
        ("word/styles.xml", _bytes(_styles(defaults))),
        ("word/numbering.xml", _bytes(element("w:numbering"))),
        ("word/settings.xml", _bytes(_settings())),
        ("docProps/core.xml", _bytes(_core())),
        ("docProps/app.xml", _bytes(_app())),
    ]


def _bytes(root) -> bytes:
    return _DECLARATION + etree.tostring(root, encoding="UTF-8")


def _rels(rels: list[tuple[str, str]]) -> bytes:
    return _bytes(relationships_element(
        [(f"rId{i}", reltype, target) for i, (reltype, target) in enumerate(rels, 1)]))


def _content_types():
    types = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    for extension, content_type in (("rels", CT_RELATIONSHIPS), ("xml", CT_XML)):
        etree.SubElement(types, f"{{{CT_NS}}}Default",
                         {"Extension": extension, "ContentType": content_type})
    for name, content_type in (("/word/document.xml", CT_DOCUMENT),
                               ("/word/styles.xml", CT_STYLES),
                               ("/word/numbering.xml", CT_NUMBERING),
                               ("/word/settings.xml", CT_SETTINGS),
                               ("/docProps/core.xml", CT_CORE_PROPERTIES),
                               ("/docProps/app.xml", CT_EXTENDED_PROPERTIES)):
        etree.SubElement(types, f"{{{CT_NS}}}Override",
                         {"PartName": name, "ContentType": content_type})
    return types


def _document(page: PageSetup):
    document = element("w:document", nsmap={"w": NS["w"], "r": NS["r"]})
    sect_pr = sub(sub(document, "w:body"), "w:sectPr")
    sub(sect_pr, "w:pgSz", {"w:w": page.width, "w:h": page.height})
    sub(sect_pr, "w:pgMar", {"w:top": page.top, "w:right": page.right,
                             "w:bottom": page.bottom, "w:left": page.left,
                             "w:header": page.header, "w:footer": page.footer,
                             "w:gutter": 0})
    sub(sect_pr, "w:cols", {"w:space": 708})
    sub(sect_pr, "w:docGrid", {"w:linePitch": 360})
    return document


def _styles(defaults: TextDefaults):
    styles = element("w:styles")
    doc_defaults = sub(styles, "w:docDefaults")
    rpr = sub(sub(doc_defaults, "w:rPrDefault"), "w:rPr")
    font = defaults.font
    sub(rpr, "w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:eastAsia": font,
                          "w:cs": font})
    sub(rpr, "w:sz", {"w:val": defaults.size})
    sub(rpr, "w:szCs", {"w:val": defaults.size})
    sub(rpr, "w:lang", {"w:val": defaults.language, "w:eastAsia": "en-US",
                        "w:bidi": "ar-SA"})
    ppr = sub(sub(doc_defaults, "w:pPrDefault"), "w:pPr")
    sub(ppr, "w:widowControl")
    sub(ppr, "w:spacing", {"w:after": defaults.space_after, "w:line": defaults.line,
                           "w:lineRule": "auto"})

    def style(kind: str, style_id: str, name: str, *children: tuple[str, object]):
        el = sub(styles, "w:style", {"w:type": kind, "w:default": 1, "w:styleId": style_id})
        sub(el, "w:name", {"w:val": name})
        for tag, value in children:
            sub(el, tag, None if value is None else {"w:val": value})
        return el

    hidden = (("w:semiHidden", None), ("w:unhideWhenUsed", None))
    style("paragraph", "Normal", "Normal", ("w:qFormat", None))
    style("character", "DefaultParagraphFont", "Default Paragraph Font",
          ("w:uiPriority", 1), *hidden)
    table = style("table", "TableNormal", "Normal Table", ("w:uiPriority", 99), *hidden)
    tbl_pr = sub(table, "w:tblPr")
    sub(tbl_pr, "w:tblInd", {"w:w": 0, "w:type": "dxa"})
    margins = sub(tbl_pr, "w:tblCellMar")
    for side, width in (("top", 0), ("left", 108), ("bottom", 0), ("right", 108)):
        sub(margins, f"w:{side}", {"w:w": width, "w:type": "dxa"})
    style("numbering", "NoList", "No List", ("w:uiPriority", 99), *hidden)
    return styles


def _settings():
    settings = element("w:settings")
    sub(settings, "w:zoom", {"w:percent": 100})
    sub(settings, "w:defaultTabStop", {"w:val": 567})
    sub(settings, "w:characterSpacingControl", {"w:val": "doNotCompress"})
    sub(sub(settings, "w:compat"), "w:compatSetting", {
        "w:name": "compatibilityMode", "w:uri": "http://schemas.microsoft.com/office/word",
        "w:val": 15})
    return settings


def _core():
    core = element("cp:coreProperties", nsmap={prefix: NS[prefix] for prefix in (
        "cp", "dc", "dcterms", "xsi")})
    sub(core, "dc:title").text = "GFMD session summary"
    return core


def _app():
    app = etree.Element(f"{{{NS['ep']}}}Properties", nsmap={None: NS["ep"]})
    etree.SubElement(app, f"{{{NS['ep']}}}Application").text = "gfmdreport"
    return app
