"""Hypothesis strategies for session-summary models, for any format's round-trip tests.

``summaries()`` generates valid :class:`~gfmdreport.SessionSummary` models holding every
block type (paragraphs with lettered lists, headings, questions with nested takeaways,
the closing table). Texts are *canonical*, as the interchange reader produces them:
single-line, no white space but single spaces, no control characters.

Two kinds of inline text:

- ``inline_texts()`` (the default): words from many scripts (accents, CJK, Arabic and
  Hebrew, emoji with joiners, combining marks) with well-formed inline markup: ``**bold**``,
  ``*italic*``, ``[links](https://…)`` and ``code`` spans. Any faithful reader/writer
  pair should give these back.
- ``tricky_texts()``: the same plus characters and prefixes that a notes format must
  escape: block starts (``# ``, ``- ``, ``1. ``, ``a) ``, ``> ``, fences, ``[x]: y``),
  ``Question 1:``, ``<!--``, trailing ``#``, backslashes, stray ``*``, ``_``, ``|``, raw
  HTML. For formats that store inline source verbatim (Markdown, YAML, JSON).

Usage::

    from strategies import summaries, tricky_texts

    @given(summaries(text=tricky_texts()))
    def test_round_trip(summary): ...
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from gfmdreport.model import Column
from gfmdreport.model import Heading
from gfmdreport.model import Item
from gfmdreport.model import Paragraph
from gfmdreport.model import Person
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.model import SummaryTable

__all__ = [
    "blocks",
    "complete_summaries",
    "inline_texts",
    "items",
    "people",
    "plain_texts",
    "summaries",
    "tricky_texts",
    "words",
]

# Letters, marks and digits of any script; never white space, controls or surrogates
# (no character of these categories is white space to Python's str.isspace()).
_FIRST_CHARS = st.characters(categories=("L", "N"))
_WORD_CHARS = st.characters(categories=("L", "M", "N"))
_ANY_CHARS = st.characters(exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"))

_UNUSUAL = [
    "Zürich", "São", "Tomé", "Ærø", "İstanbul", "ﬁnance", "straße", "Ελλάδα", "Россия",
    "中华人民共和国", "日本語", "한국어", "العربية", "עברית", "हिन्दी", "ไทย", "e\u0301",
    "👩🏽‍⚕️", "🇸🇪", "‹ok›", "“quoted”", "l’OIM", "–", "—", "…", "€100", "½", "x²",
    "\u200d", "\u200f", "\ufeff", "\u2060", "\U0001d54f",
]
_TRICKY_PREFIXES = [
    "#", "##", "######", "#######", "-", "+", "*", ">", "1.", "2)", "123456789.", "a)",
    "(b)", "c.", "aa)", "```", "~~~", "---", "***", "___", "- - -", "[x]:", "[a b]: /url",
    "\\", "\\\\", "\\#", "<!--", "Question", "Question 1:", "Pregunta 2 :", "question:",
    "=", "|", "•",
]
_TRICKY_WORDS = [
    "#", "\\", "\\\\", "*", "**", "_", "`", "[", "]", "(", ")", "<", ">", "&amp;", "&",
    "<!--", "-->", "<b>", "</b>", "<br>", "<script>", "|", "•", ":", "Question", "1:",
    "<https://example.org>", "a@b", "~~x~~", "![img](x.png)", "[ref][x]",
]


def words() -> st.SearchStrategy[str]:
    """One word without markup: letters, marks and digits from any script, or one of a
    list of unusual ones (ligatures, RTL, emoji with joiners, combining accents)."""
    generated = st.tuples(_FIRST_CHARS, st.text(_WORD_CHARS, max_size=6)).map("".join)
    return st.one_of(generated, st.sampled_from(_UNUSUAL))


def _marked(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    phrase = st.lists(word, min_size=1, max_size=2).map(" ".join)
    return st.one_of(
        word,
        word,
        word,
        phrase.map(lambda p: f"**{p}**"),
        phrase.map(lambda p: f"*{p}*"),
        st.tuples(phrase, st.sampled_from(["https://example.org", "https://gfmd.org/a_b?c=1",
                                           "mailto:x@example.org"]))
        .map(lambda t: f"[{t[0]}]({t[1]})"),
        word.map(lambda w: f"`{w}`"),
    )


def inline_texts(min_words: int = 1, max_words: int = 6) -> st.SearchStrategy[str]:
    """Canonical inline source with well-formed markup (see the module docstring)."""
    return st.lists(_marked(words()), min_size=min_words, max_size=max_words).map(" ".join)


def tricky_texts(min_words: int = 1, max_words: int = 5) -> st.SearchStrategy[str]:
    """Canonical inline source that a notes format must escape to keep."""
    raw = st.text(_ANY_CHARS, min_size=1, max_size=6)
    word = st.one_of(_marked(words()), st.sampled_from(_TRICKY_WORDS), raw)
    body = st.lists(word, min_size=min_words, max_size=max_words)
    prefix = st.one_of(st.just([]), st.sampled_from(_TRICKY_PREFIXES).map(lambda p: [p]))
    suffix = st.one_of(st.just([]), st.sampled_from(["#", "##", "\\#", "\\", ":"]).map(
        lambda s: [s]))
    return st.tuples(prefix, body, suffix).map(lambda t: " ".join(t[0] + t[1] + t[2]))


def plain_texts(min_size: int = 1) -> st.SearchStrategy[str]:
    """Metadata text (titles, names, venues): canonical, any printable characters."""
    return st.lists(st.one_of(words(), st.text(_ANY_CHARS, min_size=1, max_size=5)),
                    min_size=min_size, max_size=4).map(" ".join)


def people() -> st.SearchStrategy[Person]:
    optional = st.one_of(st.just(""), plain_texts())
    return st.builds(Person, name=plain_texts(),
                     honorific=st.sampled_from(["", "Mr.", "Ms.", "Dr.", "H.E.", "Mme", "Sra."]),
                     role=optional, organization=optional)


def items(text: st.SearchStrategy[str] | None = None, depth: int = 1,
          max_size: int = 3) -> st.SearchStrategy[tuple[Item, ...]]:
    """A list of items, nested up to ``depth`` levels below the first."""
    text = text if text is not None else inline_texts()
    children = items(text, depth - 1, max_size=2) if depth > 0 else st.just(())
    return st.lists(st.builds(Item, text, children), max_size=max_size).map(tuple)


def blocks(text: st.SearchStrategy[str] | None = None) -> dict[str, st.SearchStrategy]:
    """A strategy per block type, by the type's name."""
    text = text if text is not None else inline_texts()
    return {
        "paragraph": st.builds(Paragraph, text, items(text)),
        "heading": st.builds(Heading, text),
        "question": st.builds(Question, st.integers(1, 99), text,
                              items(text, depth=2).filter(bool)),
        "table": st.builds(SummaryTable, st.lists(
            st.builds(Column, text, items(text)), min_size=1, max_size=3).map(tuple)),
    }


@st.composite
def _body(draw, text: st.SearchStrategy[str], every_type: bool, max_blocks: int):
    kinds = blocks(text)
    body = [draw(kinds[name]) for name in kinds] if every_type else []
    body += draw(st.lists(st.one_of(*kinds.values()), max_size=max_blocks))
    return tuple(draw(st.permutations(body)))


@st.composite
def _time(draw) -> tuple[str, str]:
    clock = st.tuples(st.integers(0, 23), st.integers(0, 59)).map(
        lambda t: f"{t[0]:02d}:{t[1]:02d}")
    kind = draw(st.sampled_from(["none", "start", "both"]))
    if kind == "none":
        return "", ""
    return draw(clock), draw(clock) if kind == "both" else ""


def summaries(text: st.SearchStrategy[str] | None = None, every_type: bool = True,
              max_blocks: int = 3) -> st.SearchStrategy[SessionSummary]:
    """Valid session summaries; with ``every_type`` each holds every block type."""
    text = text if text is not None else inline_texts()
    optional = st.one_of(st.just(""), plain_texts())
    date = st.one_of(st.just(""), st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)).map(
        dt.date.isoformat))

    def build(parts: tuple) -> SessionSummary:
        (title, session, date_, (start, end), venue, language, chairs, rapporteurs,
         body) = parts
        return SessionSummary(title=title, session=session, date=date_, start_time=start,
                              end_time=end, venue=venue, language=language, chairs=chairs,
                              rapporteurs=rapporteurs, body=body)

    return st.tuples(
        optional, optional, date, _time(), optional, st.sampled_from(["en", "fr", "es"]),
        st.lists(people(), max_size=2).map(tuple), st.lists(people(), max_size=2).map(tuple),
        _body(text, every_type, max_blocks),
    ).map(build)


def complete_summaries() -> st.SearchStrategy[SessionSummary]:
    """Summaries the built-in rules accept without an error: a title, a session, a date,
    a time range in order, a venue, a chair and a rapporteur named as the text names
    them, questions numbered 1, 2, 3 … with takeaways, and one closing table whose
    three columns have items; any number of paragraphs and headings between."""
    from gfmdreport.labels import table_headings

    text = inline_texts()

    @st.composite
    def build(draw) -> SessionSummary:
        language = draw(st.sampled_from(["en", "fr", "es"]))
        start = draw(st.integers(0, 22 * 60))
        end = draw(st.integers(start + 1, 23 * 60 + 59))
        body: list = draw(st.lists(st.one_of(blocks(text)["paragraph"],
                                             blocks(text)["heading"]), max_size=3))
        for number in range(1, draw(st.integers(1, 3)) + 1):
            body.append(Question(number, draw(text), draw(items(text).filter(bool))))
        body.append(SummaryTable(tuple(Column(heading, draw(items(text).filter(bool)))
                                       for heading in table_headings(language))))
        return SessionSummary(
            title=draw(plain_texts()), session=draw(plain_texts()),
            date=draw(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))).isoformat(),
            start_time=f"{start // 60:02d}:{start % 60:02d}",
            end_time=f"{end // 60:02d}:{end % 60:02d}", venue=draw(plain_texts()),
            language=language, chairs=(draw(people()),), rapporteurs=(draw(people()),),
            body=tuple(body))

    return build()

