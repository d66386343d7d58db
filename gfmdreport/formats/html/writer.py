"""HTML out: one self-contained, accessible page that also prints well.

This module only registers the writer; the implementation (Jinja2 templates, the
default stylesheet) lives in :mod:`gfmdreport.formats.html.page` and is imported on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gfmdreport import hookimpl
from gfmdreport.hooks.registry import Option
from gfmdreport.hooks.registry import Writer


def write(summary, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.html.page import write as write_html

    return write_html(summary, options)


OPTIONS = (
    Option("template", "Jinja2 page template replacing the built-in one (see docs/html.md).",
           kind="path"),
    Option("css", "Stylesheet embedded after the default one (or instead: --css-mode).",
           kind="path"),
    Option("css-mode", "add: --css follows the default stylesheet; replace: it is the only "
           "one.", kind="choice", default="add", choices=("add", "replace")),
    Option("fragment", "Only the summary's <article>, for embedding in a CMS page.",
           kind="flag", default=False),
)


def write_proceedings(proceedings, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.html.proceedings import write as write_page

    return write_page(proceedings, options)


def redline(old, new, options: Mapping[str, Any]) -> bytes:
    from gfmdreport.formats.html.page import page_css
    from gfmdreport.formats.html.redline import redline_html
    from gfmdreport.redline import default_author
    from gfmdreport.redline import revision_date

    return redline_html(old, new, author=options.get("author") or default_author(),
                        date=options.get("date") or revision_date(),
                        css=page_css(new.language)).encode("utf-8")


@hookimpl
def register_writers(register):
    register(Writer(name="html", write=write, redline=redline, suffix=".html",
                    media_type="text/html",
                    description="Self-contained HTML5 page (or fragment) that prints on A4",
                    options=OPTIONS, write_proceedings=write_proceedings))
