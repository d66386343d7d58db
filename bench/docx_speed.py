"""How fast the DOCX writer renders a session summary, beside two comparators in the
same run: zipping the very parts it writes with :mod:`zipfile`, and a naive python-docx
build of the same content.

    python bench/docx_speed.py [INPUT] [-n DOCUMENTS] [--rounds R] [--cpu N]

The process is pinned to one core (``--cpu``, default the first one it may use). The
three render alternately, in rounds, so that load from other programs falls on all
alike; each figure is the median over the rounds, wall-clock and CPU time.

- **gfmdreport, every text new**: the same summary with a number added to each of its
  texts, a new one per document, so that no text is found in the writer's cache of
  flattened texts (as in a batch of different reports).
- **zip the same parts**: the parts of the document gfmdreport wrote (the same names and
  bytes), written into a ZIP with ``zipfile`` and deflate at its default level, as any
  program that had the XML ready would: the floor a writer that builds the XML cannot
  go below by much. The target is gfmdreport within 1.5x of it.
- **naive python-docx**: what a first python-docx script does: open python-docx's
  default template, add paragraphs by style name, set runs, add the table, save.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 10.0
TARGET_RATIO = 1.5
"""gfmdreport's CPU time per document at most this many times the zip comparator's."""


def zip_parts(parts: list[tuple[str, bytes]]) -> bytes:
    """The parts written into a ZIP with :mod:`zipfile` (deflate, default level)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, blob in parts:
            zf.writestr(name, blob)
    return out.getvalue()


def naive_build(summary) -> bytes:
    """The same content with python-docx's high-level API and its default template."""
    from docx import Document

    from gfmdreport.inline import runs
    from gfmdreport.model import Heading
    from gfmdreport.model import Paragraph
    from gfmdreport.model import Question
    from gfmdreport.model import SummaryTable

    def add_runs(paragraph, source: str) -> None:
        for run in runs(source):
            r = paragraph.add_run(run.text)
            r.bold = run.bold or None
            r.italic = run.italic or None

    def add_items(items, style: str, deeper: str, container) -> None:
        for item in items:
            add_runs(container.add_paragraph(style=style), item.text)
            add_items(item.items, deeper, deeper, container)

    doc = Document()
    doc.add_paragraph(summary.title, style="Title")
    doc.add_paragraph(summary.session, style="Subtitle")
    doc.add_paragraph(f"{summary.date}, {summary.time}\n{summary.venue}")
    for block in summary.body:
        if isinstance(block, Paragraph):
            add_runs(doc.add_paragraph(style="List Number"), block.text)
            add_items(block.items, "List Number 2", "List Number 3", doc)
        elif isinstance(block, Heading):
            add_runs(doc.add_heading(level=1), block.text)
        elif isinstance(block, Question):
            add_runs(doc.add_heading(f"Question {block.number}: ", level=2), block.text)
            add_items(block.takeaways, "List Bullet", "List Bullet 2", doc)
        elif isinstance(block, SummaryTable):
            table = doc.add_table(rows=2, cols=len(block.columns), style="Table Grid")
            for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
                add_runs(cell.paragraphs[0], column.heading)
            for cell, column in zip(table.rows[1].cells, block.columns, strict=True):
                add_items(column.items, "List Bullet", "List Bullet 2", cell)
    props = doc.core_properties
    props.title, props.subject = summary.title, summary.session[:255]
    props.author = "; ".join(p.display_name for p in summary.rapporteurs)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def timed(build, summary, count: int) -> tuple[float, float]:
    """(wall, CPU) milliseconds per document over ``count`` documents."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        build(summary)
    return ((time.perf_counter() - wall) * 1000 / count,
            (time.process_time() - cpu) * 1000 / count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", default=str(ROOT / "examples/gcm-cluster-3.yaml"))
    parser.add_argument("-n", "--documents", type=int, default=300,
                        help="documents rendered by the gfmdreport writer (default 300)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--cpu", type=int, default=None, help="core to pin the process to")
    args = parser.parse_args(argv)

    if hasattr(os, "sched_setaffinity"):
        cpu = args.cpu if args.cpu is not None else min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        where = f"pinned to CPU {cpu}"
    else:
        where = "not pinned (no sched_setaffinity here)"

    from gfmdreport import load
    from gfmdreport import render

    summary = load(args.input)

    def ours(s):
        return render(s, "docx")

    with zipfile.ZipFile(io.BytesIO(ours(summary))) as zf:  # the template is prepared
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]  # once per process
    naive_build(summary)
    per_round = max(1, args.documents // args.rounds)
    naive_per_round = max(1, per_round // 10)
    # Each document of its own texts (no text met before: nothing comes from the
    # writer's cache of flattened texts), made before the clock starts.
    from gfmdreport.model import map_texts

    fresh = iter([map_texts(summary, lambda text, _ref, n=n: f"{text} {n}")
                  for n in range(per_round * args.rounds)])

    def ours_fresh(_s):
        return render(next(fresh), "docx")

    results: dict[str, list[tuple[float, float]]] = {"gfmdreport": [], "fresh": [],
                                                     "zip": [], "naive": []}
    for _ in range(args.rounds):
        results["gfmdreport"].append(timed(ours, summary, per_round))
        results["fresh"].append(timed(ours_fresh, summary, per_round))
        results["zip"].append(timed(zip_parts, parts, per_round))
        results["naive"].append(timed(naive_build, summary, naive_per_round))

    def median(name: str, index: int) -> float:
        return statistics.median(r[index] for r in results[name])

    ours_wall, ours_cpu = median("gfmdreport", 0), median("gfmdreport", 1)
    fresh_wall, fresh_cpu = median("fresh", 0), median("fresh", 1)
    zip_wall, zip_cpu = median("zip", 0), median("zip", 1)
    naive_wall, naive_cpu = median("naive", 0), median("naive", 1)
    size = sum(len(blob) for _, blob in parts)
    print(f"DOCX render of {Path(args.input).name}, {where}; median of {args.rounds} rounds "
          f"({per_round} + {per_round} + {naive_per_round} documents each)")
    print(f"{'':34}{'ms/doc wall':>12}{'ms/doc CPU':>12}")
    print(f"{'gfmdreport docx writer':34}{ours_wall:12.2f}{ours_cpu:12.2f}")
    print(f"{'  the same, every text new':34}{fresh_wall:12.2f}{fresh_cpu:12.2f}")
    print(f"{'zip the same parts (zipfile)':34}{zip_wall:12.2f}{zip_cpu:12.2f}"
          f"   {len(parts)} parts, {size / 1024:.0f} KB of XML")
    print(f"{'naive python-docx build':34}{naive_wall:12.2f}{naive_cpu:12.2f}")
    print(f"ratio gfmdreport / zip: {ours_wall / zip_wall:.2f}x wall, "
          f"{ours_cpu / zip_cpu:.2f}x CPU (every text new: {fresh_wall / zip_wall:.2f}x "
          f"wall, {fresh_cpu / zip_cpu:.2f}x CPU)")
    print(f"ratio naive / gfmdreport: {naive_wall / ours_wall:.1f}x wall, "
          f"{naive_cpu / ours_cpu:.1f}x CPU")
    verdict = "met" if ours_cpu <= TARGET_RATIO * zip_cpu else "MISSED"
    print(f"target gfmdreport <= {TARGET_RATIO:g}x zip (CPU, one core): {verdict}")
    verdict = "met" if ours_cpu <= TARGET_MS else "MISSED"
    print(f"target <= {TARGET_MS:g} ms/doc (CPU, one core): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
