"""The numbering part: list definitions (``w:abstractNum``), their instances
(``w:num``), and the links between list levels and paragraph styles."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.schema import add
from gfmdreport.formats.docx.ooxml.schema import get_or_add
from gfmdreport.formats.docx.ooxml.schema import sub

_ABSTRACT_NUM, _NUM, _LVL = qn("w:abstractNum"), qn("w:num"), qn("w:lvl")
_VAL = qn("w:val")


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
    abstract_id = max(_ids(numbering.iterchildren(_ABSTRACT_NUM), "w:abstractNumId"),
                      default=-1) + 1
    num_id = max(_ids(numbering.iterchildren(_NUM), "w:numId"), default=0) + 1
    nsid = hashlib.sha1(f"{name}:{abstract_id}".encode()).hexdigest()[:8].upper()
    abstract = add(numbering, "w:abstractNum", {"w:abstractNumId": abstract_id})
    sub(abstract, "w:nsid", {"w:val": nsid})
    sub(abstract, "w:multiLevelType", {"w:val": "multilevel"})
    sub(abstract, "w:name", {"w:val": name})
    for i, level in enumerate(levels):
        lvl = sub(abstract, "w:lvl", {"w:ilvl": i})
        sub(lvl, "w:start", {"w:val": 1})
        sub(lvl, "w:numFmt", {"w:val": level.format})
        if level.style_id:
            sub(lvl, "w:pStyle", {"w:val": level.style_id})
        sub(lvl, "w:lvlText", {"w:val": level.text})
        sub(lvl, "w:lvlJc", {"w:val": "left"})
        ppr = sub(lvl, "w:pPr")
        sub(sub(ppr, "w:tabs"), "w:tab", {"w:val": "num", "w:pos": level.left})
        sub(ppr, "w:ind", {"w:left": level.left, "w:hanging": level.hanging})
        if level.format == "bullet":
            sub(sub(lvl, "w:rPr"), "w:rFonts", {"w:hint": "default"})
    num = add(numbering, "w:num", {"w:numId": num_id})
    sub(num, "w:abstractNumId", {"w:val": abstract_id})
    return num_id


def _ids(elements, attr: str) -> list[int]:
    values = (el.get(qn(attr)) or "" for el in elements)
    return [int(v) for v in values if v.isdigit()]


def list_definition(numbering, num_id: int):
    """The ``w:abstractNum`` that list instance ``num_id`` uses, or ``None``."""
    for num in numbering.iterchildren(_NUM):
        if num.get(qn("w:numId")) == str(num_id):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                return None
            for abstract in numbering.iterchildren(_ABSTRACT_NUM):
                if abstract.get(qn("w:abstractNumId")) == ref.get(_VAL):
                    return abstract
    return None


def _level_format(lvl) -> tuple[str, str]:
    fmt = lvl.find(qn("w:numFmt"))
    text = lvl.find(qn("w:lvlText"))
    return (fmt.get(_VAL) if fmt is not None else "decimal",
            text.get(_VAL) if text is not None else "")


def list_levels(numbering, num_id: int) -> list[tuple[str, str]]:
    """``(numFmt, lvlText)`` of each level of a list instance (empty if unknown)."""
    abstract = list_definition(numbering, num_id)
    if abstract is None:
        return []
    return [_level_format(lvl) for lvl in abstract.iterchildren(_LVL)]


def copy_list(target, source, num_id: int, style_ids: dict[str, str]) -> int | None:
    """Copy list instance ``num_id`` of the ``source`` numbering element, with its
    definition, into ``target``; return the new instance id. ``style_ids`` maps the
    source's style ids to the target's, for the levels linked to styles."""
    abstract = list_definition(source, num_id)
    if abstract is None:
        return None
    levels = []
    for lvl in abstract.iterchildren(_LVL):
        ind = lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        pstyle = lvl.find(qn("w:pStyle"))
        levels.append(Level(
            *_level_format(lvl),
            int(ind.get(qn("w:left"), "0")) if ind is not None else 0,
            int(ind.get(qn("w:hanging"), "0")) if ind is not None else 0,
            style_ids.get(pstyle.get(_VAL)) if pstyle is not None else None))
    name = abstract.find(qn("w:name"))
    return add_list(target, name.get(_VAL) if name is not None else "gfmdreport", levels)


def link_list_level(numbering, num_id: int, level: int, style_id: str) -> None:
    """Link a list level back to the paragraph style that uses it (``w:pStyle``)."""
    abstract = list_definition(numbering, num_id)
    if abstract is None:
        return
    for lvl in abstract.iterchildren(_LVL):
        if lvl.get(qn("w:ilvl")) == str(level):
            get_or_add(lvl, "w:pStyle").set(_VAL, style_id)


def set_num_pr(ppr, num_id: int, level: int | None) -> None:
    """Make paragraph properties (of a paragraph or a style) an item of list ``num_id``
    at ``level`` (``None``: the first level, left implicit)."""
    num_pr = get_or_add(ppr, "w:numPr")
    for child in list(num_pr):
        num_pr.remove(child)
    if level is not None:
        sub(num_pr, "w:ilvl", {"w:val": level})
    sub(num_pr, "w:numId", {"w:val": num_id})
