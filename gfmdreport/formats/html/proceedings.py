"""Proceedings as one HTML page: the cover as the page's header, the contents as a
``<nav>``, each session an ``<article>`` chapter, the annex and the index.

Each session is the single report's own fragment (``summary.html.j2``, its parts
numbered as the proceedings number them), made a chapter: its header block replaced by
the chapter's (``<h2>`` with the session's date, venue and people), its headings one
level below (``<h3>``), its ids prefixed with the chapter's (``c2-gfmd-question-1``), so
that ids stay unique and every entry of the contents is a working link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from markupsafe import Markup
from markupsafe import escape

from gfmdreport.event import Proceedings
from gfmdreport.formats.html import localize
from gfmdreport.formats.html.page import FRAGMENT_TEMPLATE
from gfmdreport.formats.html.page import Part
from gfmdreport.formats.html.page import builtin_environment
from gfmdreport.formats.html.page import content_security_policy
from gfmdreport.formats.html.page import context
from gfmdreport.formats.html.page import page_css
from gfmdreport.formats.html.page import read_css
from gfmdreport.formats.html.text import RenderState
from gfmdreport.formats.html.text import clean_summary
from gfmdreport.formats.html.text import inline_html
from gfmdreport.formats.html.text import reset_state
from gfmdreport.formats.html.text import set_state
from gfmdreport.inline import plain
from gfmdreport.labels import format_date
from gfmdreport.labels import format_date_span
from gfmdreport.labels import format_time_range
from gfmdreport.labels import proceedings_labels
from gfmdreport.model import Item
from gfmdreport.model import SessionSummary

CSS = """
/* proceedings */
.proceedings-cover { text-align: center; margin: 2rem 0 3rem; }
.proceedings-cover h1 { font-size: 2rem; margin-bottom: 0.5rem; }
.proceedings-cover .subtitle { font-size: 1.25rem; margin: 0 0 1.5rem; }
nav.contents ol { list-style: none; padding-left: 0; }
nav.contents ol ol { padding-left: 1.5rem; }
nav.contents li { margin: 0.2rem 0; }
.chapter > h2, .front > h2, .annex > h2 { border-bottom: 2px solid #1f3864;
  color: #1f3864; padding-bottom: 0.2rem; }
h2.part { text-align: center; text-transform: uppercase; margin-top: 3rem; }
.chapter-when { font-style: italic; }
ol.prefixed { list-style: none; padding-left: 0; }
ol.prefixed > li { position: relative; padding-left: 3.2em; }
ol.prefixed > li::before { content: attr(data-number); position: absolute; left: 0; }
table.annex-table { width: 100%; border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
table.annex-table th, table.annex-table td { border: 1px solid #b8c2cc;
  padding: 0.3rem 0.5rem; vertical-align: top; text-align: left; }
table.annex-table th { background: #e8edf3; }
@media print {
  .chapter, .front, .annex, h2.part { break-before: page; page-break-before: always; }
  h2.part + .chapter { break-before: auto; page-break-before: auto; }
}
"""

_HEADER = re.compile(r'<header class="summary-header">.*?</header>\n', re.S)
_IDS = re.compile(r'((?:id|aria-labelledby)=")(gfmd-)')
_H2 = re.compile(r"<(/?)h2\b")
_PARA = re.compile(r'<li id="(c\d+-gfmd-para-(\d+))">')


def _people(summary: SessionSummary, labels: Mapping[str, str]) -> Markup:
    out = Markup("")
    for one, many, people in (("chair", "co_chairs", summary.chairs),
                              ("rapporteur", "rapporteurs", summary.rapporteurs)):
        if not people:
            continue
        label = labels[one] if len(people) == 1 else labels[many]
        names = Markup("; ").join(
            Markup(", ").join(escape(t) for t in (p.display_name, p.role, p.organization)
                              if t) for p in people)
        out += Markup('<p class="chapter-people"><strong>%s:</strong> %s</p>\n') % (
            label, names)
    return out


def chapter_html(proceedings: Proceedings, number: int, summary: SessionSummary,
                 offset: int) -> tuple[Markup, list[tuple[str, str]]]:
    """One session as a chapter, and its headings for the contents (id, text)."""
    summary = clean_summary(summary)
    variables = context(summary, fragment=True)
    parts = []
    for part in variables["parts"]:
        if part.kind == "paragraphs" and proceedings.numbering == "continuous":
            part = replace(part, paragraphs=tuple((n + offset, p) for n, p in
                                                  part.paragraphs))
        parts.append(part)
    variables["parts"] = parts
    html = builtin_environment().get_template(FRAGMENT_TEMPLATE).render(variables)
    prefix = f"c{number}-"
    html = _HEADER.sub("", html, count=1)
    html = _IDS.sub(lambda m: m.group(1) + prefix + m.group(2), html)
    html = _H2.sub(lambda m: f"<{m.group(1)}h3", html)
    if proceedings.numbering == "prefixed":
        html = html.replace('<ol class="paragraphs"', '<ol class="paragraphs prefixed"')
        html = _PARA.sub(lambda m: f'<li id="{m.group(1)}" data-number="'
                                   f'{number}.{m.group(2)}.">', html)
    labels = {**proceedings_labels(summary.language), **summary.labels}
    when = ", ".join(t for t in (format_date(summary.date, summary.language, labels),
                                 format_time_range(summary.start_time, summary.end_time,
                                                   summary.language, labels)) if t)
    details = " — ".join(t for t in (when, summary.venue) if t)
    title = f"{number}. {summary.session or summary.title}"
    head = Markup('<h2 id="chapter-%s">%s</h2>\n') % (number, title)
    if details:
        head += Markup('<p class="chapter-when">%s</p>\n') % details
    head += _people(summary, labels)
    html = html.replace('lang="', f'id="chapter-{number}-article" lang="', 1)
    opening = html.index(">") + 1
    body = Markup(html[:opening]) + Markup("\n") + head + Markup(html[opening:])
    entries = [(f"chapter-{number}", title)]
    for part in parts:
        if part.kind == "heading":
            entries.append((prefix + part.id, "  " + plain(part.block.text)))
    return body, entries


def _items(items: tuple[Item, ...]) -> Markup:
    if not items:
        return Markup("")
    out = Markup("<ul>")
    for item in items:
        out += Markup("<li>%s%s</li>") % (inline_html(item.text), _items(item.items))
    return out + Markup("</ul>")


def render_proceedings(proceedings: Proceedings, *, css: str | None = None) -> str:
    p = proceedings
    labels = proceedings_labels(p.language)
    state = RenderState(source=p.source, language=p.language)
    token = set_state(state)
    try:
        sections: list[Markup] = []
        toc: list[tuple[str, str]] = []
        for key, paragraphs in (("foreword", p.foreword), ("introduction", p.introduction)):
            if paragraphs:
                toc.append((key, labels[key]))
                sections.append(Markup('<section class="front" aria-labelledby="%s">'
                                       '<h2 id="%s">%s</h2>\n%s</section>\n') % (
                    key, key, labels[key],
                    Markup("").join(Markup("<p>%s</p>\n") % inline_html(t)
                                    for t in paragraphs)))
        offsets = p.offsets()
        for index, (part, chapters) in enumerate(p.parts(), 1):
            if part:
                toc.append((f"part-{index}", part))
                sections.append(Markup('<h2 class="part" id="part-%d">%s</h2>\n') % (
                    index, part))
            for number, chapter in chapters:
                html, entries = chapter_html(p, number, chapter.summary, offsets[number - 1])
                sections.append(html)
                toc.extend(entries)
        sections.append(annex_html(p, labels, toc))
    finally:
        reset_state(token)
    stylesheet = page_css(p.language, (read_css(css) if css else "") + CSS)
    nav = Markup('<nav class="contents" aria-labelledby="contents"><h2 id="contents">'
                 '%s</h2>\n<ol>\n') % labels["contents"]
    open_sub = False
    for anchor, text in toc:
        sub = text.startswith("  ")
        if sub and not open_sub:
            nav = Markup(nav[:-len("</li>\n")]) + Markup("\n<ol>\n")
            open_sub = True
        elif not sub and open_sub:
            nav += Markup("</ol></li>\n")
            open_sub = False
        nav += Markup('<li><a href="#%s">%s</a></li>\n') % (anchor, text.strip())
    if open_sub:
        nav += Markup("</ol></li>\n")
    nav += Markup("</ol>\n</nav>\n")
    when = format_date_span(p.start_date, p.end_date, p.language)
    cover = Markup('<header class="proceedings-cover">\n<h1>%s</h1>\n') % p.title
    if p.subtitle:
        cover += Markup('<p class="subtitle">%s</p>\n') % p.subtitle
    for line in (when, p.venue):
        if line:
            cover += Markup("<p>%s</p>\n") % line
    if p.organisers:
        cover += Markup("<p>%s: %s</p>\n") % (labels["organised_by"],
                                              Markup("; ").join(p.organisers))
    cover += Markup("</header>\n")
    from gfmdreport import __version__

    head = Markup(
        '<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="%s">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>%s</title>\n"
        '<meta name="generator" content="gfmdreport %s">\n<style>%s</style>\n</head>\n') % (
        localize.html_lang(p.language), content_security_policy(stylesheet),
        " — ".join(t for t in (p.title, p.subtitle) if t), __version__, Markup(stylesheet))
    return str(head + Markup("<body>\n<main>\n") + cover + nav + Markup("").join(sections)
               + Markup("</main>\n</body>\n</html>\n"))


def annex_html(p: Proceedings, labels: Mapping[str, str], toc: list) -> Markup:
    toc.append(("annex", labels["annex"]))
    out = Markup('<section class="annex" aria-labelledby="annex"><h2 id="annex">%s</h2>\n'
                 ) % labels["annex"]
    tables = p.annex_tables()
    if tables:
        toc.append(("annex-tables", "  " + labels["annex_tables"]))
        out += Markup('<h3 id="annex-tables">%s</h3>\n') % labels["annex_tables"]
        for i, table in enumerate(tables, 1):
            out += Markup('<table class="annex-table" id="annex-table-%d">'
                          "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                          '<th scope="col">%s</th></tr></thead>\n<tbody>\n') % (
                i, inline_html(table.heading), labels["item"], labels["session"])
            for entry in table.entries:
                s = p.chapters[entry.chapter - 1].summary
                name = (s.session or s.title).split(":", 1)[0]
                out += Markup('<tr><td>%s%s</td><td><a href="#chapter-%d">%d. %s</a></td>'
                              "</tr>\n") % (inline_html(entry.item.text),
                                            _items(entry.item.items), entry.chapter,
                                            entry.chapter, name)
            out += Markup("</tbody></table>\n")
    index = p.people_index()
    if index:
        toc.append(("index", "  " + labels["index"]))
        out += Markup('<h3 id="index">%s</h3>\n<table class="annex-table"><thead><tr>'
                      '<th scope="col">%s</th><th scope="col">%s</th></tr></thead>\n'
                      "<tbody>\n") % (labels["index"], labels["name"], labels["session"])
        for entry in index:
            person = entry.person
            who = ", ".join(t for t in (person.display_name, person.role,
                                        person.organization) if t)
            roles = Markup("; ").join(
                Markup("%s: %s") % (labels[key], Markup(", ").join(
                    Markup('<a href="#chapter-%d">%d</a>') % (n, n) for n in numbers))
                for key, numbers in (("chaired", entry.chaired), ("reported", entry.reported))
                if numbers)
            out += Markup("<tr><td>%s</td><td>%s</td></tr>\n") % (who, roles)
        out += Markup("</tbody></table>\n")
    for i, section in enumerate(p.annexes, 1):
        toc.append((f"annex-{i}", "  " + plain(section.title)))
        out += Markup('<h3 id="annex-%d">%s</h3>\n') % (i, inline_html(section.title))
        for text in section.paragraphs:
            out += Markup("<p>%s</p>\n") % inline_html(text)
        out += _items(section.items)
    return out + Markup("</section>\n")


def write(proceedings: Proceedings, options: Mapping[str, Any]) -> bytes:
    """The page's bytes; ``css`` (a path) adds to the stylesheet as for one summary."""
    from gfmdreport.diagnostics import UsageError

    for key in ("template", "fragment"):
        if options.get(key):
            raise UsageError(f"--{key} does not apply to proceedings (the page is built "
                             "from each session's fragment)")
    if options.get("css_mode") == "replace":
        raise UsageError("--css-mode replace does not apply to proceedings")
    return render_proceedings(proceedings, css=options.get("css") or None).encode("utf-8")


__all__ = ["Part", "render_proceedings", "write"]
