"""The language a text is written in, among English, French and Spanish, from its common
words and the names of months it spells out."""

from __future__ import annotations

import re

from gfmdreport.recognize.dates import MONTHS

_STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "was", "were", "that", "for", "with"},
    "fr": {"le", "la", "les", "et", "des", "du", "une", "que", "dans", "pour", "été"},
    "es": {"el", "los", "las", "y", "del", "una", "que", "con", "para", "por", "fue"},
}
_MONTH_NAMES = {language: frozenset(name for name, month in MONTHS.items()
                                    if month.language == language and
                                    month.kind != "abbreviation")
                for language in ("fr", "es")}


def guess_language(text: str) -> str:
    """``en``, ``fr`` or ``es``, from the text's common words and month names."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    found = set(words)
    scores["fr"] += 5 * len(found & _MONTH_NAMES["fr"] - _MONTH_NAMES["es"])
    scores["es"] += 5 * len(found & _MONTH_NAMES["es"] - _MONTH_NAMES["fr"])
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > scores["en"] else "en"
