"""Text into HTML: inline markup rendered from :func:`gfmdreport.inline.parse`, every
text escaped, links checked, and characters HTML forbids taken out.

Nothing here builds markup from the user's text except through :func:`markupsafe.escape`,
so a note that says ``<script>`` prints ``<script>``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field

from markupsafe import Markup
from markupsafe import escape

from gfmdreport import typography
from gfmdreport.diagnostics import Location
from gfmdreport.diagnostics import report
from gfmdreport.diagnostics import warning
from gfmdreport.inline import LINK_SCHEMES
from gfmdreport.inline import Code
from gfmdreport.inline import Emphasis
from gfmdreport.inline import LineBreak
from gfmdreport.inline import Link
from gfmdreport.inline import Node
from gfmdreport.inline import Strong
from gfmdreport.inline import Text
from gfmdreport.inline import link_target
from gfmdreport.inline import parse
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

# Link syntax markdown-it refused to make a link of (javascript:, data:, file:, …) stays
# in the text as written; these find it so that the writer can say why.
_REFUSED = (re.compile(r"\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.\-]*):(?:[^()\s]|\([^()\s]*\))*"),
            re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}):[^\s<>]*>"))
# Code points HTML does not allow in a document: C0 controls other than tab, line feed,
# form feed and carriage return; DEL and the C1 controls; lone surrogates; noncharacters.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")


@dataclass
class RenderState:
    """What one render has already reported (each problem is reported once)."""

    source: str | None = None
    language: str = "en"
    """Typography of the summary's language applies to every text printed."""
    seen: set[tuple[str, str, Location | None]] = field(default_factory=set)

    def warn(self, rule: str, message: str, location: Location | None,
             hint: str | None = None) -> None:
        key = (rule, message, location)
        if key in self.seen:
            return
        self.seen.add(key)
        report(warning(rule, message, location or Location(self.source), hint))


_state: ContextVar[RenderState | None] = ContextVar("gfmdreport_html_state", default=None)


def current_state() -> RenderState:
    state = _state.get()
    # outside render_html (a template rendered by hand) nothing is deduplicated
    return state if state is not None else RenderState()


def set_state(state: RenderState):
    return _state.set(state)


def reset_state(token) -> None:
    _state.reset(token)


# ---- inline markup --------------------------------------------------------------------------

def inline_html(source: str, location: Location | None = None) -> Markup:
    """Inline source (CommonMark) as safe HTML."""
    state = current_state()
    out: list[str] = []
    _walk(parse(source), out, state, location)
    return Markup("".join(out))


def _walk(nodes: Iterable[Node], out: list[str], state: RenderState,
          location: Location | None) -> None:
    for node in nodes:
        if isinstance(node, Text):
            _check_refused(node.text, state, location)
            out.append(escape(typography.apply(node.text, state.language)))
        elif isinstance(node, Code):
            out.append(Markup("<code>%s</code>") % node.text)
        elif isinstance(node, LineBreak):
            out.append("<br>")
        elif isinstance(node, Strong):
            out.append("<strong>")
            _walk(node.children, out, state, location)
            out.append("</strong>")
        elif isinstance(node, Emphasis):
            out.append("<em>")
            _walk(node.children, out, state, location)
            out.append("</em>")
        elif isinstance(node, Link):
            if link_target(node.href) is not None:
                if node.title:
                    out.append(Markup('<a href="%s" title="%s">') % (node.href, node.title))
                else:
                    out.append(Markup('<a href="%s">') % node.href)
                _walk(node.children, out, state, location)
                out.append("</a>")
            else:
                state.warn("unsafe-link",
                           f"link to {_shorten(node.href)!r} dropped: only http, https and "
                           f"mailto links are kept", location,
                           "give a full http(s):// or mailto: address; the link text is kept")
                _walk(node.children, out, state, location)


def _check_refused(text: str, state: RenderState, location: Location | None) -> None:
    if "(" not in text and "<" not in text:
        return
    for pattern in _REFUSED:
        for m in pattern.finditer(text):
            if m.group(1).lower() in LINK_SCHEMES:
                continue
            target = m.group(0).lstrip("](<").rstrip(">").strip()
            state.warn("unsafe-link",
                       f"link to {_shorten(target)!r} not made: only http, https and mailto "
                       f"links are kept, so the text is printed as written", location,
                       "give a full http(s):// or mailto: address, or remove the link")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def plain_text(source: str) -> str:
    """Inline source without markup (for attributes and ``<meta>`` tags)."""
    from gfmdreport.inline import plain

    return " ".join(plain(source).split())


# ---- characters HTML forbids ------------------------------------------------------------------

def has_forbidden(text: str) -> bool:
    return _FORBIDDEN.search(text) is not None


def strip_forbidden(text: str) -> str:
    return _FORBIDDEN.sub("", text)


def clean_summary(summary: SessionSummary) -> SessionSummary:
    """The summary with every character HTML forbids removed from its texts; each text
    changed is reported as a warning at its location."""
    state = current_state()
    changes: dict[str, object] = {}

    def fix(text: str, location: Location | None) -> str:
        if not has_forbidden(text):
            return text
        found = sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(text)})
        state.warn("control-character",
                   f"removed {', '.join(found[:5])}{' …' if len(found) > 5 else ''}: "
                   f"HTML does not allow these characters", location,
                   "delete the invisible character from the source")
        return strip_forbidden(text)

    for key in ("title", "session", "date", "start_time", "end_time", "venue", "language"):
        value = getattr(summary, key)
        if has_forbidden(value):
            loc_key = "time" if key.endswith("_time") else key
            changes[key] = fix(value, summary.location_of(loc_key))

    def person(p: Person) -> Person:
        fixed = {k: fix(getattr(p, k), p.loc) for k in ("name", "honorific", "role",
                                                        "organization")}
        return p if all(fixed[k] is getattr(p, k) for k in fixed) else \
            dataclasses.replace(p, **fixed)

    def items(values: tuple[Item, ...]) -> tuple[Item, ...]:
        out = tuple(dataclasses.replace(i, text=fix(i.text, i.loc), items=items(i.items))
                    if _dirty_item(i) else i for i in values)
        return out

    for key in ("chairs", "rapporteurs"):
        people = getattr(summary, key)
        if any(_dirty_person(p) for p in people):
            changes[key] = tuple(person(p) for p in people)

    if any(_dirty_block(b) for b in summary.body):
        body = []
        for block in summary.body:
            if not _dirty_block(block):
                body.append(block)
            elif isinstance(block, Paragraph):
                body.append(dataclasses.replace(block, text=fix(block.text, block.loc),
                                                items=items(block.items)))
            elif isinstance(block, Heading):
                body.append(dataclasses.replace(block, text=fix(block.text, block.loc)))
            elif isinstance(block, Question):
                body.append(dataclasses.replace(block, text=fix(block.text, block.loc),
                                                takeaways=items(block.takeaways)))
            elif isinstance(block, SummaryTable):
                body.append(dataclasses.replace(block, columns=tuple(
                    dataclasses.replace(c, heading=fix(c.heading, c.loc), items=items(c.items))
                    for c in block.columns)))
            else:  # a block type this writer does not know: printed by nothing
                body.append(block)
        changes["body"] = tuple(body)
    return dataclasses.replace(summary, **changes) if changes else summary


def _dirty_item(item: Item) -> bool:
    return has_forbidden(item.text) or any(_dirty_item(i) for i in item.items)


def _dirty_person(p: Person) -> bool:
    return any(has_forbidden(t) for t in (p.name, p.honorific, p.role, p.organization))


def _dirty_block(block: object) -> bool:
    if isinstance(block, Paragraph):
        return has_forbidden(block.text) or any(_dirty_item(i) for i in block.items)
    if isinstance(block, Heading):
        return has_forbidden(block.text)
    if isinstance(block, Question):
        return has_forbidden(block.text) or any(_dirty_item(i) for i in block.takeaways)
    if isinstance(block, SummaryTable):
        return any(has_forbidden(c.heading) or any(_dirty_item(i) for i in c.items)
                   for c in block.columns)
    return False


__all__ = ["clean_summary", "inline_html", "plain_text"]
