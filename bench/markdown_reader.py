"""How fast the Markdown notes reader is, against markdown-it-py's own parse.

Builds notes of several sizes (the seed session's notes repeated, up to 20 MB) and times,
in the same run:

- ``markdown-it``: ``MarkdownIt("commonmark").parse(text)``, the bare parse, inline
  included (what any Markdown tool pays);
- ``reader``: ``gfmdreport``'s Markdown reader, text to model.

and prints MB/s for each and the ratio reader / markdown-it. Constant MB/s across sizes
means the reader scales linearly. Run with ``python bench/markdown_reader.py [MB ...]``.
The blocks limit is raised for the run: notes of 5 MB and more hold more blocks than
the default allows.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GFMDREPORT_MAX_BLOCKS", "10000000")

from gfmdreport.formats.markdown.reader import read  # noqa: E402


def notes(megabytes: float) -> str:
    """Notes of about ``megabytes`` MB: the example's body repeated after its front
    matter, questions renumbered so the notes stay plausible."""
    text = (ROOT / "examples" / "gcm-cluster-3.md").read_text("utf-8")
    end = text.index("\n---\n", 4) + 5
    head, body = text[:end], text[end:]
    parts = [head]
    size = len(head.encode())
    target = int(megabytes * 1_000_000)
    n = 0
    while size < target:
        base = n * 3
        chunk = re.sub(r"## Question (\d+):",
                       lambda m, base=base: f"## Question {base + int(m.group(1))}:", body)
        if n:  # one closing table
            chunk = chunk[:chunk.index("## Summary table")]
        parts.append(chunk)
        size += len(chunk.encode())
        n += 1
    return "".join(parts)


def best(fn, text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main(sizes: list[float]) -> None:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    read(notes(0.05))  # warm up: imports, compiled patterns
    md.parse(notes(0.05))
    print(f"{'size':>9}  {'markdown-it':>13}  {'reader':>13}  {'reader/markdown-it':>18}")
    for mb in sizes:
        text = notes(mb)
        real = len(text.encode()) / 1e6
        repeat = 3 if real < 5 else 1
        bare = best(md.parse, text, repeat)
        ours = best(read, text, repeat)
        summary = read(text)
        assert len(summary.body) > 10 and not summary.diagnostics
        print(f"{real:7.1f}MB  {real / bare:9.2f}MB/s  {real / ours:9.2f}MB/s  "
              f"{ours / bare:17.2f}x")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [1, 5, 20])
