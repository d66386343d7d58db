"""Small pure helpers of the page: the report's file name, the ``language`` key of the
notes, and the source line of each element of the preview (for scroll sync).

Nothing here reads a file or knows the web.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Iterator

from gfmdreport.diagnostics import UsageError
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

# ---- the report's file name ------------------------------------------------------------------

MAX_NAME = 80
"""Characters of the session's title kept in a file name (before the suffix)."""
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e'
                     r"\u2066-\u2069\ufeff]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def report_filename(summary: SessionSummary | None, suffix: str, fallback: str = "") -> str:
    """A safe file name for the report: the session's title (or the event's, or
    ``fallback``, or ``summary``), without characters a file system or a download
    dialog refuses, cut at a word before :data:`MAX_NAME` characters, and ``suffix``.

    ``GCM Cluster 3: International cooperation …`` gives ``GCM Cluster 3 - International
    cooperation ….docx``."""
    candidates = [summary.session, summary.title] if summary is not None else []
    for text in (*candidates, fallback, "summary"):
        name = _safe(text or "")
        if name:
            return name + suffix
    return "summary" + suffix  # pragma: no cover - "summary" is always safe


def _safe(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s*:\s+", " - ", text)  # "Cluster 3: International" reads on
    text = _UNSAFE.sub(" ", text)
    text = " ".join(text.split())
    if len(text) > MAX_NAME:
        cut = text[:MAX_NAME + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut[MAX_NAME // 2:] else cut[:MAX_NAME]
    text = text.strip(" .-")
    if text.split(".")[0].lower() in _RESERVED:
        text += "_"
    return text


def content_disposition(filename: str) -> str:
    """The ``Content-Disposition`` of a download: an ASCII name for old clients and the
    exact one, UTF-8 and percent-encoded (RFC 6266, RFC 5987)."""
    from urllib.parse import quote

    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = " ".join(re.sub(r"[^A-Za-z0-9 ._()-]+", "", ascii_name).split())
    stem, dot, suffix = ascii_name.rpartition(".")
    if not stem.strip(" .-"):  # nothing of the name is ASCII: keep its suffix
        ascii_name = "summary" + (dot + suffix if dot else "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


# ---- the language key of the notes -----------------------------------------------------------

_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_KEY = re.compile(r"^language[ \t]*:[ \t]*(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s#]*)",
                  re.MULTILINE)


def set_language(text: str, fmt: str, code: str) -> str:
    """The notes ``text`` (of format ``md``, ``yaml`` or ``json``) with their ``language``
    key set to ``code``: the value of the key changed where it is written (a comment after
    it kept), or the key added (to the front matter of Markdown notes, made if they have
    none). Raises :class:`~gfmdreport.UsageError` for notes whose key cannot be set."""
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", code):
        raise UsageError(f"not a language code: {code!r}")
    if fmt == "json":
        return _json_language(text, code)
    if fmt == "yaml":
        return _yaml_language(text, code)
    if fmt == "md":
        return _markdown_language(text, code)
    raise UsageError(f"the language of '{fmt}' notes is not set here")


def _replace_key(block: str, code: str) -> str | None:
    match = _KEY.search(block)
    if match is None:
        return None
    return block[:match.start("value")] + code + block[match.end("value"):]


def _markdown_language(text: str, code: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if _FENCE.match(lines[end]):
                front = "\n".join(lines[1:end])
                changed = _replace_key(front, code)
                if changed is None:
                    changed = (front + "\n" if front else "") + f"language: {code}"
                return "\n".join(["---", changed, *lines[end:]])
        raise UsageError("the front matter is not closed: add a '---' line after it, "
                         "then choose the language again")
    return f"---\nlanguage: {code}\n---\n\n{text}"


def _yaml_language(text: str, code: str) -> str:
    changed = _replace_key(text, code)
    if changed is not None:
        return changed
    body = re.search(r"^body[ \t]*:", text, re.MULTILINE)
    if body is not None:
        return text[:body.start()] + f"language: {code}\n" + text[body.start():]
    if text.lstrip().startswith("{"):
        raise UsageError("these notes are one YAML mapping in braces: add "
                         f"'language: {code}' to it by hand")
    return text + ("" if text.endswith("\n") or not text else "\n") + f"language: {code}\n"


def _json_language(text: str, code: str) -> str:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"the notes are not JSON yet ({exc}): fix them, then choose the "
                         "language again") from None
    if not isinstance(data, dict):
        raise UsageError("the notes are not a JSON object")
    data["language"] = code
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---- where each element of the preview comes from --------------------------------------------

SYNC_SELECTOR = ("h1, ol.paragraphs > li, ol.letters li, h2, ul.takeaways li, "
                 ".summary-table th, .summary-table li")
"""The elements of the built-in page that :func:`source_lines` gives a line for, in the
order ``querySelectorAll`` finds them (document order)."""


def source_lines(summary: SessionSummary) -> list[int]:
    """The source line of each element :data:`SYNC_SELECTOR` finds in the built-in page
    of ``summary``, in document order: the title, then each block and the items under
    it, as the HTML writer lays them out."""
    lines: list[int] = []
    if summary.title or summary.session:
        where = summary.locations.get("title") or summary.locations.get("session")
        lines.append(where.line if where is not None and where.line else 1)
    last = 1
    for block in summary.body:
        line = block.loc.line if block.loc is not None and block.loc.line else last
        last = line
        if isinstance(block, Paragraph):
            lines.append(line)
            lines.extend(_items(block.items, line))
        elif isinstance(block, Heading):
            lines.append(line)
        elif isinstance(block, Question):
            lines.append(line)
            lines.extend(_items(block.takeaways, line))
        elif isinstance(block, SummaryTable) and block.columns:
            for column in block.columns:
                lines.append(column.loc.line if column.loc and column.loc.line else line)
            for column in block.columns:
                first = column.loc.line if column.loc and column.loc.line else line
                lines.extend(_items(column.items, first))
    return lines


def _items(items: Iterable[Item], fallback: int) -> Iterator[int]:
    for item in items:
        line = item.loc.line if item.loc is not None and item.loc.line else fallback
        yield line
        yield from _items(item.items, line)
