"""The Word (DOCX) writer: the session summary as the secretariat circulates it.

:func:`render` builds the document from a prepared template (the shipped default, or a
``--reference-doc``, prepared with python-docx); the XML python-docx has no API for is
built with :mod:`gfmdreport.formats.docx.ooxml`; :mod:`.contract` names the styles a
template must provide (docs/docx.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from gfmdreport.diagnostics import Diagnostic
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import Severity
from gfmdreport.diagnostics import report
from gfmdreport.formats.docx.write.builder import render as _render
from gfmdreport.formats.docx.write.contract import CONTRACT
from gfmdreport.formats.docx.write.contract import StyleSpec
from gfmdreport.formats.docx.write.template import default_template_bytes
from gfmdreport.formats.docx.write.template import load_template
from gfmdreport.formats.docx.write.template import missing_styles
from gfmdreport.formats.docx.write.template import retired_styles
from gfmdreport.model import SessionSummary

__all__ = ["CONTRACT", "StyleSpec", "check_template", "default_template_bytes", "render",
           "render_redline",
           "retired_template_styles"]


def render(summary: SessionSummary, options: Mapping[str, Any] | None = None) -> bytes:
    """The DOCX bytes of ``summary``. ``options``: ``reference_doc`` (path), ``toc``
    (bool), ``author`` (text)."""
    options = options or {}
    reference = options.get("reference_doc") or None
    template = load_template(reference, summary.language)
    for dropped in template.dropped:
        report(Diagnostic(
            Severity.WARNING, "reference-doc",
            f"left out of the report: {dropped.what} (in {dropped.part}); a report takes "
            "only styles, lists, page setup, headers and footers, fonts and theme from "
            "its template", Location(os.fspath(reference)),
            "remove it from the template in Word to silence this"))
    if reference and template.added_styles:
        names = ", ".join(template.added_styles)
        report(Diagnostic(
            Severity.INFO, "reference-doc",
            f"the template lacks {len(template.added_styles)} of the {len(CONTRACT)} contract "
            f"styles; taken from the default: {names}", Location(os.fspath(reference)),
            "define them in the template to restyle them (docs/docx.md)"))
    return _render(summary, template, toc=bool(options.get("toc")),
                   author=options.get("author") or None)


def check_template(path: str | os.PathLike[str]) -> list[tuple[StyleSpec, str]]:
    """The contract styles the template at ``path`` lacks (or has with the wrong type)."""
    from gfmdreport.files import read_bytes

    name = os.fspath(path)
    return missing_styles(read_bytes(name), name)


def retired_template_styles(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Styles of earlier versions' contract the template at ``path`` defines, which no
    report uses any more, each with the built-in style to restyle instead."""
    from gfmdreport.files import read_bytes

    name = os.fspath(path)
    return retired_styles(read_bytes(name), name)


def render_redline(old: SessionSummary, new: SessionSummary,
                   options: Mapping[str, Any] | None = None) -> bytes:
    """The DOCX bytes of ``new`` with every difference from ``old`` as Word tracked
    changes (docs/diff.md). ``options``: ``reference_doc`` (path), ``author`` (of the
    revisions; default :func:`~.redline.default_author`), ``date`` (a
    :class:`datetime.datetime`; default ``SOURCE_DATE_EPOCH`` or now)."""
    from gfmdreport.formats.docx.write.redline import render_redline as _redline

    options = options or {}
    template = load_template(options.get("reference_doc") or None, new.language)
    return _redline(old, new, template, author=options.get("author") or None,
                    date=options.get("date"))
