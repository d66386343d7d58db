"""The order the WordprocessingML schema gives the children of the elements edited in
place, and the helpers that add a child where it belongs.

:data:`CHILD_ORDER` declares, once per parent element, the sequence of its children
(``"*"`` stands for any child not named). :func:`insert` puts a child before the first
existing child that the sequence places after it, as Word expects; elements built whole
(a new paragraph, a list definition) append their children in order instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import qn

_PPR = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange")
_RPR = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
    "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w",
    "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
    "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath")
_STYLE = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")
_SETTINGS = (
    "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
    "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
    "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
    "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts", "w:saveFormsData",
    "w:mirrorMargins", "w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter", "w:gutterAtTop", "w:hideSpellingErrors",
    "w:hideGrammaticalErrors", "w:activeWritingStyle", "w:proofState", "w:formsDesign",
    "w:attachedTemplate", "w:linkStyles", "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod", "w:documentType", "w:mailMerge", "w:revisionView",
    "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting",
    "w:documentProtection", "w:autoFormatOverride", "w:styleLockTheme",
    "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
    "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
    "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData", "w:noPunctuationKerning", "w:characterSpacingControl",
    "w:printTwoOnOne", "w:strictFirstAndLastChars", "w:noLineBreaksAfter",
    "w:noLineBreaksBefore", "w:savePreviewPicture", "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml", "w:ignoreMixedContent", "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly", "w:useXSLTWhenSaving",
    "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace", "w:updateFields",
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
    "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")

CHILD_ORDER: Mapping[str, tuple[str, ...]] = {
    "w:body": ("*", "w:sectPr"),
    "w:p": ("w:pPr", "*"),
    "w:pPr": _PPR,
    "w:rPr": _RPR,
    "w:styles": ("w:docDefaults", "w:latentStyles", "w:style"),
    "w:docDefaults": ("w:rPrDefault", "w:pPrDefault"),
    "w:rPrDefault": ("w:rPr",),
    "w:style": _STYLE,
    "w:numbering": ("w:numPicBullet", "w:abstractNum", "w:num", "w:numIdMacAtCleanup"),
    "w:abstractNum": ("w:nsid", "w:multiLevelType", "w:tmpl", "w:name", "w:styleLink",
                      "w:numStyleLink", "w:lvl"),
    "w:lvl": ("w:start", "w:numFmt", "w:lvlRestart", "w:pStyle", "w:isLgl", "w:suff",
              "w:lvlText", "w:lvlPicBulletId", "w:legacy", "w:lvlJc", "w:pPr", "w:rPr"),
    "w:numPr": ("w:ilvl", "w:numId", "w:numberingChange", "w:ins"),
    "w:settings": _SETTINGS,
}
"""Each parent element's children in schema order, ``"*"`` for any other child."""


def _ranks() -> dict[str, tuple[dict[str, int], int | None]]:
    ranks = {}
    for parent, children in CHILD_ORDER.items():
        named = {qn(tag): i for i, tag in enumerate(children) if tag != "*"}
        ranks[qn(parent)] = (named, children.index("*") if "*" in children else None)
    return ranks


_RANKS = _ranks()


def insert(parent, child):
    """Insert ``child`` into ``parent`` at its place in :data:`CHILD_ORDER`: before the
    first existing child that comes after it (at the end when there is none)."""
    named, other = _RANKS[parent.tag]
    rank = named.get(child.tag, other)
    if rank is not None:
        for existing in parent:
            tag = existing.tag
            later = named.get(tag, other) if isinstance(tag, str) else None
            if later is not None and later > rank:
                existing.addprevious(child)
                return child
    parent.append(child)
    return child


def add(parent, tag: str, attrs: Mapping[str, object] | None = None):
    """A new child ``tag`` (``w:lang``) of ``parent``, with ``attrs`` (prefixed names),
    at its place in :data:`CHILD_ORDER`. (Made in ``parent``'s document, so that it is
    of the element class that document's parser gives, python-docx's or lxml's.)"""
    return insert(parent, sub(parent, tag, attrs))


def get_or_add(parent, tag: str):
    """``parent``'s child ``tag``, added at its place if it has none."""
    found = parent.find(qn(tag))
    return found if found is not None else add(parent, tag)


def element(tag: str, attrs: Mapping[str, object] | None = None, nsmap=None):
    """A new element ``tag`` (``w:p``) with ``attrs`` (prefixed names, values made
    text), declaring ``nsmap`` (by default the tag's own prefix)."""
    if nsmap is None:
        prefix = tag.partition(":")[0]
        nsmap = {prefix: NS[prefix]}
    return _with(etree.Element(qn(tag), nsmap=nsmap), attrs)


def sub(parent, tag: str, attrs: Mapping[str, object] | None = None):
    """Append a new child ``tag`` with ``attrs`` (prefixed names) to ``parent``."""
    return _with(etree.SubElement(parent, qn(tag)), attrs)


def _with(el, attrs: Mapping[str, object] | None):
    for name, value in (attrs or {}).items():
        el.set(qn(name), str(value))
    return el


def set_val(el, value: object) -> None:
    """Set an element's ``w:val``."""
    el.set(qn("w:val"), str(value))
