"""Templates: the shipped default, or a secretariat's own ``--reference-doc``.

A template is prepared once per process (per file, modification time and language), with
lxml on the package's parts: a reference document is first reduced to what a template
may give (:mod:`..ooxml.reference`: no external relationship, attached template, macro
or embedded object survives, each drop reported); its body is emptied, the contract
styles it lacks are added from the default, the lists the contract styles use are made
sure of, the document language is set and a "Page X of Y" footer is added when it has
none. Style ids and list ids are resolved here, once, not per paragraph. The result is
kept parsed (:class:`~gfmdreport.formats.docx.ooxml.prepared.PreparedPackage`): a
document deep-copies the few parts it changes and reuses the bytes of all others.

python-docx is not needed to write a document (it builds the shipped default, in
:mod:`.make_template`).
"""

from __future__ import annotations

import copy
import os
import posixpath
import string
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from lxml import etree

from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import describe_exception
from gfmdreport.formats.docx.ooxml.body import SECT_PR
from gfmdreport.formats.docx.ooxml.body import add_paragraph
from gfmdreport.formats.docx.ooxml.body import add_run
from gfmdreport.formats.docx.ooxml.body import clear_body
from gfmdreport.formats.docx.ooxml.body import text_area
from gfmdreport.formats.docx.ooxml.fields import add_field
from gfmdreport.formats.docx.ooxml.ns import CT_CORE_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import CT_FOOTER
from gfmdreport.formats.docx.ooxml.ns import CT_NS
from gfmdreport.formats.docx.ooxml.ns import CT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import CT_STYLES
from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import PR_NS
from gfmdreport.formats.docx.ooxml.ns import RT_CORE_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import RT_EXTENDED_PROPERTIES
from gfmdreport.formats.docx.ooxml.ns import RT_FOOTER
from gfmdreport.formats.docx.ooxml.ns import RT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import RT_SETTINGS
from gfmdreport.formats.docx.ooxml.ns import RT_STYLES
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.numbering import copy_list
from gfmdreport.formats.docx.ooxml.numbering import link_list_level
from gfmdreport.formats.docx.ooxml.numbering import list_definition
from gfmdreport.formats.docx.ooxml.package import CONTENT_TYPES
from gfmdreport.formats.docx.ooxml.package import PACKAGE_RELS
from gfmdreport.formats.docx.ooxml.package import PackageProblem
from gfmdreport.formats.docx.ooxml.package import main_part_name
from gfmdreport.formats.docx.ooxml.package import read_relationships
from gfmdreport.formats.docx.ooxml.package import rels_part_name
from gfmdreport.formats.docx.ooxml.package import safe_parser
from gfmdreport.formats.docx.ooxml.package import serialize
from gfmdreport.formats.docx.ooxml.package import usable_package
from gfmdreport.formats.docx.ooxml.package import zip_parts
from gfmdreport.formats.docx.ooxml.prepared import PreparedPackage
from gfmdreport.formats.docx.ooxml.prepared import empty_core_properties
from gfmdreport.formats.docx.ooxml.prepared import prepare_package
from gfmdreport.formats.docx.ooxml.reference import Dropped
from gfmdreport.formats.docx.ooxml.reference import reduce_reference
from gfmdreport.formats.docx.ooxml.schema import element
from gfmdreport.formats.docx.ooxml.schema import insert
from gfmdreport.formats.docx.ooxml.styles import copy_missing_styles
from gfmdreport.formats.docx.ooxml.styles import set_doc_language
from gfmdreport.formats.docx.ooxml.styles import set_style_numbering
from gfmdreport.formats.docx.ooxml.styles import style_id
from gfmdreport.formats.docx.ooxml.styles import style_num_id
from gfmdreport.formats.docx.ooxml.styles import style_type
from gfmdreport.formats.docx.ooxml.styles import styles_by_name
from gfmdreport.formats.docx.text import word_language
from gfmdreport.formats.docx.write.contract import BY_KEY
from gfmdreport.formats.docx.write.contract import CONTRACT
from gfmdreport.formats.docx.write.contract import LISTS
from gfmdreport.formats.docx.write.contract import RETIRED
from gfmdreport.formats.docx.write.contract import StyleSpec
from gfmdreport.labels import labels_for

SUPPORT_STYLES = ("toc 2",)
"""Styles the writer uses that are not part of the contract (Word has them built in);
copied from the default template when a reference document lacks them."""

CACHE_SIZE = 16

_PR_RELATIONSHIP = f"{{{PR_NS}}}Relationship"


@dataclass(frozen=True)
class Template:
    """A prepared template: everything a document needs from it, resolved once."""

    package: PreparedPackage
    """The prepared package (empty body): what each document copies and writes."""
    styles: Mapping[str, str]
    """Contract key → style id in this template."""
    lists: Mapping[str, int]
    """List name (``paragraphs``, ``bullets``, ``table-bullets``) → ``w:numId``."""
    text_width: int
    """Width of the text area, twips."""
    text_height: int
    toc_style: str | None = None
    """Style id of the table of contents' entries (Word's ``toc 2``: the entries are the
    second-level headings, the sections and questions)."""
    added_styles: tuple[str, ...] = field(default=())
    """Contract styles the reference document lacked (taken from the default)."""
    dropped: tuple[Dropped, ...] = field(default=())
    """What the reference document had that a report does not take, to be said."""


@lru_cache(maxsize=1)
def default_template_bytes() -> bytes:
    """The shipped default template, gfmdreport/formats/docx/reference.docx."""
    return resources.files("gfmdreport.formats.docx").joinpath("reference.docx").read_bytes()


_cache: OrderedDict[tuple, Template] = OrderedDict()
_lock = threading.Lock()


def load_template(reference_doc: str | os.PathLike[str] | None, language: str) -> Template:
    """The prepared template for a reference document (or the default) and a language."""
    if reference_doc in (None, ""):
        key: tuple = (None, language)
    else:
        path = os.fspath(reference_doc)
        try:
            st = os.stat(path)
        except OSError:
            st = None
        key = (os.path.realpath(path), st and st.st_mtime_ns, st and st.st_size, language)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    if reference_doc in (None, ""):
        template = prepare(default_template_bytes(), language, None)
    else:
        from gfmdreport.files import read_bytes

        data = read_bytes(path)
        template = prepare(data, language, path)
    with _lock:
        _cache[key] = template
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return template


def reference_parts(data: bytes, path: str | None) -> list[tuple[str, bytes]]:
    """The members of a reference document (a template's main part relabelled as a
    document's), or a located InputError saying why it cannot be one."""
    try:
        return zip_parts(usable_package(data))
    except PackageProblem as exc:
        raise InputError.single("reference-doc", f"cannot use it as a reference document: "
                                f"{exc}", Location(path), exc.hint) from None


def prepare(data: bytes, language: str, path: str | None) -> Template:
    """Prepare a template (see the module's description); ``path`` is ``None`` for the
    shipped default."""
    members = reference_parts(data, path) if path is not None else zip_parts(data)
    try:
        return _prepare(members, language, Location(path), reference=path is not None)
    except InputError:
        raise
    except Exception as exc:
        if path is None:  # the shipped template: a bug, not a user's problem
            raise
        raise InputError.single(
            "reference-doc", f"cannot use it as a template: {describe_exception(exc)}",
            Location(path), "open it in Word or LibreOffice and save it again, or start "
            "from 'gfmdreport docx-template -o reference.docx'") from exc


class _Parts:
    """The members of a package being prepared: bytes, or parsed roots once edited."""

    def __init__(self, members: list[tuple[str, bytes]]):
        self.order = [name for name, _ in members]
        self.items: dict[str, bytes | object] = dict(members)
        self.parser = safe_parser()

    def xml(self, name: str):
        found = self.items[name]
        if isinstance(found, bytes):
            found = self.items[name] = etree.fromstring(found, self.parser)
        return found

    def put(self, name: str, value, content_type: str | None = None) -> None:
        if name not in self.items:
            self.order.append(name)
        self.items[name] = value
        if content_type:
            types = self.xml(CONTENT_TYPES)
            for el in types.iterchildren(f"{{{CT_NS}}}Override"):
                if el.get("PartName") == "/" + name:
                    types.remove(el)
            etree.SubElement(types, f"{{{CT_NS}}}Override",
                             {"PartName": "/" + name, "ContentType": content_type})

    def free(self, pattern: str) -> str:
        n = 1
        while pattern % n in self.items:
            n += 1
        return pattern % n

    def related(self, source: str, reltype: str) -> str | None:
        rels = rels_part_name(source)
        if rels not in self.items:
            return None
        for rel in read_relationships(self.xml(rels), source):
            if rel.type == reltype and not rel.external and rel.target in self.items:
                return rel.target
        return None

    def relate(self, source: str, reltype: str, target: str) -> str:
        """Add a relationship from ``source`` to the part ``target``; its id."""
        rels_name = rels_part_name(source)
        if rels_name not in self.items:
            self.put(rels_name, etree.Element(f"{{{PR_NS}}}Relationships",
                                              nsmap={None: PR_NS}))
        rels = self.xml(rels_name)
        taken = {el.get("Id") for el in rels}
        n = 1
        while f"rId{n}" in taken:
            n += 1
        folder = posixpath.dirname(source)
        relative = posixpath.relpath(target, folder) if folder else target
        etree.SubElement(rels, _PR_RELATIONSHIP, {"Id": f"rId{n}", "Type": reltype,
                                                  "Target": relative})
        return f"rId{n}"

    def members(self) -> list[tuple[str, bytes]]:
        return [(name, value if isinstance(value, bytes) else serialize(value))
                for name in self.order if (value := self.items[name]) is not None]


@dataclass(frozen=True)
class _Default:
    """The parts of the shipped default a reference document may lack."""

    styles: object
    numbering: object
    sect_pr: object
    app: bytes | None


@lru_cache(maxsize=1)
def _default() -> _Default:
    parts = _Parts(zip_parts(default_template_bytes()))
    main = main_part_name(dict(parts.items))
    document = parts.xml(main)
    app = next((rel.target for rel in read_relationships(parts.xml(PACKAGE_RELS), "")
                if rel.type == RT_EXTENDED_PROPERTIES), None)
    return _Default(styles=parts.xml(parts.related(main, RT_STYLES)),
                    numbering=parts.xml(parts.related(main, RT_NUMBERING)),
                    sect_pr=document.find(f"{qn('w:body')}/{SECT_PR}"),
                    app=parts.items.get(app) if app else None)


def _prepare(members: list[tuple[str, bytes]], language: str, where: Location, *,
             reference: bool) -> Template:
    dropped: list[Dropped] = []
    if reference:
        members, main, dropped = reduce_reference(members)
    else:
        main = main_part_name(dict(members))
    parts = _Parts(members)
    default = _default()

    document = parts.xml(main)
    body = document.find(qn("w:body"))
    if body is None:
        body = etree.SubElement(document, qn("w:body"))
    clear_body(body)
    sect_pr = body.find(SECT_PR)
    if sect_pr is None:  # a template without page setup gets the default's
        sect_pr = copy.deepcopy(default.sect_pr)
        body.append(sect_pr)

    styles_part = parts.related(main, RT_STYLES)
    if styles_part is None:
        styles_part = parts.free("word/styles%d.xml")
        parts.put(styles_part, element("w:styles"), CT_STYLES)
        parts.relate(main, RT_STYLES, styles_part)
    styles = parts.xml(styles_part)
    if styles.find(qn("w:docDefaults")) is None:
        insert(styles, copy.deepcopy(default.styles.find(qn("w:docDefaults"))))
    existing = styles_by_name(styles)
    for spec in CONTRACT:  # a style of the right name but the wrong type cannot be used
        found = existing.get(spec.name.lower())
        if found is not None and style_type(found) != spec.type:
            raise InputError.single(
                "reference-doc", f"its style '{spec.label}' is a {style_type(found)} "
                f"style; gfmdreport needs a {spec.type} style of that name", where,
                f"rename that style, or make '{spec.label}' a {spec.type} style")
    added = copy_missing_styles(styles, default.styles,
                                [spec.name for spec in CONTRACT] + list(SUPPORT_STYLES))
    by_name = styles_by_name(styles)
    ids = {spec.key: style_id(by_name[spec.name.lower()]) for spec in CONTRACT}

    numbering_part = parts.related(main, RT_NUMBERING)
    if numbering_part is None:
        numbering_part = parts.free("word/numbering%d.xml")
        parts.put(numbering_part, element("w:numbering"), CT_NUMBERING)
        parts.relate(main, RT_NUMBERING, numbering_part)
    added_names = {name.lower() for name in added}
    lists = _resolve_lists(parts.xml(numbering_part), default, by_name, ids, added_names)

    set_doc_language(styles, word_language(language))
    settings_part = parts.related(main, RT_SETTINGS)
    if settings_part is not None:
        _repair_settings(parts.xml(settings_part))
    _reset_properties(parts, default)
    if sect_pr.find(qn("w:footerReference")) is None:
        _add_page_footer(parts, main, sect_pr, ids["footer"], language)
    width, height = text_area(sect_pr)
    toc = by_name.get("toc 2")
    return Template(
        package=prepare_package(parts.members()), styles=MappingProxyType(ids),
        lists=MappingProxyType(lists), text_width=width, text_height=height,
        toc_style=style_id(toc) if toc is not None else None,
        added_styles=tuple(spec.label for spec in CONTRACT
                           if spec.name.lower() in added_names),
        dropped=tuple(dropped))


def _resolve_lists(numbering, default: _Default, by_name, ids: dict[str, str],
                   added: set[str]) -> dict:
    """The list each list style uses: the template's own when its style is linked to a
    list that exists, else a copy of the default's, linked to the style. The lettered
    items' style is always linked to the second level of the paragraphs' list (which
    is what makes them start again at a) under each paragraph)."""
    default_by_name = styles_by_name(default.styles)
    id_map = {style_id(default_by_name[spec.name.lower()]): ids[spec.key]
              for spec in CONTRACT}
    lists: dict[str, int] = {}
    for list_name, key in LISTS.items():
        spec = BY_KEY[key]
        style = by_name[spec.name.lower()]
        num_id = None if spec.name.lower() in added else style_num_id(style)
        if num_id is None or list_definition(numbering, num_id) is None:
            default_num = style_num_id(default_by_name[spec.name.lower()])
            num_id = copy_list(numbering, default.numbering, default_num, id_map)
            set_style_numbering(style, num_id, spec.level)
        lists[list_name] = num_id
    lettered: StyleSpec = BY_KEY["lettered"]
    style = by_name[lettered.name.lower()]
    own = None if lettered.name.lower() in added else style_num_id(style)
    if own != lists["paragraphs"]:
        set_style_numbering(style, lists["paragraphs"], lettered.level)
        link_list_level(numbering, lists["paragraphs"], lettered.level, ids["lettered"])
    return lists


def _repair_settings(settings) -> None:
    """Settings some programs write against the schema, made valid (a report is schema-
    valid whatever its template): a zoom without its required percentage (python-docx's
    own template) gets 100 %."""
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


def _reset_properties(parts: _Parts, default: _Default) -> None:
    """The template's document properties are not the report's: its core properties are
    emptied (each document fills them) and its extended ones are the default's."""
    rels = parts.xml(PACKAGE_RELS)
    found = {rel.type: rel.target for rel in read_relationships(rels, "")
             if not rel.external}
    core = found.get(RT_CORE_PROPERTIES)
    if core is None or core not in parts.items:
        core = "docProps/core.xml" if "docProps/core.xml" not in parts.items else \
            parts.free("docProps/core%d.xml")
        parts.relate("", RT_CORE_PROPERTIES, core)
    parts.put(core, empty_core_properties(), CT_CORE_PROPERTIES)
    app = found.get(RT_EXTENDED_PROPERTIES)
    if app is not None and app in parts.items and default.app is not None:
        parts.put(app, default.app)


def _add_page_footer(parts: _Parts, main: str, sect_pr, footer_style: str,
                     language: str) -> None:
    """A centred "Page X of Y" footer (PAGE and NUMPAGES fields)."""
    name = parts.free(posixpath.join(posixpath.dirname(main), "footer%d.xml"))
    footer = element("w:ftr", nsmap={"w": NS["w"], "r": NS["r"]})
    p = add_paragraph(footer, footer_style)
    label = labels_for(language)["page_x_of_y"]
    for literal, field_name, _, _ in string.Formatter().parse(label):
        if literal:
            add_run(p, literal)
        if field_name == "page":
            add_field(p, "PAGE", "1")
        elif field_name == "pages":
            add_field(p, "NUMPAGES", "1")
    parts.put(name, footer, CT_FOOTER)
    r_id = parts.relate(main, RT_FOOTER, name)
    reference = etree.Element(qn("w:footerReference"))
    reference.set(qn("w:type"), "default")
    reference.set(qn("r:id"), r_id)
    refs = [child for child in sect_pr if child.tag in (qn("w:headerReference"),
                                                        qn("w:footerReference"))]
    if refs:
        refs[-1].addnext(reference)
    else:
        sect_pr.insert(0, reference)


def _styles_of(data: bytes, path: str | None):
    parts = _Parts(reference_parts(data, path))
    main = main_part_name(dict(parts.items))
    styles = parts.related(main, RT_STYLES)
    return parts.xml(styles) if styles is not None else element("w:styles")


def missing_styles(data: bytes, path: str | None) -> list[tuple[StyleSpec, str]]:
    """The contract styles a template lacks or has with the wrong type, each with the
    problem in words."""
    by_name = styles_by_name(_styles_of(data, path))
    problems = []
    for spec in CONTRACT:
        found = by_name.get(spec.name.lower())
        if found is None:
            problems.append((spec, "missing"))
        elif style_type(found) != spec.type:
            problems.append((spec, f"is a {style_type(found)} style, not a "
                                   f"{spec.type} style"))
    return problems


def retired_styles(data: bytes, path: str | None) -> list[tuple[str, str]]:
    """The styles of earlier versions' contract a template defines (no longer used), each
    with the built-in style that took its place."""
    by_name = styles_by_name(_styles_of(data, path))
    return [(by_name[name].find(qn("w:name")).get(qn("w:val")), instead)
            for name, instead in RETIRED.items() if name in by_name]
