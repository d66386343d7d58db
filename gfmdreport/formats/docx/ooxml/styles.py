"""The styles part: styles found by name, copied between templates, linked to lists, and
the properties python-docx has no API for (outline level, every script's font, table
style borders and header row, the document language)."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.numbering import set_num_pr
from gfmdreport.formats.docx.ooxml.schema import add
from gfmdreport.formats.docx.ooxml.schema import get_or_add
from gfmdreport.formats.docx.ooxml.schema import sub

_STYLE, _NAME, _VAL = qn("w:style"), qn("w:name"), qn("w:val")


def styles_by_name(styles) -> dict[str, object]:
    """Every ``w:style`` element of a styles part, by lower-cased name."""
    found = {}
    for style in styles.iterchildren(_STYLE):
        name = style.find(_NAME)
        if name is not None and name.get(_VAL):
            found.setdefault(name.get(_VAL).lower(), style)
    return found


def style_type(style) -> str:
    return style.get(qn("w:type")) or "paragraph"


def style_id(style) -> str:
    return style.get(qn("w:styleId")) or ""


def set_outline_level(style, level: int) -> None:
    """Give a paragraph style an outline level (0 = level 1)."""
    get_or_add(get_or_add(style, "w:pPr"), "w:outlineLvl").set(_VAL, str(level))


def set_style_numbering(style, num_id: int, level: int) -> None:
    """Link a paragraph style to level ``level`` of list ``num_id``."""
    set_num_pr(get_or_add(style, "w:pPr"), num_id, level if level else None)


def style_num_id(style) -> int | None:
    """The list a paragraph style is linked to, if any."""
    num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num is None:
        return None
    try:
        return int(num.get(_VAL))
    except (TypeError, ValueError):
        return None


def set_run_font(style, name: str) -> None:
    """Set every script's font of a style (python-docx sets only two)."""
    fonts = get_or_add(get_or_add(style, "w:rPr"), "w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def set_table_style_properties(style, *, border_color: str, border_size: int,
                               header_fill: str, cell_margin: tuple[int, int]) -> None:
    """Borders, cell margins and a shaded, bold, repeating first row for a table style."""
    vertical, horizontal = cell_margin
    for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        for old in style.findall(qn(tag)):
            style.remove(old)
    tbl_pr = add(style, "w:tblPr")
    borders = sub(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, f"w:{side}", {"w:val": "single", "w:sz": border_size, "w:space": 0,
                                   "w:color": border_color})
    margins = sub(tbl_pr, "w:tblCellMar")
    for side, width in (("top", vertical), ("left", horizontal), ("bottom", vertical),
                        ("right", horizontal)):
        sub(margins, f"w:{side}", {"w:w": width, "w:type": "dxa"})
    sub(add(style, "w:tcPr"), "w:vAlign", {"w:val": "top"})
    first_row = add(style, "w:tblStylePr", {"w:type": "firstRow"})
    rpr = sub(first_row, "w:rPr")
    sub(rpr, "w:b")
    sub(rpr, "w:bCs")
    tr_pr = sub(first_row, "w:trPr")
    sub(tr_pr, "w:cantSplit")
    sub(tr_pr, "w:tblHeader")
    tc_pr = sub(first_row, "w:tcPr")
    sub(tc_pr, "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": header_fill})
    sub(tc_pr, "w:vAlign", {"w:val": "center"})


def set_doc_language(styles, tag: str) -> None:
    """The document's language (spell-checking, hyphenation) in ``w:docDefaults``; a
    template's styles that name a language of their own lose it (the language is the
    text's, not the house style's)."""
    for lang in styles.iterfind(f"{qn('w:style')}/{qn('w:rPr')}/{qn('w:lang')}"):
        lang.attrib.pop(_VAL, None)
    rpr = get_or_add(get_or_add(get_or_add(styles, "w:docDefaults"), "w:rPrDefault"),
                     "w:rPr")
    get_or_add(rpr, "w:lang").set(_VAL, tag)


def copy_missing_styles(target, source, names: Iterable[str]) -> list[str]:
    """Copy the styles named ``names`` from the ``source`` styles element into ``target``
    where ``target`` has no style of that name, with the styles they are based on.

    Style ids are remapped by name, so a copied style's ``basedOn`` points at the target's
    own style of that name (``Normal`` in any language). Returns the names copied.
    """
    target_by_name = styles_by_name(target)
    source_by_name = styles_by_name(source)
    source_by_id = {style_id(s): s for s in source.iterchildren(_STYLE)}
    taken = {style_id(s) for s in target.iterchildren(_STYLE)}
    copied: list[str] = []

    def name_of(style) -> str:
        return style.find(_NAME).get(_VAL)

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
        if new.get(qn("w:default")):
            del new.attrib[qn("w:default")]
        target_by_name[key] = new
        target.append(new)
        copied.append(name_of(original))
        for ref in ("w:basedOn", "w:next", "w:link"):
            el = new.find(qn(ref))
            if el is None:
                continue
            other = source_by_id.get(el.get(_VAL))
            mapped = ensure(name_of(other)) if other is not None else None
            if mapped is None:
                new.remove(el)
            else:
                el.set(_VAL, mapped)
        return new_id

    for name in names:
        ensure(name)
    return copied
