"""The custom XML part that carries the model in the documents gfmdreport writes
(docs/docx.md): the interchange JSON, and a digest of the text it was rendered to, by
which a reader tells whether the text was edited since."""

from __future__ import annotations

import hashlib
import uuid

from lxml import etree

from gfmdreport.formats.docx.ooxml.body import TBL
from gfmdreport.formats.docx.ooxml.body import P
from gfmdreport.formats.docx.ooxml.body import T
from gfmdreport.formats.docx.ooxml.ns import DS_NS
from gfmdreport.formats.docx.ooxml.ns import MODEL_NS
from gfmdreport.formats.docx.ooxml.package import safe_parser
from gfmdreport.formats.docx.ooxml.package import serialize

MODEL_TAG = f"{{{MODEL_NS}}}summary"
"""The root element of a model part."""
HEAD_BYTES = 1000
"""How far into a custom XML part its namespace is looked for."""


class BodyDigest:
    """The digest of a body's text, fed its blocks in order (see :func:`body_digest`)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, block) -> None:
        """Count a child of the body: a paragraph, a table (its paragraphs), anything
        else (a content control) not."""
        if block.tag == P:
            paragraphs = (block,)
        elif block.tag == TBL:
            paragraphs = block.iter(P)
        else:
            return
        h = self._hash
        for p in paragraphs:
            h.update("".join([t.text or "" for t in p.iter(T)]).encode("utf-8"))
            h.update(b"\n")

    def value(self) -> str:
        return "sha256:" + self._hash.hexdigest()


def body_digest(body) -> str:
    """``sha256:`` of the body's text, one line per paragraph (in the body and its tables,
    in document order), leaving out body-level content controls (the table of contents,
    which Word refreshes). A DOCX reader compares it with the digest stored beside the
    model to tell whether the text was edited since."""
    digest = BodyDigest()
    for child in body:
        digest.add(child)
    return digest.value()


def model_digest(model_json: str) -> str:
    """``sha256:`` of the model's JSON text: stored beside it, so that a reader tells a
    model part edited on its own (the text no longer what was rendered from it)."""
    return "sha256:" + hashlib.sha256(model_json.encode("utf-8")).hexdigest()


def model_part_xml(model_json: str, digest: str, generator: str) -> bytes:
    """The custom XML part holding the model: the interchange JSON, the digest of the
    text it was rendered to, and the digest of the JSON itself."""
    root = etree.Element(MODEL_TAG, nsmap={"gfmd": MODEL_NS})
    root.set("version", "1")
    root.set("generator", generator)
    root.set("digest", digest)
    root.set("model-digest", model_digest(model_json))
    root.set("format", "application/json")
    root.text = model_json
    return serialize(root)


def model_props_xml(model_json: str) -> bytes:
    """The properties part of the model part: its item id (the same for the same model)
    and the schema it follows. Written as Word writes such parts, the item id before the
    namespace declaration (lxml always writes declarations first); nothing in it comes
    from the document."""
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, MODEL_NS + model_json)).upper() + "}"
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            b'<ds:datastoreItem ds:itemID="' + item_id.encode("ascii") + b'" '
            b'xmlns:ds="' + DS_NS.encode() + b'"><ds:schemaRefs>'
            b'<ds:schemaRef ds:uri="' + MODEL_NS.encode() + b'"/></ds:schemaRefs>'
            b'</ds:datastoreItem>')


def is_model_part(blob: bytes) -> bool:
    """Whether a custom XML part may be a model part (its namespace is named early)."""
    return MODEL_NS.encode() in blob[:HEAD_BYTES]


def read_model_part(blob: bytes) -> tuple[str, str]:
    """The JSON text and the digest stored in a model part."""
    root = etree.fromstring(blob, safe_parser())
    if root.tag != MODEL_TAG:
        raise ValueError("not a gfmdreport model part")
    return root.text or "", root.get("digest", "")
