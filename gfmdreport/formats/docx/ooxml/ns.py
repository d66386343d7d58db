"""Namespaces, content types and relationship types of a Word package, and ``qn``.

``qn("w:p")`` gives the Clark name ``{http://…/wordprocessingml/2006/main}p`` that lxml
uses for tags and attributes; :data:`W` is the Clark prefix of WordprocessingML, for
building many tags quickly (``W + "p"``).
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MODEL_NS = "urn:gfmdreport:summary:1"
"""Namespace of the custom XML part that carries the model (docs/docx.md)."""

NS = {
    "w": W_NS,
    "r": R_NS,
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "ds": DS_NS,
    "ct": CT_NS,
    "pr": PR_NS,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "gfmd": MODEL_NS,
}
"""Every namespace this package names, by its usual prefix."""

W = f"{{{W_NS}}}"
"""The Clark prefix of WordprocessingML tags: ``W + "p"`` is ``qn("w:p")``."""

_clark: dict[str, str] = {}


def qn(tag: str) -> str:
    """The Clark name of a prefixed name: ``w:p`` → ``{http://…/main}p``."""
    found = _clark.get(tag)
    if found is None:
        prefix, _, local = tag.partition(":")
        found = _clark[tag] = f"{{{NS[prefix]}}}{local}"
    return found


# ---- content types ------------------------------------------------------------------------

_OFFICE = "application/vnd.openxmlformats-officedocument."
CT_DOCUMENT = _OFFICE + "wordprocessingml.document.main+xml"
CT_TEMPLATE = _OFFICE + "wordprocessingml.template.main+xml"
CT_MACRO = ("application/vnd.ms-word.document.macroEnabled.main+xml",
            "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
WORD_TYPES = frozenset((CT_DOCUMENT, CT_TEMPLATE, *CT_MACRO))
"""The content types of the main part of a Word document or template."""
CT_STYLES = _OFFICE + "wordprocessingml.styles+xml"
CT_NUMBERING = _OFFICE + "wordprocessingml.numbering+xml"
CT_SETTINGS = _OFFICE + "wordprocessingml.settings+xml"
CT_CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
CT_EXTENDED_PROPERTIES = _OFFICE + "extended-properties+xml"
CT_CUSTOM_XML_PROPS = _OFFICE + "customXmlProperties+xml"
CT_FOOTER = _OFFICE + "wordprocessingml.footer+xml"
CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
CT_XML = "application/xml"

# ---- relationship types ---------------------------------------------------------------------

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_STYLES = _RT + "styles"
RT_NUMBERING = _RT + "numbering"
RT_SETTINGS = _RT + "settings"
RT_HYPERLINK = _RT + "hyperlink"
RT_HEADER = _RT + "header"
RT_FOOTER = _RT + "footer"
RT_FOOTNOTES = _RT + "footnotes"
RT_ENDNOTES = _RT + "endnotes"
RT_FONT_TABLE = _RT + "fontTable"
RT_FONT = _RT + "font"
RT_THEME = _RT + "theme"
RT_WEB_SETTINGS = _RT + "webSettings"
RT_IMAGE = _RT + "image"
RT_ATTACHED_TEMPLATE = _RT + "attachedTemplate"
RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/" \
    "stylesWithEffects"
RT_CUSTOM_XML = _RT + "customXml"
RT_CUSTOM_XML_PROPS = _RT + "customXmlProps"
RT_EXTENDED_PROPERTIES = _RT + "extended-properties"
RT_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/" \
    "metadata/core-properties"
