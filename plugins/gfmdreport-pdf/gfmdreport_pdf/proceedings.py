"""An event's proceedings as PDF: the ``docx`` writer's proceedings, converted by
LibreOffice, with the contents' page numbers filled.

The Word file's contents is a ``TOC`` field whose provisional entries each carry a
``PAGEREF`` field to a bookmark on their heading: Word rebuilds the whole when it opens
the file, but LibreOffice keeps a TOC field's result as fixed text and leaves its
``PAGEREF`` fields empty. For the PDF, the TOC field's own markers are taken out of the
copy that is converted, so that its entries are ordinary paragraphs whose ``PAGEREF``
fields LibreOffice computes as it lays the pages out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from gfmdreport import SessionSummary
from gfmdreport import render_proceedings

from .convert import convert
from .convert import find_soffice
from .convert import normalise
from .convert import stamp
from .convert import timeout_from

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"


def live_contents(document: bytes) -> bytes:
    """The DOCX with the runs of its TOC fields' markers removed (begin, instruction,
    separator and end), their entries and page references kept."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(document))
    root = etree.fromstring(source.read(DOCUMENT))
    for instr in list(root.iter(f"{W}instrText")):
        if not (instr.text or "").strip().startswith("TOC "):
            continue
        begin_run = instr.getparent()
        runs = [begin_run.getprevious(), begin_run, begin_run.getnext()]
        content = begin_run.getparent().getparent()  # the paragraph's container
        ends = content.findall(f"{W}p/{W}r/{W}fldChar[@{W}fldCharType='end']")
        if ends:  # the TOC's end: the last marker outside an entry's hyperlink
            runs.append(ends[-1].getparent())
        for run in runs:
            if run is not None and run.getparent() is not None:
                run.getparent().remove(run)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == DOCUMENT:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            target.writestr(info, data)
    return out.getvalue()


def write_proceedings(proceedings, options: Mapping[str, Any]) -> bytes:
    docx_options = {k: options[k] for k in ("reference_doc", "author")
                    if options.get(k) not in (None, False)}
    program = find_soffice()
    document = render_proceedings(proceedings, "docx", **docx_options)
    pdf = convert(live_contents(document), program=program, timeout=timeout_from(options))
    return normalise(pdf, stamp(SessionSummary(date=proceedings.start_date)))
