"""Templates: the shipped default, or a secretariat's own ``--reference-doc``.

A template is prepared once per process (per file, modification time and language) with
python-docx: its body is emptied, the contract styles it lacks are added from the
default, the lists the contract styles use are made sure of, the document language is
set and a "Page X of Y" footer is added when it has none. Style ids and list ids are
resolved here, once, not per paragraph. The result is kept parsed
(:class:`~gfmdreport.formats.docx.ooxml.prepared.PreparedPackage`): a document
deep-copies the few parts it changes and reuses the bytes of all others.
"""

from __future__ import annotations

import copy
import io
import os
import string
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from docx import Document
from docx.oxml import OxmlElement
from docx.parts.numbering import NumberingPart

from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import describe_exception
from gfmdreport.formats.docx.ooxml.body import clear_body
from gfmdreport.formats.docx.ooxml.body import set_paragraph_style
from gfmdreport.formats.docx.ooxml.body import text_area
from gfmdreport.formats.docx.ooxml.customxml import is_model_part
from gfmdreport.formats.docx.ooxml.fields import add_field
from gfmdreport.formats.docx.ooxml.ns import CT_NUMBERING
from gfmdreport.formats.docx.ooxml.ns import RT_CUSTOM_XML
from gfmdreport.formats.docx.ooxml.ns import RT_NUMBERING
from gfmdreport.formats.docx.ooxml.numbering import copy_list
from gfmdreport.formats.docx.ooxml.numbering import link_list_level
from gfmdreport.formats.docx.ooxml.numbering import list_definition
from gfmdreport.formats.docx.ooxml.package import PackageProblem
from gfmdreport.formats.docx.ooxml.package import usable_package
from gfmdreport.formats.docx.ooxml.prepared import PreparedPackage
from gfmdreport.formats.docx.ooxml.prepared import prepare_package
from gfmdreport.formats.docx.ooxml.prepared import reset_core_properties
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
from gfmdreport.formats.docx.write.contract import StyleSpec
from gfmdreport.labels import labels_for

SUPPORT_STYLES = ("heading 1", "heading 2", "toc 1", "toc 2")
"""Styles the writer uses that are not part of the contract (Word has them built in);
copied from the default template when a reference document lacks them."""

CACHE_SIZE = 16


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
    toc_styles: tuple[str | None, str | None] = (None, None)
    """Style ids of the table of contents' entries (Word's ``toc 1`` and ``toc 2``)."""
    added_styles: tuple[str, ...] = field(default=())
    """Contract styles the reference document lacked (taken from the default)."""


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


def open_reference(data: bytes, path: str | None):
    """Open a reference document with python-docx, or raise a located InputError."""
    where = Location(path)
    try:
        usable = usable_package(data)
    except PackageProblem as exc:
        raise InputError.single("reference-doc", f"cannot use it as a reference document: "
                                f"{exc}", where, exc.hint) from None
    try:
        return Document(io.BytesIO(usable))
    except Exception as exc:
        raise InputError.single(
            "reference-doc", f"cannot read it as a Word document: {type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'damaged package'}", where,
            "open it in Word or LibreOffice and save it again as .docx") from None


def prepare(data: bytes, language: str, path: str | None) -> Template:
    """Prepare a template (see the module's description)."""
    doc = open_reference(data, path)
    try:
        return _prepare(doc, language, Location(path))
    except InputError:
        raise
    except Exception as exc:
        if path is None:  # the shipped template: a bug, not a user's problem
            raise
        raise InputError.single(
            "reference-doc", f"cannot use it as a template: {describe_exception(exc)}",
            Location(path), "open it in Word or LibreOffice and save it again, or start "
            "from 'gfmdreport docx-template -o reference.docx'") from exc


def _prepare(doc, language: str, where: Location) -> Template:
    default = Document(io.BytesIO(default_template_bytes()))
    body = doc.element.body
    clear_body(body)
    if body.sectPr is None:  # a template without page setup gets the default's
        body.append(copy.deepcopy(default.element.body.sectPr))
    _drop_model_parts(doc)

    styles = doc.styles.element
    existing = styles_by_name(styles)
    for spec in CONTRACT:  # a style of the right name but the wrong type cannot be used
        found = existing.get(spec.name.lower())
        if found is not None and style_type(found) != spec.type:
            raise InputError.single(
                "reference-doc", f"its style '{spec.name}' is a {style_type(found)} "
                f"style; gfmdreport needs a {spec.type} style of that name", where,
                f"rename that style, or make '{spec.name}' a {spec.type} style")
    added = copy_missing_styles(styles, default.styles.element,
                                [spec.name for spec in CONTRACT] + list(SUPPORT_STYLES))
    by_name = styles_by_name(styles)
    ids = {spec.key: style_id(by_name[spec.name.lower()]) for spec in CONTRACT}

    lists = _resolve_lists(doc, default, by_name, ids, set(added))

    set_doc_language(styles, word_language(language))
    reset_core_properties(doc.core_properties._element)
    section = doc.sections[-1]
    if not _has_footer(section):
        _add_page_footer(section, ids["footer"], language)
    width, height = text_area(body.sectPr)

    out = io.BytesIO()
    doc.save(out)
    toc_styles = tuple(style_id(by_name[name]) if name in by_name else None
                       for name in ("toc 1", "toc 2"))
    return Template(
        package=prepare_package(out.getvalue()), styles=MappingProxyType(ids),
        lists=MappingProxyType(lists), text_width=width, text_height=height,
        toc_styles=toc_styles,
        added_styles=tuple(spec.name for spec in CONTRACT if spec.name in added))


def _resolve_lists(doc, default, by_name, ids: dict[str, str], added: set[str]) -> dict:
    """The list each list style uses: the template's own when its style is linked to a
    list that exists, else a copy of the default's, linked to the style."""
    numbering = _numbering(doc)
    default_numbering = default.part.numbering_part.element
    default_by_name = styles_by_name(default.styles.element)
    id_map = {style_id(default_by_name[spec.name.lower()]): ids[spec.key]
              for spec in CONTRACT}
    lists: dict[str, int] = {}
    for list_name, key in LISTS.items():
        spec = BY_KEY[key]
        style = by_name[spec.name.lower()]
        num_id = None if spec.name in added else style_num_id(style)
        if num_id is None or list_definition(numbering, num_id) is None:
            default_num = style_num_id(default_by_name[spec.name.lower()])
            num_id = copy_list(numbering, default_numbering, default_num, id_map)
            set_style_numbering(style, num_id, spec.level)
        lists[list_name] = num_id
    lettered: StyleSpec = BY_KEY["lettered"]
    style = by_name[lettered.name.lower()]
    own = None if lettered.name in added else style_num_id(style)
    if own != lists["paragraphs"]:
        set_style_numbering(style, lists["paragraphs"], lettered.level)
        link_list_level(numbering, lists["paragraphs"], lettered.level, ids["lettered"])
    return lists


def _numbering(doc):
    """The document's numbering element, adding an empty numbering part if it has none."""
    try:
        return doc.part.part_related_by(RT_NUMBERING).element
    except KeyError:
        numbering = OxmlElement("w:numbering")
        part = NumberingPart(doc.part.package.next_partname("/word/numbering%d.xml"),
                             CT_NUMBERING, numbering, doc.part.package)
        doc.part.relate_to(part, RT_NUMBERING)
        return numbering


def _drop_model_parts(doc) -> None:
    """A document gfmdreport wrote, used as a template, loses its embedded model."""
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype == RT_CUSTOM_XML and not rel.is_external and \
                is_model_part(rel.target_part.blob):
            del doc.part.rels[r_id]


def _has_footer(section) -> bool:
    return any(not getattr(section, attr).is_linked_to_previous
               for attr in ("footer", "first_page_footer", "even_page_footer"))


def _add_page_footer(section, footer_style: str, language: str) -> None:
    """A centred "Page X of Y" footer (PAGE and NUMPAGES fields)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    p = paragraph._p
    set_paragraph_style(p, footer_style)
    label = labels_for(language)["page_x_of_y"]
    for literal, name, _, _ in string.Formatter().parse(label):
        if literal:
            paragraph.add_run(literal)
        if name == "page":
            add_field(p, "PAGE", "1")
        elif name == "pages":
            add_field(p, "NUMPAGES", "1")


def missing_styles(data: bytes, path: str | None) -> list[tuple[StyleSpec, str]]:
    """The contract styles a template lacks or has with the wrong type, each with the
    problem in words."""
    doc = open_reference(data, path)
    by_name = styles_by_name(doc.styles.element)
    problems = []
    for spec in CONTRACT:
        found = by_name.get(spec.name.lower())
        if found is None:
            problems.append((spec, "missing"))
        elif style_type(found) != spec.type:
            problems.append((spec, f"is a {style_type(found)} style, not a "
                                   f"{spec.type} style"))
    return problems
