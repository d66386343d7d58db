"""Extracted text → :class:`~gfmdreport.model.SessionSummary`.

The text goes through four steps:

1. page furniture is taken out (:mod:`gfmdreport.recognize.pages`);
2. lines are grouped into *units* (:mod:`gfmdreport.formats.text.units`): a numbered
   paragraph, a lettered sub-item, a bullet, a question heading, a table or a run of
   plain text, each with its hard-wrapped continuation lines joined (words hyphenated
   across lines re-joined);
3. the units before the first paragraph give the title, session, date, time and venue
   (:mod:`gfmdreport.recognize.header`); the others become the body
   (:mod:`gfmdreport.formats.text.body`): paragraphs with their sub-lists, headings,
   questions with their takeaways (nested by indentation and bullet glyph) and the
   closing table;
4. the chair and rapporteurs are read from the sentences that name them
   (:mod:`gfmdreport.recognize.people`).
"""

from __future__ import annotations

import re

from gfmdreport.diagnostics import InputError
from gfmdreport.diagnostics import Location
from gfmdreport.formats.text.body import BodyBlock
from gfmdreport.formats.text.body import BodyReader
from gfmdreport.formats.text.units import Unit
from gfmdreport.formats.text.units import UnitReader
from gfmdreport.model import Item
from gfmdreport.model import SessionSummary
from gfmdreport.recognize import people as people_mod
from gfmdreport.recognize.header import looks_like_prose
from gfmdreport.recognize.header import read_header
from gfmdreport.recognize.header import summary_fields
from gfmdreport.recognize.hyphens import Vocabulary
from gfmdreport.recognize.hyphens import restore_hyphens
from gfmdreport.recognize.language import guess_language
from gfmdreport.recognize.lines import ends_sentence
from gfmdreport.recognize.pages import strip_furniture
from gfmdreport.recognize.text import Joined
from gfmdreport.recognize.text import Line
from gfmdreport.recognize.text import Notes
from gfmdreport.recognize.text import collapse
from gfmdreport.recognize.text import short
from gfmdreport.recognize.text import strip_markup
from gfmdreport.recognize.text import to_inline
from gfmdreport.recognize.times import time_of_day

RULE_NOT_SUMMARY = "text-not-a-summary"


def read_text(source: str, path: str | None = None) -> SessionSummary:
    """Read a session summary from text extracted from a PDF (or typed as plain text)."""
    return _Reader(source.replace("\r\n", "\n").replace("\r", "\n"), path).read()


class _Reader:
    def __init__(self, source: str, path: str | None):
        self.source = source
        self.path = path
        self.notes = Notes(path)
        self.vocab = Vocabulary(source)

    # ---- text → model pieces -----------------------------------------------------------
    def inline(self, joined: Joined) -> str:
        text, repairs = restore_hyphens(collapse(joined.text), self.vocab)
        for old, new in repairs:
            self.notes.warn("text-hyphenation", f"wrote '{old}' as '{new}', as the text "
                            "spells it elsewhere (the text extraction dropped a hyphen at a "
                            "line end)", joined.locate(0))
        source, gave_up = to_inline(text)
        if gave_up:
            self.notes.warn("text-markup", "asterisks or underscores here do not pair up as "
                            "bold or italic; kept them as characters",
                            joined.locate(0), "write **bold** or *italic* around whole words")
        return source

    def item(self, text: str, where: Location) -> Item:
        joined = Joined(self.path)
        joined.add(text, where.line or 0, where.column or 1)
        return Item(self.inline(joined), (), where)

    # ---- the whole document ---------------------------------------------------------
    def read(self) -> SessionSummary:
        lines = strip_furniture(self.source, self.notes)
        if not lines:
            raise InputError.single(RULE_NOT_SUMMARY, "the text holds nothing but page "
                                    "numbers and headers", Location(self.path, 1, 1),
                                    "extract the text of the summary's pages again")
        units = UnitReader(self.path, self.notes, self.vocab, self.item).read(lines)
        self._refuse_non_summary(units, lines)
        k = 0
        while k < len(units) and units[k].kind == "text" and not units[k].placed and \
                not looks_like_prose(units[k].lines[0].text):
            k += 1
        meta = read_header((line for unit in units[:k] for line in unit.lines), self.notes,
                           self.vocab)
        body = BodyReader(self.path, self.notes, self.inline)
        blocks = body.read(units[k:], extra=meta.pop("extra"))
        chairs, rapporteurs = self.people(blocks, meta.pop("people"))
        return SessionSummary(
            **summary_fields(meta, chairs, rapporteurs), language=guess_language(self.source),
            body=tuple(body.freeze(b) for b in blocks), source=self.path,
            diagnostics=tuple(sorted(self.notes.found, key=lambda d: d.sort_key)))

    # ---- refusing what is not a summary ------------------------------------------------
    def _refuse_non_summary(self, units: list[Unit], lines: list[Line]) -> None:
        numbered = [u for u in units if u.kind == "number"]
        prose = [u for u in numbered if u.words() >= 8 and ends_sentence(u.text.text)]
        questions = [u for u in units if u.kind == "question"]
        starts_with_time = time_of_day().match
        timed = [ln for ln in lines if starts_with_time(ln.text)]
        where = Location(self.path, lines[0].number, lines[0].column)
        hint = ("the text reader reads session summaries as a PDF-to-text tool gives them: "
                "a title, numbered paragraphs ('1. The session was chaired by …') and "
                "'Question 1: …' headings; for notes, use the Markdown or YAML format")
        if len(timed) >= 3 and len(timed) * 3 >= len(lines):
            raise InputError.single(
                RULE_NOT_SUMMARY, f"this looks like an agenda, not a session summary: "
                f"{len(timed)} of its {len(lines)} lines start with a time of day "
                f"('{short(timed[0].text, 40)}')", where, hint)
        if prose or questions:
            return
        found = []
        if numbered:
            found.append(f"its {len(numbered)} numbered lines are short headings, not "
                         "paragraphs")
        else:
            found.append("it has no numbered paragraph")
        found.append("no 'Question N:' heading")
        text_units = [u for u in units if u.kind == "text"]
        if text_units and not numbered:
            found.append(f"{len(text_units)} blocks of unnumbered text")
        raise InputError.single(
            RULE_NOT_SUMMARY, "this text does not look like a session summary: "
            + ", ".join(found), where, hint)

    # ---- step 4: people --------------------------------------------------------------
    def people(self, blocks: list[BodyBlock], labels: list[tuple[str, Line]]):
        found = []
        for text, line in labels:
            joined = Joined(self.path)
            joined.add(text, line.number, line.column)
            found += people_mod.find_people(text, joined.locate, label_line=True)
        for block in blocks:
            if block.kind != "paragraph" or block.text is None:
                continue
            joined = block.text
            text = _blank_markup(collapse_keep(joined.text))
            found += people_mod.find_people(text, joined.locate)
        return people_mod.collect(found, self.notes)


# ---- helpers ---------------------------------------------------------------------------

def collapse_keep(text: str) -> str:
    """White space as single spaces, keeping every offset (tabs and the like become
    spaces; nothing is removed)."""
    return re.sub(r"\s", " ", text)


def _blank_markup(text: str) -> str:
    """The text with the delimiters of bold and italic spans turned into spaces, so
    that offsets still point into the source."""
    plain = strip_markup(text)
    if plain == text:
        return text
    out = []
    j = 0
    for ch in text:
        if j < len(plain) and ch == plain[j]:
            out.append(ch)
            j += 1
        else:
            out.append(" ")
    return "".join(out)
