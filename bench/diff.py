"""How the diff scales: two summaries of N paragraphs with every paragraph edited, beside
GNU diff on the same two summaries as Markdown notes (the floor: a line diff knows
nothing of paragraphs, questions or tables) and, up to 1,000 paragraphs, beside pairing
every old paragraph with every new one (the naive pairing); then the Word redline of the
two (``gfmdreport diff OLD NEW -o changes.docx``) beside its comparator, the new
version's Word report rendered alone.

    python bench/diff.py [--sizes 250,500,1000,10000]

Each paragraph of the new summary has one word changed; every tenth also gets a new
sentence, and one paragraph in fifty is removed, so that the pairing has real work.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gfmdreport import Paragraph  # noqa: E402
from gfmdreport import diff as diff_module  # noqa: E402
from gfmdreport import render  # noqa: E402
from gfmdreport.pipeline import render_redline  # noqa: E402
from gfmdreport.testing import make_summary  # noqa: E402

WORDS = ("migration", "development", "cooperation", "partnership", "governance", "data",
         "return", "reintegration", "labour", "skills", "mobility", "remittances",
         "diaspora", "integration", "border", "protection", "rights", "women", "youth",
         "climate", "displacement", "regional", "national", "local", "policy", "coherence",
         "dialogue", "states", "participants", "recognised", "recommended")


def paragraph(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(40 + n % 30)).capitalize() + \
        f" (paragraph {n})."


def pair(size: int, seed: int = 1):
    rng = random.Random(seed)
    old = make_summary(paragraphs=[paragraph(rng, n) for n in range(size)])
    body = []
    n = -1
    for block in old.body:
        if isinstance(block, Paragraph):
            n += 1  # the paragraph's index in the old summary
            if n % 50 == 49:
                continue
            words = block.text.split()
            words[3] = "edited"
            text = " ".join(words) + (" A sentence added." if n % 10 == 0 else "")
            body.append(replace(block, text=text))
        else:
            body.append(block)
    return old, replace(old, body=tuple(body))


def naive(old, new) -> int:
    """The pairing that scores every old paragraph against every new one."""
    paragraphs = [b.text for b in old.body if isinstance(b, Paragraph)]
    others = [b.text for b in new.body if isinstance(b, Paragraph)]
    matched = 0
    for a in paragraphs:
        best = max((diff_module.similarity(a, b) for b in others), default=0)
        matched += best >= diff_module.SIMILAR
    return matched


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000,10000")
    args = parser.parse_args()
    os.environ.setdefault("GFMDREPORT_MAX_BLOCKS", "100000")  # 10,000 paragraphs and more
    gnu = shutil.which("diff")
    print(f"{'paragraphs':>10} {'gfmdreport diff':>16} {'changes':>8} "
          f"{'GNU diff (md)':>14} {'naive pairing':>14} {'docx render':>12} "
          f"{'docx redline':>13}")
    for size in (int(s) for s in args.sizes.split(",")):
        old, new = pair(size)
        diff_module._words.cache_clear()
        seconds, changes = timed(diff_module.diff, old, new)
        floor = "n/a"
        if gnu:
            with tempfile.TemporaryDirectory() as tmp:
                a, b = Path(tmp, "old.md"), Path(tmp, "new.md")
                a.write_bytes(render(old, "md"))
                b.write_bytes(render(new, "md"))
                t, _ = timed(subprocess.run, [gnu, str(a), str(b)], capture_output=True)
                floor = f"{t:.3f} s"
        slow = "skipped"
        if size <= 1000:
            diff_module._words.cache_clear()
            t, _ = timed(naive, old, new)
            slow = f"{t:.2f} s"
        plain, _ = timed(render, new, "docx")
        red, _ = timed(render_redline, old, new, "docx", author="bench")
        print(f"{size:>10} {seconds:>14.3f} s {len(changes):>8} {floor:>14} {slow:>14} "
              f"{plain:>10.2f} s {red:>11.2f} s")


if __name__ == "__main__":
    main()
