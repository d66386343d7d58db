"""Tracked changes (revisions) in WordprocessingML: marking them, and accepting or
rejecting all of them at once.

A redline marks what it shows as these elements, each with ``w:id``, ``w:author`` and
``w:date``:

- ``w:ins`` / ``w:del`` around runs: words inserted or deleted (deleted text is in
  ``w:delText``);
- ``w:ins`` / ``w:del`` in a paragraph mark's run properties (``w:pPr/w:rPr``): the
  paragraph itself inserted or deleted, so that accepting or rejecting the change
  removes the paragraph, not only its words, and Word's list numbering follows;
- ``w:ins`` / ``w:del`` in a row's properties (``w:trPr``): a table row inserted or
  deleted;
- ``w:rPrChange`` in a run's properties: the run's formatting changed, holding the old
  properties.

:func:`accept_all` and :func:`reject_all` resolve every change as Word's *Accept All* and
*Reject All* do; :func:`resolve_package` does it to the main part of a package.
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import zipfile

from lxml import etree

from gfmdreport.formats.docx.ooxml.ns import W

INS, DEL, RPR_CHANGE = W + "ins", W + "del", W + "rPrChange"
P, PPR, RPR, TR, TRPR, TBL, TC = (W + t for t in ("p", "pPr", "rPr", "tr", "trPr", "tbl",
                                                   "tc"))
T, DEL_TEXT, HYPERLINK, R = W + "t", W + "delText", W + "hyperlink", W + "r"
ID, AUTHOR, DATE = W + "id", W + "author", W + "date"
_RUN_CONTENT = {R, HYPERLINK, W + "fldSimple", W + "smartTag", W + "sdt"}


class Marks:
    """Revision marks of one author at one time, numbered from 1 in a document."""

    def __init__(self, author: str, date: _dt.datetime | None):
        self.author = author
        self.date = (date or _dt.datetime.now(_dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = 1

    def make(self, tag: str):
        """A new revision element ``tag`` (``W + "ins"`` …) with its id, author and
        date."""
        el = etree.Element(tag, {ID: str(self.next_id), AUTHOR: self.author,
                                 DATE: self.date})
        self.next_id += 1
        return el

    def wrap(self, parent, tag: str):
        """A new ``w:ins`` or ``w:del`` appended to ``parent``, to receive runs."""
        el = self.make(tag)
        parent.append(el)
        return el

    def paragraph(self, p, tag: str) -> None:
        """Mark paragraph ``p`` itself as inserted or deleted (its paragraph mark)."""
        ppr = p.find(PPR)
        if ppr is None:
            ppr = etree.Element(PPR)
            p.insert(0, ppr)
        rpr = ppr.find(RPR)
        if rpr is None:
            rpr = etree.SubElement(ppr, RPR)
        rpr.append(self.make(tag))

    def row(self, tr, tag: str) -> None:
        """Mark a table row as inserted or deleted."""
        trpr = tr.find(TRPR)
        if trpr is None:
            trpr = etree.Element(TRPR)
            tr.insert(0, trpr)
        trpr.append(self.make(tag))

    def formatting(self, r, old_rpr) -> None:
        """Record that run ``r``'s formatting was ``old_rpr`` (a ``w:rPr``, or
        ``None`` for none)."""
        rpr = r.find(RPR)
        if rpr is None:
            rpr = etree.Element(RPR)
            r.insert(0, rpr)
        change = self.make(RPR_CHANGE)
        was = etree.SubElement(change, RPR)
        if old_rpr is not None:
            for child in old_rpr:
                was.append(copy.deepcopy(child))
        rpr.append(change)


def deleted(r) -> None:
    """Turn a run's text into deleted text (``w:t`` → ``w:delText``)."""
    for t in r.iter(T):
        t.tag = DEL_TEXT


def accept_all(root) -> None:
    """Accept every tracked change in ``root`` (a document, a body, blocks), in place."""
    _resolve(root, keep=INS, drop=DEL)


def reject_all(root) -> None:
    """Reject every tracked change in ``root``, in place."""
    _resolve(root, keep=DEL, drop=INS)


def _resolve(root, keep: str, drop: str) -> None:
    gone_paragraphs, gone_rows = [], []
    for el in list(root.iter(drop)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == RPR and parent.getparent() is not None \
                and parent.getparent().tag == PPR:
            gone_paragraphs.append(parent.getparent().getparent())
            _remove(el)
        elif parent.tag == TRPR:
            gone_rows.append(parent.getparent())
            _remove(el)
        else:
            _remove(el)
    for el in list(root.iter(keep)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag in (RPR, TRPR):
            _remove(el)
            continue
        for t in el.iter(DEL_TEXT):
            t.tag = T
        index = parent.index(el)
        for child in reversed(list(el)):
            parent.insert(index, child)
        parent.remove(el)
    for change in list(root.iter(RPR_CHANGE)):
        rpr = change.getparent()
        if keep == INS:
            rpr.remove(change)
        else:
            was = change.find(RPR)
            for child in list(rpr):
                rpr.remove(child)
            for child in (was if was is not None else ()):
                rpr.append(child)
        if not len(rpr):
            rpr.getparent().remove(rpr)
    for link in list(root.iter(HYPERLINK)):
        if not len(link):
            link.getparent().remove(link)
    for ppr in root.iter(PPR):
        rpr = ppr.find(RPR)
        if rpr is not None and not len(rpr) and not rpr.attrib:
            ppr.remove(rpr)
    for p in gone_paragraphs:
        _remove_paragraph(p)
    for tr in gone_rows:
        tbl = tr.getparent()
        if tbl is None:
            continue
        tbl.remove(tr)
        if tbl.find(TR) is None and tbl.getparent() is not None:
            tbl.getparent().remove(tbl)


def _remove(el) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _remove_paragraph(p) -> None:
    """A paragraph whose mark is gone: its remaining content joins the next paragraph
    (whose properties the joined paragraph keeps), as in Word; an empty one goes. The
    one paragraph a table cell must hold stays."""
    parent = p.getparent()
    if parent is None:
        return
    content = [child for child in p if child.tag != PPR]
    following = p.getnext()
    if content:
        if following is None or following.tag != P:
            return
        ppr = following.find(PPR)
        at = 1 if ppr is not None else 0
        for child in reversed(content):
            following.insert(at, child)
    elif parent.tag == TC and len(parent.findall(P)) == 1:
        return
    parent.remove(p)


def has_revisions(root) -> bool:
    """Whether ``root`` holds any tracked change."""
    return any(True for _ in root.iter(INS, DEL, RPR_CHANGE))


def resolve_package(data: bytes, *, accept: bool) -> bytes:
    """A DOCX package with every tracked change of its main part accepted (or
    rejected). Rejecting also drops the parts gfmdreport embeds the model in, which
    describe the document with its changes accepted."""
    from gfmdreport.formats.docx.ooxml.customxml import is_model_part
    from gfmdreport.formats.docx.ooxml.package import safe_parser

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(blob, safe_parser())
                (accept_all if accept else reject_all)(root)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            elif not accept and info.filename.startswith("customXml/item") \
                    and is_model_part(blob):
                blob = b'<?xml version="1.0" encoding="UTF-8"?><removed/>'
            target.writestr(info, blob)
    return out.getvalue()
