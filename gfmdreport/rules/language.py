"""Language rule (GFMD307): section headings and questions written in another language
than the summary's ``language`` — a French heading left in an English summary, say.
(Table headings in another language are named as such by GFMD108, which checks them.)

Prose is guessed by its function words (articles, prepositions, question words) that
belong to one of the languages only; a guess needs several of them and a clear lead, so
names, acronyms and short headings never trigger it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gfmdreport.hooks.registry import Finding
from gfmdreport.labels import primary
from gfmdreport.model import Heading
from gfmdreport.model import Question
from gfmdreport.model import SessionSummary
from gfmdreport.rules.common import visible

_WORDS = {
    "en": "the of and to in on for with how what which can is are by from this that be its "
          "their further not yet should would could been has have into at between",
    "fr": "le la les des du de et en pour sur dans comment quels quelles quel quelle peut "
          "est sont par avec une un au aux qui que ce cette ces leur leurs entre être ont",
    "es": "el la los las de del y en para por con cómo qué cuáles cuál puede es son una un "
          "al que este esta estos estas su sus entre ser han sobre",
}
# Only the words that belong to one language tell which it is ("de", "la", "en" do not).
_ONLY: dict[str, frozenset[str]] = {
    lang: frozenset(set(words.split()) - {w for other, ws in _WORDS.items() if other != lang
                                          for w in ws.split()})
    for lang, words in _WORDS.items()
}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_NAMES = {"en": "English", "fr": "French", "es": "Spanish"}
MIN_HITS = 3


def guess(text: str) -> str | None:
    """The language the text is clearly in (en, fr, es), or None when it does not say."""
    words = [w.casefold() for w in _TOKEN.findall(visible(text))]
    scores = {lang: sum(w in only for w in words) for lang, only in _ONLY.items()}
    best = max(scores, key=lambda lang: scores[lang])
    runner_up = max(v for lang, v in scores.items() if lang != best)
    if scores[best] >= MIN_HITS and scores[best] >= 2 * max(runner_up, 1):
        return best
    return None


def language_mismatch(summary: SessionSummary) -> Iterator[Finding]:
    own = primary(summary.language)
    if own not in _WORDS:
        return  # a language this rule has no words for: nothing to compare with
    for block in summary.body:
        if isinstance(block, (Heading, Question)):
            found = guess(block.text)
            if found and found != own:
                what = "the heading" if isinstance(block, Heading) else \
                    f"question {block.number}"
                yield Finding(f"{what} looks {_NAMES[found]}, but the summary's "
                              f"language is '{summary.language}'", block.loc,
                              f"translate it, or set 'language: {found}'")
