"""The definitions a Word document's paragraphs refer to: its styles (names, the styles
they are based on, the lists they are linked to, bold and italic) and its lists (each
level's format, text and start, and the number Word shows at each paragraph)."""

from __future__ import annotations

from dataclasses import dataclass

from gfmdreport.formats.docx.ooxml.ns import W as _W

FALSE = {"0", "false", "off", "none"}
_DECIMAL = {"decimal", "decimalZero", "decimalEnclosedCircle", "decimalFullWidth",
            "decimalEnclosedFullstop", "decimalEnclosedParen", "ordinal", "cardinalText",
            "ordinalText"}


@dataclass(frozen=True)
class Numbering:
    """A paragraph's place in a Word list."""

    num_id: str
    level: int
    """0-based list level (``w:ilvl``)."""
    format: str
    """The level's ``w:numFmt``: ``decimal``, ``lowerLetter``, ``bullet`` …"""
    text: str
    """The level's ``w:lvlText``: ``%1.``, ``%2)``, ``•`` …"""
    first_format: str
    """The format of the list's first level."""
    value: int = 1
    """The number Word shows at this paragraph (counted through the document)."""

    @property
    def bullet(self) -> bool:
        return self.format in ("bullet", "none")

    @property
    def decimal(self) -> bool:
        return self.format in _DECIMAL


# ---- styles and lists --------------------------------------------------------------------

@dataclass
class StyleDef:
    id: str
    name: str
    label: str
    type: str
    based_on: str | None
    num_id: str | None
    level: int | None
    outline: int | None
    bold: bool | None
    italic: bool | None


def val(el, default: str | None = None) -> str | None:
    if el is None:
        return default
    return el.get(_W + "val", default)


def as_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _toggle(rpr, tag: str) -> bool | None:
    if rpr is None:
        return None
    el = rpr.find(_W + tag)
    if el is None:
        return None
    return (el.get(_W + "val") or "true").lower() not in FALSE


class Styles:
    """The styles part: names, inheritance, linked lists, bold and italic."""

    def __init__(self, root):
        self.by_id: dict[str, StyleDef] = {}
        self.default_paragraph: str | None = None
        self.language = ""
        if root is None:
            return
        lang = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang")
        self.language = val(lang, "") or ""
        for el in root.iterchildren(_W + "style"):
            sid = el.get(_W + "styleId") or ""
            ppr = el.find(_W + "pPr")
            rpr = el.find(_W + "rPr")
            num = ppr.find(_W + "numPr") if ppr is not None else None
            label = val(el.find(_W + "name"), sid) or sid
            style = StyleDef(
                id=sid,
                name=label.lower(),
                label=label,
                type=el.get(_W + "type") or "paragraph",
                based_on=val(el.find(_W + "basedOn")),
                num_id=val(num.find(_W + "numId")) if num is not None else None,
                level=as_int(val(num.find(_W + "ilvl"))) if num is not None else None,
                outline=as_int(val(ppr.find(_W + "outlineLvl"))) if ppr is not None else None,
                bold=_toggle(rpr, "b"),
                italic=_toggle(rpr, "i"),
            )
            self.by_id.setdefault(sid, style)
            if style.type == "paragraph" and (el.get(_W + "default") or "").lower() in \
                    ("1", "true", "on"):
                self.default_paragraph = sid

    def chain(self, style_id: str | None) -> list[StyleDef]:
        """The style and those it is based on, nearest first."""
        found: list[StyleDef] = []
        seen: set[str] = set()
        while style_id and style_id not in seen and len(found) < 20:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                break
            found.append(style)
            style_id = style.based_on
        return found

    def names(self) -> set[str]:
        return {s.name for s in self.by_id.values() if s.type in ("paragraph", "table")}


class Lists:
    """The numbering part: each list level's format and text."""

    def __init__(self, root):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._nums: dict[str, str] = {}
        self._counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        links: dict[str, str] = {}
        for el in root.iterchildren(_W + "abstractNum"):
            aid = el.get(_W + "abstractNumId") or ""
            abstract[aid] = _levels(el)
            link = val(el.find(_W + "numStyleLink"))
            if link:
                links[aid] = link
        self._abstract = abstract
        self._links = links
        nums: dict[str, str] = {}
        overrides: dict[str, dict[int, tuple[str, str, int]]] = {}
        for el in root.iterchildren(_W + "num"):
            nid = el.get(_W + "numId") or ""
            nums[nid] = val(el.find(_W + "abstractNumId"), "") or ""
            found = {}
            for override in el.iterchildren(_W + "lvlOverride"):
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    found.update(_levels_of([lvl]))
            overrides[nid] = found
        self._nums = nums
        for nid, aid in nums.items():
            levels = dict(abstract.get(aid, {}))
            levels.update(overrides.get(nid, {}))
            self.levels[nid] = levels

    def resolve_links(self, styles: Styles) -> None:
        """Lists defined through a numbering style (``w:numStyleLink``) take that style's
        list's levels."""
        if not getattr(self, "_links", None):
            return
        for nid, aid in self._nums.items():
            link = self._links.get(aid)
            if not link or self.levels.get(nid):
                continue
            style = styles.by_id.get(link)
            target = style.num_id if style else None
            if target and target in self._nums:
                self.levels[nid] = dict(self._abstract.get(self._nums[target], {}))

    def numbering(self, num_id: str, level: int) -> Numbering | None:
        """The list level of the next paragraph of list ``num_id`` at ``level``, with the
        number Word shows for it (lists of one definition count together, as in Word)."""
        levels = self.levels.get(num_id)
        if not levels:
            return None
        fmt, text, start = levels.get(level, levels.get(max(levels), ("decimal", "", 1)))
        first = levels.get(0, ("decimal", "", 1))[0]
        counters = self._counters.setdefault(self._nums.get(num_id, num_id), [None] * 9)
        value = start if counters[level] is None else counters[level] + 1
        counters[level] = value
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        return Numbering(num_id, level, fmt, text, first, value)


def _levels(abstract) -> dict[int, tuple[str, str, int]]:
    return _levels_of(abstract.iterchildren(_W + "lvl"))


def _levels_of(lvls) -> dict[int, tuple[str, str, int]]:
    found = {}
    for lvl in lvls:
        ilvl = as_int(lvl.get(_W + "ilvl"))
        if ilvl is None or not 0 <= ilvl <= 8:
            continue
        found[ilvl] = (val(lvl.find(_W + "numFmt"), "decimal") or "decimal",
                       val(lvl.find(_W + "lvlText"), "") or "",
                       as_int(val(lvl.find(_W + "start"))) or 1)
    return found
