"""The HTML writer: one self-contained, accessible HTML5 page (or a fragment for a CMS).

The page is built from Jinja2 templates with autoescaping; inline markup is rendered
from :func:`gfmdreport.inline.parse` by :mod:`gfmdreport.formats.html.text`, which escapes every
text and keeps only http, https and mailto links. A Content-Security-Policy forbids
scripts and any request outside the page.

``--template FILE`` replaces the page template (rendered in a sandbox with the same
autoescaping); ``--css FILE`` adds to the default stylesheet or, with
``--css-mode replace``, replaces it; ``--fragment`` emits only the ``<article>``.
docs/html.md documents the template variables.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import UsageError
from gfmdreport.formats.html import localize
from gfmdreport.formats.html.text import RenderState
from gfmdreport.formats.html.text import clean_summary
from gfmdreport.formats.html.text import inline_html
from gfmdreport.formats.html.text import plain_text
from gfmdreport.formats.html.text import reset_state
from gfmdreport.formats.html.text import set_state
from gfmdreport.labels import format_date
from gfmdreport.labels import format_time
from gfmdreport.labels import format_time_range
from gfmdreport.labels import summary_labels
from gfmdreport.model import Block
from gfmdreport.model import Heading
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

HERE = Path(__file__).resolve().parent
PAGE_TEMPLATE = "gfmdreport/page.html.j2"
FRAGMENT_TEMPLATE = "gfmdreport/summary.html.j2"
STYLESHEET = HERE / "gfmdreport.css"
BUILTIN_PREFIX = "gfmdreport/"
"""User templates reach the built-in ones by this prefix:
``{% extends "gfmdreport/page.html.j2" %}``."""

CSS_MODES = ("add", "replace")


@dataclass(frozen=True)
class Part:
    """One piece of the body as the templates lay it out: a run of consecutive numbered
    paragraphs (one ``<ol>``), or a heading, a question or the table."""

    kind: str
    """``paragraphs``, ``heading``, ``question`` or ``table``."""
    block: Block | None = None
    """The heading, question or table (``None`` for a run of paragraphs)."""
    paragraphs: tuple[tuple[int, Paragraph], ...] = ()
    """``(number, paragraph)`` pairs of a run; numbers continue through the document."""
    id: str = ""
    """An ``id`` for the part's heading (or the prefix of its paragraphs' ids)."""
    keep_together: bool = False
    """For a table: short enough to print on one page, so its row is not split."""

    @property
    def start(self) -> int:
        return self.paragraphs[0][0] if self.paragraphs else 1


def parts_of(summary: SessionSummary) -> list[Part]:
    """The body grouped for the templates, paragraph numbers from ``summary.numbered()``."""
    parts: list[Part] = []
    run: list[tuple[int, Paragraph]] = []
    counts = {"heading": 0, "question": 0, "table": 0}

    def flush() -> None:
        if run:
            parts.append(Part("paragraphs", None, tuple(run), "gfmd-para"))
            run.clear()

    for number, block in summary.numbered():
        if isinstance(block, Paragraph) and number is not None:
            run.append((number, block))
            continue
        flush()
        kind = {Heading: "heading", Question: "question", SummaryTable: "table"}.get(
            type(block))
        if kind is None:
            continue  # a block type this writer does not know
        if kind == "table" and not block.columns:
            continue
        counts[kind] += 1
        keep = kind == "table" and printed_lines(block) <= TABLE_LINES_PER_PAGE
        parts.append(Part(kind, block, (), f"gfmd-{kind}-{counts[kind]}", keep))
    flush()
    return parts


TABLE_LINES_PER_PAGE = 40
"""Lines of table text that surely fit on an A4 page with the heading above (the
printed page holds about 48 at the table's size)."""
_CHARS_PER_LINE = 30
"""Characters on a printed line of a column of the three-column table."""


def printed_lines(table: SummaryTable) -> int:
    """About how many lines the tallest column of ``table`` takes when printed."""
    from gfmdreport.inline import plain

    def lines(text: str) -> int:
        return max(1, -(-len(plain(text)) // _CHARS_PER_LINE))

    tallest = 0
    for column in table.columns:
        count = lines(column.heading) + 1
        for item in column.items:
            count += sum(lines(i.text) for i in item.walk())
        tallest = max(tallest, count)
    return tallest


# ---- filters --------------------------------------------------------------------------------

def _inline_filter(value: Any) -> Markup:
    """``{{ block | inline }}``: a paragraph, item, heading or question (or any inline
    source string) as HTML; link problems are reported at the block's location."""
    if isinstance(value, str):
        return inline_html(value)
    text = getattr(value, "text", None)
    if not isinstance(text, str):
        raise TypeError(f"the inline filter needs text or a block with text, not "
                        f"{type(value).__name__}")
    return inline_html(text, getattr(value, "loc", None))


def _plain_filter(value: Any) -> str:
    text = value if isinstance(value, str) else getattr(value, "text", "")
    return plain_text(text)


def _person_filter(person: Person) -> Markup:
    """``Mr. Ola Henrikson, Director General …, Swedish Ministry of Justice``."""
    out = Markup('<span class="name">%s</span>') % person.display_name
    for extra in (person.role, person.organization):
        if extra:
            out += Markup(", %s") % extra
    return out


def _make_question_label(summary: SessionSummary):
    def question_label(number: int) -> str:
        return localize.question_label(number, summary)

    return question_label


FILTERS = {"inline": _inline_filter, "plain": _plain_filter, "person": _person_filter}


# ---- environments (built once per process) --------------------------------------------------

def template_environment(loader: Any):
    """An environment with the built-in templates' settings, loading with ``loader``."""
    from jinja2 import Environment
    from jinja2 import StrictUndefined

    env = Environment(loader=loader, autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def builtin_environment():
    """The environment of the built-in templates, which it loads compiled
    (:mod:`gfmdreport.formats.html.precompiled`) when their compiled code is current."""
    from jinja2 import PrefixLoader

    from gfmdreport.formats.html.precompiled import PrecompiledLoader

    return template_environment(
        PrefixLoader({BUILTIN_PREFIX.rstrip("/"): PrecompiledLoader(HERE)}))


# ---- stylesheet -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def default_css() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


_STYLE_END = re.compile(r"</style", re.IGNORECASE)


def read_css(path: str) -> str:
    """A user stylesheet, refused if it could end the ``<style>`` element."""
    from gfmdreport.files import decode
    from gfmdreport.files import read_bytes

    text = decode(read_bytes(path), path)
    m = _STYLE_END.search(text)
    if m:
        before = text[:m.start()]
        line = before.count("\n") + 1
        column = m.start() - (before.rfind("\n") + 1) + 1
        raise InputError.single(
            "css", f"{m.group(0)!r} cannot appear in a stylesheet embedded in the page",
            Location(path, line, column), "remove it (a CSS file holds only CSS)")
    from gfmdreport.formats.html.text import has_forbidden

    if has_forbidden(text):
        raise InputError.single("css", "the stylesheet holds control characters HTML does "
                                "not allow", Location(path), "save it as plain UTF-8 text")
    return text


def page_css(language: str, extra: str | None = None, mode: str = "add") -> str:
    """The stylesheet embedded in the page: the default one (with a page footer in the
    summary's language), then the user's, or the user's alone with ``replace``."""
    footer = (f"\n@page {{\n  @bottom-center {{\n    content: "
              f"{localize.page_counter_css(language)};\n    font-family: var(--font);\n"
              f"    font-size: 8.5pt;\n    color: #4a5561;\n  }}\n}}\n")
    if extra is not None and mode == "replace":
        return "\n" + extra.strip("\n") + "\n"
    css = "\n" + default_css().strip("\n") + "\n" + footer
    if extra is not None:
        css += "\n/* --css */\n" + extra.strip("\n") + "\n"
    return css


def content_security_policy(css: str) -> str:
    """No scripts, no requests: only this page's own stylesheet (by its hash) and
    ``data:`` images and fonts a user stylesheet may embed."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; script-src 'none'; object-src 'none'; "
            f"style-src 'sha256-{digest}'; img-src data:; font-src data:; "
            "base-uri 'none'; form-action 'none'")


# ---- the page --------------------------------------------------------------------------------

def _people_groups(summary: SessionSummary, labels: Mapping[str, str]):
    groups = []
    if summary.chairs:
        groups.append((labels["chair"] if len(summary.chairs) == 1 else labels["co_chairs"],
                       summary.chairs))
    if summary.rapporteurs:
        groups.append((labels["rapporteur"] if len(summary.rapporteurs) == 1
                       else labels["rapporteurs"], summary.rapporteurs))
    return tuple(groups)


def _times(summary: SessionSummary, labels: Mapping[str, str]) -> tuple[dict[str, str], ...]:
    """The start and end times as printed, each with its ``datetime`` value: the local
    date and time (``2017-09-06T10:30``), the time alone without a real date, or empty
    for a time that is not ``HH:MM``."""
    date = summary.date_value
    out = []
    for value in (summary.start_time, summary.end_time):
        if not value:
            continue
        iso = ""
        if summary.time_value(value) is not None:
            iso = f"{date.isoformat()}T{value}" if date else value
        out.append({"text": format_time(value, summary.language, labels), "datetime": iso})
    return tuple(out)


def context(summary: SessionSummary, *, css: str = "", csp: str = "",
            fragment: bool = False) -> dict[str, Any]:
    """The variables every template receives (documented in docs/html.md)."""
    from gfmdreport import __version__

    language = summary.language
    labels = summary_labels(summary)
    date = summary.date_value
    date_text = format_date(summary.date, language, labels)
    time_text = format_time_range(summary.start_time, summary.end_time, language, labels)
    when = ", ".join(t for t in (date_text, time_text) if t)
    authors = summary.rapporteurs or summary.chairs
    description = " — ".join(t for t in (summary.title, summary.session, when) if t)
    page_title = " — ".join(t for t in (summary.session, summary.title) if t) or "Summary"
    return {
        "summary": summary,
        "labels": labels,
        "lang": localize.html_lang(language),
        "parts": parts_of(summary),
        "people_groups": _people_groups(summary, labels),
        "date_text": date_text,
        "date_iso": date.isoformat() if date else "",
        "time_text": time_text,
        "times": _times(summary, labels),
        "time_separator": labels["time_range"].split("{start}", 1)[-1].split("{end}", 1)[0],
        "when": when,
        "page_title": " ".join(page_title.split()),
        "meta": {
            "description": " ".join(description.split()),
            "author": ", ".join(p.display_name for p in authors),
            "date": date.isoformat() if date else "",
        },
        "css": Markup(css),
        "csp": csp,
        "fragment": fragment,
        "version": __version__,
        "question_label": _make_question_label(summary),
    }


def render_html(summary: SessionSummary, *, template: str | None = None,
                css: str | None = None, css_mode: str = "add",
                fragment: bool = False) -> str:
    """The summary as an HTML page (or, with ``fragment``, its ``<article>`` alone).

    ``template`` and ``css`` are paths to user files. Problems in them raise
    :class:`~gfmdreport.InputError` located in the file; unsafe links and characters
    HTML forbids are reported as warnings while rendering.
    """
    if css_mode not in CSS_MODES:
        raise UsageError(f"--css-mode must be one of {', '.join(CSS_MODES)}, not {css_mode!r}")
    if css_mode == "replace" and not css:
        raise UsageError("--css-mode replace needs a stylesheet: give it with --css FILE")
    if fragment and css:
        raise UsageError("--css does not apply to --fragment: a fragment carries no "
                         "stylesheet, the host page styles it (see docs/html.md)")
    state = RenderState(source=summary.source, language=summary.language)
    token = set_state(state)
    try:
        summary = clean_summary(summary)
        extra = read_css(css) if css else None
        stylesheet = "" if fragment else page_css(summary.language, extra, css_mode)
        csp = content_security_policy(stylesheet) if stylesheet else ""
        variables = context(summary, css=stylesheet, csp=csp, fragment=fragment)
        if template:
            return _render_user(template, variables)
        env = builtin_environment()
        tmpl = env.get_template(FRAGMENT_TEMPLATE if fragment else PAGE_TEMPLATE)
        return tmpl.render(variables)
    finally:
        reset_state(token)


def _render_user(path: str, variables: dict[str, Any]) -> str:
    from jinja2 import TemplateSyntaxError

    from gfmdreport.diagnostics import GfmdError
    from gfmdreport.files import read_bytes
    from gfmdreport.formats.html.sandbox import TemplateLimit
    from gfmdreport.formats.html.sandbox import render_bounded
    from gfmdreport.formats.html.sandbox import user_environment

    read_bytes(path)  # a missing or unreadable template is an error naming the file
    folder, name = os.path.split(path)
    env = user_environment(os.path.abspath(folder or "."))
    try:
        return render_bounded(env.get_template(name), variables)
    except GfmdError:
        raise
    except TemplateLimit as exc:
        filename, line = _template_frame(exc, env.loader.filenames)
        raise InputError([exc.diagnostic(Location(_shown(filename, folder) or path,
                                                  line))]) from None
    except TemplateSyntaxError as exc:
        raise InputError.single(
            "template-syntax", exc.message or "syntax error",
            Location(_shown(exc.filename, folder) or path, exc.lineno),
            "see the Jinja2 template syntax; docs/html.md lists the variables") from None
    except Exception as exc:  # undefined names, sandbox refusals, errors in expressions
        filename, line = _template_frame(exc, env.loader.filenames)
        text = str(exc).strip()
        message = text.splitlines()[0] if text else type(exc).__name__
        kind = type(exc).__name__
        hint = "docs/html.md lists the variables templates receive"
        if kind == "SecurityError":
            hint = "templates run in a sandbox: use the variables docs/html.md lists"
        elif kind == "TemplateNotFound":
            message = (f"template {message!r} not found next to the page template (a "
                       "template reads only regular files in its own folder, reached "
                       "without a symbolic link or a hidden folder)")
            hint = ("give a file in the same folder, or a built-in one as "
                    "'gfmdreport/page.html.j2'")
        raise InputError.single("template-error", f"{message} ({kind})",
                                Location(_shown(filename, folder) or path, line),
                                hint) from None


def _shown(filename: str | None, folder: str) -> str | None:
    """A template's file name as the user spelled its folder."""
    if not filename:
        return None
    base = os.path.abspath(folder or ".")
    if filename.startswith(base + os.sep):
        return os.path.join(folder, filename[len(base) + 1:])
    return filename


def _template_frame(exc: BaseException, filenames: set[str]) -> tuple[str | None, int | None]:
    """The innermost template line in the traceback (Jinja rewrites frames to point at
    template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in filenames:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def write(summary: SessionSummary, options: Mapping[str, Any]) -> bytes:
    """The writer's entry point (see :mod:`gfmdreport.formats.html.writer`)."""
    html = render_html(summary, template=options.get("template") or None,
                       css=options.get("css") or None,
                       css_mode=options.get("css_mode") or "add",
                       fragment=bool(options.get("fragment")))
    if not html.endswith("\n"):
        html += "\n"
    return html.encode("utf-8")
