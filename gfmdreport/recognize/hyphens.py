"""Words hyphenated across lines: ``manage-`` / ``ment`` is ``management``, but
``whole-of-`` / ``government`` keeps its hyphen.

The document itself is the first judge (a word spelled elsewhere with or without the
hyphen), then word endings that are never words on their own (``-tion``, ``-ment``)
and prefixes and words that are usually hyphenated (``multi-``, ``-based``). What is
left is joined without the hyphen, and reported as a guess.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from gfmdreport.recognize.lazy import lazy

_WORD = lazy(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_LEFT = lazy(r"([^\W\d_]+(?:[-‐][^\W\d_]+)*)[-‐]$")
_RIGHT = lazy(r"^([^\W\d_]+)")

# Endings that do not stand as words: the break is a syllable break.
_ENDINGS = frozenset((
    "tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity", "ities", "ance",
    "ances", "ence", "ences", "ally", "ively", "ously", "ation", "ations", "ication",
    "ications", "isation", "isations", "ization", "izations", "ised", "ized", "ising",
    "izing", "ible", "ibly", "able", "ably", "ical", "ically", "ics", "ism", "isms", "ist",
    "ists", "ure", "ures", "ship", "ships", "hood", "hoods", "ous", "ive", "ives", "ing",
    "ings", "ed", "er", "ers", "est", "ly", "al", "ary", "ery", "ory", "ic", "ial", "ials",
    "ian", "ians", "ent", "ents", "ant", "ants", "age", "ages", "ties", "ture", "tures",
    "gies", "gy", "logy", "cy", "ry", "ty", "nal", "nals", "lar",
))
# Words that are usually the first part of a hyphenated compound.
_PREFIXES = frozenset((
    "multi", "socio", "mini", "self", "non", "co", "ex", "well", "long", "short", "cross",
    "anti", "pre", "post", "inter", "intra", "micro", "macro", "sub", "semi", "quasi",
    "pan", "extra", "ultra", "mid", "neo", "follow", "high", "low", "small", "large",
    "full", "part",
))
# Words that are usually the second part of one.
_SECONDS = frozenset((
    "based", "related", "led", "driven", "oriented", "level", "term", "wide", "making",
    "building", "specific", "sensitive", "friendly", "owned", "run", "up", "down", "off",
    "out", "free", "makers", "scale", "sized", "like", "long",
))


_LONG_ENDINGS = tuple(e for e in _ENDINGS if len(e) >= 4)


class Vocabulary:
    """How the document spells its words: with a hyphen and without."""

    def __init__(self, text: str):
        self.words: Counter[str] = Counter()
        """Every word as written (lower case), compounds whole."""
        self.spellings: dict[str, Counter[str]] = {}
        """The spellings of each word with its hyphens taken out."""
        self.pairs: set[tuple[str, str]] = set()
        """Neighbouring parts of the hyphenated compounds ("whole", "of")."""
        text = text.replace("\u00ad", "").replace("‐", "-").lower()
        self.words = Counter(_WORD.findall(text))
        for word, count in self.words.items():
            self.spellings.setdefault(word.replace("-", ""), Counter())[word] += count
            if "-" in word:
                self.pairs.update(itertools.pairwise(word.split("-")))
        self.respell = {key for key, found in self.spellings.items() if len(found) > 1}
        """Words the text spells in more than one way."""

    def seen(self, word: str) -> int:
        return self.words.get(word.lower(), 0)


def join_hyphenated(left: str, right: str, vocab: Vocabulary) -> tuple[str, bool] | None:
    """How to join a line ending in ``-`` to the next one.

    Returns ``(joined text, doubtful)``, or ``None`` when the line end is not a word
    broken by a hyphen (a dash, a number, an upper-case word) and the lines join with a
    space as usual.
    """
    m_left = _LEFT.search(left)
    m_right = _RIGHT.match(right)
    if not m_left or not m_right:
        return None
    head = m_left.group(1)
    tail = m_right.group(1)
    if left.endswith("\u2010") and tail[0].islower():
        # U+2010 at a line end is the hyphen a layout engine adds where it breaks a
        # word (at a soft hyphen, say); typed hyphens are U+002D.
        return left[:-1] + right, False
    if not tail[0].islower():
        # "Klein-" / "Solomon", "GCM-" / "Related": a compound with a name.
        return left + right, False
    low = tail.lower()
    last = re.split(r"[-‐]", head)[-1].lower()
    seen_with = vocab.seen(f"{last}-{low}")
    seen_without = vocab.seen(f"{last}{low}")
    if seen_with or seen_without:
        if seen_with > seen_without:
            return left + right, False
        return left[:-1] + right, False
    if "-" in head or "‐" in head or (last, low) in vocab.pairs or \
            right[len(tail):len(tail) + 1] in ("-", "‐"):
        return left + right, False  # "whole-of-" / "government", "whole-" / "of-society"
    # The broken word's own pieces count once each in the vocabulary.
    standalone = vocab.seen(low) > 1
    if not standalone and (low in _ENDINGS or low.endswith(_LONG_ENDINGS)):
        return left[:-1] + right, False
    if last in _PREFIXES or low in _SECONDS:
        return left + right, False
    if standalone and len(low) >= 4:
        return left + right, True  # "peer-" / "review": two words
    return left[:-1] + right, True


def restore_hyphens(text: str, vocab: Vocabulary) -> tuple[str, list[tuple[str, str]]]:
    """Put back hyphens a PDF-to-text tool dropped when it joined a line ending in one
    to the next ("whole-of-" + "government" → "whole-ofgovernment"), where the
    document spells the word with them elsewhere. Returns the text and the repairs."""
    repairs: list[tuple[str, str]] = []

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        key = low.replace("-", "")
        fixed = word
        if key in vocab.respell:
            spellings = vocab.spellings[key]
            best, count = max(spellings.items(), key=lambda kv: (kv[1], kv[0].count("-")))
            # A compound that already has a hyphen and lacks one the text writes
            # elsewhere is the PDF tool's join, however rarely the text spells it right.
            broken = "-" in low and count >= spellings[low]
            if best != low and best.count("-") > low.count("-") and \
                    (count > spellings[low] or broken):
                fixed = _respell(word, best)
        elif "-" in word:
            fixed = "-".join(_split_part(p, vocab) for p in word.split("-"))
        if fixed != word:
            repairs.append((word, fixed))
        return fixed

    return _WORD.sub(fix, text), repairs


def _split_part(part: str, vocab: Vocabulary) -> str:
    """A part of a compound that is two parts run together ("wholeof" in
    "wholeof-society", where the document writes "whole-of-…")."""
    low = part.lower()
    if len(low) < 4 or vocab.seen(low):
        return part
    for k in range(2, len(low) - 1):
        if (low[:k], low[k:]) in vocab.pairs:
            return f"{part[:k]}-{part[k:]}"
    return part


def _respell(word: str, spelling: str) -> str:
    """``word`` with the hyphens of ``spelling`` (same letters), keeping its case."""
    out = []
    letters = iter(word.replace("-", ""))
    for ch in spelling:
        out.append("-" if ch == "-" else next(letters))
    return "".join(out)
